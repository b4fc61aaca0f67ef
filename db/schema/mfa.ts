import { sql } from "drizzle-orm";
import { bigint, check, foreignKey, index, pgPolicy, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { currentUserId, timestamps } from "./_shared";
import { users } from "./users";

/** Rows of one user only: readable and writable in a transaction whose app.user_id is that user. */
const selfOnly = (name: string, userId: Parameters<typeof sql>[1]) =>
  pgPolicy(name, { for: "all", to: "public", using: sql`${userId} = ${currentUserId}`, withCheck: sql`${userId} = ${currentUserId}` });

/**
 * A user's TOTP authenticator (RFC 6238). The secret is stored encrypted (AES-256-GCM, see
 * server/mfa/secret-box.ts), bound to the user id, so a database read alone does not yield codes.
 * `enabled_at` is null while enrolment waits for its first code; sign-in asks for a code only
 * once it is set.
 */
export const userMfa = pgTable(
  "user_mfa",
  {
    userId: uuid("user_id").primaryKey(),
    secretCiphertext: text("secret_ciphertext").notNull(),
    enabledAt: timestamp("enabled_at", { withTimezone: true }),
    /** The last 30-second time step a code was accepted for: a code is refused for it and every earlier step (replay). */
    lastUsedStep: bigint("last_used_step", { mode: "number" }),
    ...timestamps,
  },
  (t) => [
    check("user_mfa_secret_format", sql`${t.secretCiphertext} ~ '^v1\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$'`),
    foreignKey({ name: "user_mfa_user_fk", columns: [t.userId], foreignColumns: [users.id] }).onDelete("cascade"),
    selfOnly("user_mfa_self", t.userId),
  ],
);

/** One-time recovery codes, stored as keyed hashes only (shown once, each usable once). */
export const mfaRecoveryCodes = pgTable(
  "mfa_recovery_codes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").notNull(),
    codeHash: text("code_hash").notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("mfa_recovery_codes_user_hash_key").on(t.userId, t.codeHash),
    foreignKey({ name: "mfa_recovery_codes_user_fk", columns: [t.userId], foreignColumns: [users.id] }).onDelete("cascade"),
    selfOnly("mfa_recovery_codes_self", t.userId),
  ],
);

/**
 * The pending state between a correct password and a correct second factor. Not a session: only
 * the browser holding the challenge cookie (its token, stored here as SHA-256) can finish it, once,
 * within a few minutes, on the host where the password was given.
 */
export const mfaChallenges = pgTable(
  "mfa_challenges",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").notNull(),
    tokenHash: text("token_hash").notNull(),
    /** Where the password was given: null for the root family, else the custom host (server/sessions.ts). */
    host: text("host"),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("mfa_challenges_token_key").on(t.tokenHash),
    index("mfa_challenges_user_idx").on(t.userId),
    foreignKey({ name: "mfa_challenges_user_fk", columns: [t.userId], foreignColumns: [users.id] }).onDelete("cascade"),
    selfOnly("mfa_challenges_self", t.userId),
  ],
);
