import { sql } from "drizzle-orm";
import { pgPolicy, pgRole, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * The tenant of the current transaction. `nullif`: once a transaction ends, a
 * `set_config(..., true)` setting reads back as '' rather than NULL, and ''::uuid
 * would raise; the sub-select makes PostgreSQL evaluate it once per statement.
 */
export const currentTenantId = sql.raw(`(select nullif(current_setting('app.tenant_id', true), ''))::uuid`);
export const currentUserId = sql.raw(`(select nullif(current_setting('app.user_id', true), ''))::uuid`);

/** NOLOGIN role that owns the SECURITY DEFINER directory functions (see drizzle/0000). */
export const directoryRole = pgRole("canopy_directory").existing();
/** NOLOGIN group role the application's login role joins (see drizzle/0000). */
export const appRole = pgRole("canopy_app_rw").existing();

/** USING and WITH CHECK on the same predicate: no setting means no rows, and no writes. */
export function tenantIsolation(column = "tenant_id") {
  const predicate = sql`${sql.identifier(column)} = ${currentTenantId}`;
  return pgPolicy("tenant_isolation", { as: "permissive", for: "all", to: "public", using: predicate, withCheck: predicate });
}

/** Lets only the directory functions' owner read every row (host, sign-in and workspace look-ups). */
export function directoryRead() {
  return pgPolicy("directory_read", { as: "permissive", for: "select", to: directoryRole, using: sql`true` });
}

export const tenantIdColumn = () => uuid("tenant_id").notNull();
export const idColumn = () => uuid("id").notNull().defaultRandom();

export const timestamps = {
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date()),
};
