import { sql } from "drizzle-orm";
import { check, foreignKey, index, pgPolicy, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid, integer } from "drizzle-orm/pg-core";
import { currentUserId, directoryRole, idColumn, tenantIdColumn, tenantIsolation, timestamps } from "./_shared";
import { tenants } from "./tenants";
import { memberRoles, users } from "./users";

/**
 * One row per sign-in (and per custom-domain hand-off, as a child of it). The JWT carries the
 * id; every request checks the row, so signing out or removing access takes effect at once.
 */
export const userSessions = pgTable(
  "user_sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").notNull(),
    parentId: uuid("parent_id"),
    /**
     * Where the session is valid: null for the root family (`<root>` and `*.<root>`), or the one
     * custom host it was issued on (a password sign-in or a hand-off there).
     */
    host: text("host"),
    /** The browser's User-Agent at sign-in (truncated), summarised on the settings page so people can tell sessions apart. */
    userAgent: text("user_agent"),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    /** Refreshed at most every few minutes per session and process (server/session-activity.ts), not on every request. */
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("user_sessions_user_idx").on(t.userId),
    index("user_sessions_parent_idx").on(t.parentId),
    foreignKey({ name: "user_sessions_user_fk", columns: [t.userId], foreignColumns: [users.id] }).onDelete("cascade"),
    pgPolicy("user_sessions_self", { for: "all", to: "public", using: sql`${t.userId} = ${currentUserId}`, withCheck: sql`${t.userId} = ${currentUserId}` }),
  ],
);

/** Invitations: the token is stored only as a SHA-256 hash, and it is scoped to its tenant by RLS. */
export const invitations = pgTable(
  "invitations",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    email: text("email").notNull(),
    role: text("role", { enum: memberRoles }).notNull(),
    tokenHash: text("token_hash").notNull(),
    invitedBy: uuid("invited_by"),
    /** The API key that sent it (keys can no longer invite; kept so revoking a key ends what it started). */
    invitedByApiKeyId: uuid("invited_by_api_key_id"),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    acceptedBy: uuid("accepted_by"),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    primaryKey({ name: "invitations_pkey", columns: [t.tenantId, t.id] }),
    uniqueIndex("invitations_tenant_token_key").on(t.tenantId, t.tokenHash),
    index("invitations_tenant_email_idx").on(t.tenantId, t.email),
    check("invitations_role_check", sql`${t.role} in ('owner', 'admin', 'member', 'viewer')`),
    check("invitations_email_lowercase", sql`${t.email} = lower(${t.email})`),
    foreignKey({ name: "invitations_tenant_fk", columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    tenantIsolation(),
  ],
);

/** Per-tenant API keys for machine clients: hash only, shown once, revocable. */
export const apiKeys = pgTable(
  "api_keys",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    name: text("name").notNull(),
    /** The first characters of the key, shown so people can tell keys apart. */
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull(),
    /** What the key may do (lib/api-key-scopes.ts); never members, invitations, keys, domains or mail. */
    scopes: text("scopes").array().notNull(),
    /** Refused from this moment on; null: until revoked. */
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    createdBy: uuid("created_by"),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    primaryKey({ name: "api_keys_pkey", columns: [t.tenantId, t.id] }),
    uniqueIndex("api_keys_tenant_hash_key").on(t.tenantId, t.keyHash),
    check("api_keys_scopes_check", sql`${t.scopes} <@ array['projects:read', 'projects:write', 'invoices:read', 'invoices:write']::text[] and cardinality(${t.scopes}) > 0`),
    foreignKey({ name: "api_keys_tenant_fk", columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    tenantIsolation(),
  ],
);

/**
 * Sign-in hand-off from the root domain to a tenant's custom domain: signed by being a random
 * 256-bit token stored hashed, single-use, short-lived, bound to one tenant (RLS) and one host.
 */
export const authHandoffs = pgTable(
  "auth_handoffs",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    tokenHash: text("token_hash").notNull(),
    userId: uuid("user_id").notNull(),
    parentSessionId: uuid("parent_session_id").notNull(),
    targetHost: text("target_host").notNull(),
    /**
     * SHA-256 of the verifier cookie the custom domain set before the hop: only the browser that
     * started the hand-off can complete it (no token replay elsewhere, no login CSRF).
     */
    verifierHash: text("verifier_hash"),
    nextPath: text("next_path").notNull().default("/"),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "auth_handoffs_pkey", columns: [t.tenantId, t.id] }),
    uniqueIndex("auth_handoffs_tenant_token_key").on(t.tenantId, t.tokenHash),
    foreignKey({ name: "auth_handoffs_tenant_fk", columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    tenantIsolation(),
  ],
);

/** Failed sign-in counters per email and per IP. Only the directory functions touch it. */
export const authAttempts = pgTable(
  "auth_attempts",
  {
    key: text("key").primaryKey(),
    failures: integer("failures").notNull().default(0),
    windowStartedAt: timestamp("window_started_at", { withTimezone: true }).notNull().defaultNow(),
    blockedUntil: timestamp("blocked_until", { withTimezone: true }),
  },
  () => [pgPolicy("directory_all", { for: "all", to: directoryRole, using: sql`true`, withCheck: sql`true` })],
);

/**
 * Email-address proofs: a mailed, single-use, expiring link (hash stored). Confirming needs the
 * account's password too (or a live session of the account), so a link clicked by the mailbox
 * owner never verifies an account someone else created with their address.
 */
export const emailVerifications = pgTable(
  "email_verifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").notNull(),
    /** The address being proven: the link is void if the account's email has changed since. */
    email: text("email").notNull(),
    tokenHash: text("token_hash").notNull(),
    /**
     * `verify`: proves the account's current address. `change`: proves a new address the account
     * moves to once it is confirmed (app_confirm_email_change); until then the old one stays.
     */
    purpose: text("purpose", { enum: ["verify", "change"] }).notNull().default("verify"),
    /** Where to continue after confirming (a same-site path, e.g. an invitation). */
    nextPath: text("next_path").notNull().default("/"),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("email_verifications_token_key").on(t.tokenHash),
    index("email_verifications_user_idx").on(t.userId),
    check("email_verifications_purpose_check", sql`${t.purpose} in ('verify', 'change')`),
    foreignKey({ name: "email_verifications_user_fk", columns: [t.userId], foreignColumns: [users.id] }).onDelete("cascade"),
    pgPolicy("email_verifications_self", { for: "all", to: "public", using: sql`${t.userId} = ${currentUserId}`, withCheck: sql`${t.userId} = ${currentUserId}` }),
  ],
);

/**
 * Password-reset links: mailed, single-use, expiring, stored as SHA-256 only. The app role may only
 * insert (its own user's rows, by RLS); it can neither read nor consume them. The holder of a link
 * reaches its row only through app_password_reset_user and app_consume_password_reset (drizzle/0019).
 */
export const passwordResets = pgTable(
  "password_resets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").notNull(),
    tokenHash: text("token_hash").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("password_resets_token_key").on(t.tokenHash),
    index("password_resets_user_idx").on(t.userId),
    foreignKey({ name: "password_resets_user_fk", columns: [t.userId], foreignColumns: [users.id] }).onDelete("cascade"),
    pgPolicy("password_resets_self", { for: "all", to: "public", using: sql`${t.userId} = ${currentUserId}`, withCheck: sql`${t.userId} = ${currentUserId}` }),
    pgPolicy("directory_all", { for: "all", to: directoryRole, using: sql`true`, withCheck: sql`true` }),
  ],
);

/**
 * Mail to a person rather than from a tenant (address verification, account notices). Readable
 * only in a transaction of its recipient (app.user_id): no tenant user or API key can read it.
 */
export const accountEmails = pgTable(
  "account_emails",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").notNull(),
    kind: text("kind").notNull(),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    htmlBody: text("html_body"),
    status: text("status", { enum: ["pending", "sent", "captured", "failed"] }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("account_emails_user_status_idx").on(t.userId, t.status),
    check("account_emails_status_check", sql`${t.status} in ('pending', 'sent', 'captured', 'failed')`),
    foreignKey({ name: "account_emails_user_fk", columns: [t.userId], foreignColumns: [users.id] }).onDelete("cascade"),
    pgPolicy("account_emails_self", { for: "all", to: "public", using: sql`${t.userId} = ${currentUserId}`, withCheck: sql`${t.userId} = ${currentUserId}` }),
  ],
);
