import path from "node:path";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { installJobSchema } from "@/server/jobs/install";

/**
 * Applies drizzle/ as the owner role, then makes the application's login role a member of
 * canopy_app_rw and refuses to finish if that role could bypass RLS.
 */
export async function runMigrations(urls: { migrationUrl: string; appUrl: string }): Promise<void> {
  const sql = postgres(urls.migrationUrl, { max: 1, onnotice: () => undefined });
  try {
    await migrate(drizzle(sql), { migrationsFolder: path.resolve(process.cwd(), "drizzle") });
    const appUser = decodeURIComponent(new URL(urls.appUrl).username);
    const [role] = await sql<{ rolsuper: boolean; rolbypassrls: boolean }[]>`
      select rolsuper, rolbypassrls from pg_roles where rolname = ${appUser}`;
    if (!role) throw new Error(`DATABASE_URL role "${appUser}" does not exist`);
    if (role.rolsuper || role.rolbypassrls) {
      throw new Error(`DATABASE_URL role "${appUser}" is a superuser or has BYPASSRLS; use a plain login role`);
    }
    const [owned] = await sql<{ n: number }[]>`
      select count(*)::int as n from pg_class c join pg_roles r on r.oid = c.relowner
      where r.rolname = ${appUser} and c.relnamespace = 'public'::regnamespace`;
    if ((owned?.n ?? 0) > 0) throw new Error(`DATABASE_URL role "${appUser}" owns tables; it must own nothing`);
    await sql.unsafe(`grant canopy_app_rw to "${appUser.replaceAll('"', '""')}"`);
  } finally {
    await sql.end();
  }
  await installJobSchema(urls.migrationUrl);
}
