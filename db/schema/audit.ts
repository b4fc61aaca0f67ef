import { foreignKey, index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { idColumn, tenantIdColumn, tenantIsolation } from "./_shared";
import { tenants } from "./tenants";

/** Append-only: the app role is granted SELECT and INSERT only (drizzle/0002). */
export const auditLog = pgTable(
  "audit_log",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    actorUserId: uuid("actor_user_id"),
    /** Set instead of the user when a machine client acted through an API key. */
    actorApiKeyId: uuid("actor_api_key_id"),
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: uuid("entity_id"),
    before: jsonb("before"),
    after: jsonb("after"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "audit_log_pkey", columns: [t.tenantId, t.id] }),
    index("audit_log_tenant_created_idx").on(t.tenantId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    foreignKey({ name: "audit_log_tenant_fk", columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    tenantIsolation(),
  ],
);
