import { sql } from "drizzle-orm";
import { boolean, check, index, integer, jsonb, pgPolicy, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { currentUserId } from "./_shared";

/** True when the transaction's user is a platform administrator (their own row is visible to them). */
const isPlatformAdmin = sql.raw(
  `exists (select 1 from users u where u.id = (select nullif(current_setting('app.user_id', true), ''))::uuid and u.is_platform_admin)`,
);

/** Every platform-admin action. Not tenant data: only platform admins read or append it. */
export const platformAuditLog = pgTable(
  "platform_audit_log",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    actorUserId: uuid("actor_user_id").notNull(),
    action: text("action").notNull(),
    tenantId: uuid("tenant_id"),
    details: jsonb("details"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("platform_audit_log_created_idx").on(t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    pgPolicy("platform_admins_read", { for: "select", to: "public", using: isPlatformAdmin }),
    pgPolicy("platform_admins_append", { for: "insert", to: "public", withCheck: sql`${isPlatformAdmin} and ${t.actorUserId} = ${currentUserId}` }),
  ],
);

export const exportStatuses = ["queued", "running", "done", "failed"] as const;

/** Tenant export archives, produced by a job; only platform admins see them. */
export const tenantExports = pgTable(
  "tenant_exports",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id").notNull(),
    requestedBy: uuid("requested_by").notNull(),
    status: text("status", { enum: exportStatuses }).notNull().default("queued"),
    progress: integer("progress").notNull().default(0),
    archive: text("archive"),
    error: text("error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    index("tenant_exports_tenant_idx").on(t.tenantId, t.createdAt.desc().nullsFirst()),
    check("tenant_exports_status_check", sql`${t.status} in ('queued', 'running', 'done', 'failed')`),
    pgPolicy("platform_admins_all", { for: "all", to: "public", using: isPlatformAdmin, withCheck: isPlatformAdmin }),
  ],
);

/**
 * "View as tenant" for support: a platform admin, a reason, a deadline, read-only unless stated.
 * The tenant procedure admits the admin to that tenant only while a row like this is live.
 */
export const supportSessions = pgTable(
  "support_sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    adminUserId: uuid("admin_user_id").notNull(),
    tenantId: uuid("tenant_id").notNull(),
    reason: text("reason").notNull(),
    readOnly: boolean("read_only").notNull().default(true),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("support_sessions_admin_idx").on(t.adminUserId, t.tenantId),
    check("support_sessions_reason_check", sql`length(trim(${t.reason})) >= 5`),
    pgPolicy("support_sessions_admin", {
      for: "all",
      to: "public",
      using: sql`${t.adminUserId} = ${currentUserId} and ${isPlatformAdmin}`,
      withCheck: sql`${t.adminUserId} = ${currentUserId} and ${isPlatformAdmin}`,
    }),
  ],
);

export const movePhases = ["requested", "copying", "copied", "flipped", "done", "rolled_back", "failed"] as const;
export type MovePhase = (typeof movePhases)[number];

/**
 * Moves of a tenant's rows between placements (see db/tenant-move.ts). One row per
 * attempt; the phase says how far it got, so an interrupted move can be resumed or rolled back.
 * Platform admins request and read them; the mover (owner role) writes them.
 */
export const tenantMoves = pgTable(
  "tenant_moves",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id").notNull(),
    source: text("source").notNull(),
    target: text("target").notNull(),
    phase: text("phase", { enum: movePhases }).notNull().default("requested"),
    requestedBy: uuid("requested_by"),
    /** Per table: rows and checksum on each side, as verified before the flip. */
    report: jsonb("report"),
    /** How long tenant writes were paused, in milliseconds. */
    pauseMs: integer("pause_ms"),
    error: text("error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    index("tenant_moves_tenant_idx").on(t.tenantId, t.createdAt.desc().nullsFirst()),
    // One unfinished move per tenant: two movers would copy over each other.
    uniqueIndex("tenant_moves_one_open_key").on(t.tenantId).where(sql`${t.phase} not in ('done', 'rolled_back')`),
    check("tenant_moves_phase_check", sql`${t.phase} in ('requested', 'copying', 'copied', 'flipped', 'done', 'rolled_back', 'failed')`),
    check("tenant_moves_distinct_check", sql`${t.source} <> ${t.target}`),
    pgPolicy("platform_admins_all", { for: "all", to: "public", using: isPlatformAdmin, withCheck: isPlatformAdmin }),
  ],
);
