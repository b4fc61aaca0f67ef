import { sql } from "drizzle-orm";
import postgres from "postgres";
import type { Database } from "@/db/client";
import { withTenant } from "@/db/tenant-transaction";
import { tenantTables } from "@/server/modules/admin/tenant-archive";
import { appDb, createUser, ROOT, type UserFixture } from "./fixtures";

export const ADMIN_HOST = `admin.${ROOT}`;

/** A platform admin: only the owner role can set is_platform_admin (the app role's column grants refuse it). */
export async function createPlatformAdmin(db: Database = appDb()): Promise<UserFixture> {
  const user = await createUser(db, "platform-admin");
  const owner = postgres(process.env.MIGRATION_DATABASE_URL!, { max: 1, onnotice: () => undefined });
  try {
    await owner.begin(async (tx) => {
      await tx`select set_config('app.user_id', ${user.id}, true)`;
      await tx`update users set is_platform_admin = true where id = ${user.id}`;
    });
  } finally {
    await owner.end();
  }
  return user;
}

/** Every row of every tenant table (found in the catalog) plus the tenant row, read in the tenant's scope. */
export async function fullTenantFingerprint(db: Database, tenantId: string): Promise<Record<string, { h: string; n: number }>> {
  const tables = ["tenants", ...(await tenantTables(db))];
  return withTenant(db, { tenantId }, async (tx) => {
    const out: Record<string, { h: string; n: number }> = {};
    for (const table of tables) {
      const [row] = await tx.execute<{ h: string; n: number }>(
        sql`select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as h, count(*)::int as n from ${sql.identifier(table)} t`,
      );
      out[table] = row!;
    }
    return out;
  });
}
