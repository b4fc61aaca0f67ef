import { sql } from "drizzle-orm";
import { boolean, check, foreignKey, index, pgPolicy, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { appRole, currentUserId, directoryRead, tenantIdColumn, tenantIsolation, timestamps } from "./_shared";
import { tenants } from "./tenants";

/** People. Not tenant data: a user may belong to many tenants. */
export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash"),
    /** Set only by app_confirm_email (a mailed, single-use link), never by the app role directly. */
    emailVerifiedAt: timestamp("email_verified_at", { withTimezone: true }),
    isPlatformAdmin: boolean("is_platform_admin").notNull().default(false),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("users_email_key").on(t.email),
    check("users_email_lowercase", sql`${t.email} = lower(${t.email})`),
    // A user reads and writes their own row only.
    pgPolicy("users_self", { for: "all", to: "public", using: sql`${t.id} = ${currentUserId}`, withCheck: sql`${t.id} = ${currentUserId}` }),
    // Inside a tenant transaction, members of that tenant see each other (memberships is itself tenant-scoped).
    pgPolicy("users_fellow_members", {
      for: "select",
      to: "public",
      using: sql`exists (select 1 from memberships m where m.user_id = ${t.id})`,
    }),
    // Nobody signs up as a platform admin: only the owner role can grant it.
    pgPolicy("users_no_self_promotion", { as: "restrictive", for: "insert", to: appRole, withCheck: sql`not ${t.isPlatformAdmin}` }),
    directoryRead(),
  ],
);

export const memberRoles = ["owner", "admin", "member", "viewer"] as const;
export type MemberRole = (typeof memberRoles)[number];

export const memberships = pgTable(
  "memberships",
  {
    tenantId: tenantIdColumn(),
    userId: uuid("user_id").notNull(),
    role: text("role", { enum: memberRoles }).notNull(),
    ...timestamps,
  },
  (t) => [
    primaryKey({ name: "memberships_pkey", columns: [t.tenantId, t.userId] }),
    // For "my workspaces" (a directory look-up across tenants by user).
    index("memberships_user_idx").on(t.userId),
    check("memberships_role_check", sql`${t.role} in ('owner', 'admin', 'member', 'viewer')`),
    foreignKey({ name: "memberships_tenant_fk", columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    foreignKey({ name: "memberships_user_fk", columns: [t.userId], foreignColumns: [users.id] }).onDelete("cascade"),
    tenantIsolation(),
    directoryRead(),
  ],
);
