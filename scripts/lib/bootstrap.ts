import postgres from "postgres";

export type DatabaseUrls = { DATABASE_URL: string; MIGRATION_DATABASE_URL: string };

/**
 * Creates (if missing) the owner role, the application login role and the database on a
 * server we control as superuser (the embedded one, or a throwaway test server).
 */
export async function bootstrapDatabase(superuserUrl: string, database: string): Promise<DatabaseUrls> {
  const sql = postgres(superuserUrl, { max: 1, onnotice: () => undefined });
  try {
    const owner = "canopy_owner";
    const app = "canopy_app";
    const roles = await sql<{ rolname: string }[]>`select rolname from pg_roles where rolname in (${owner}, ${app})`;
    const have = new Set(roles.map((r) => r.rolname));
    // Owner may create roles (the migrations create NOLOGIN group roles) but is no superuser.
    if (!have.has(owner)) await sql.unsafe(`create role ${owner} login createrole password '${owner}'`);
    // The application role: logs in, owns nothing, cannot bypass RLS.
    if (!have.has(app)) await sql.unsafe(`create role ${app} login nosuperuser nobypassrls nocreatedb nocreaterole password '${app}'`);
    const dbs = await sql`select 1 from pg_database where datname = ${database}`;
    if (dbs.length === 0) await sql.unsafe(`create database "${database}" owner ${owner}`);
    const base = new URL(superuserUrl);
    const url = (user: string) => {
      const u = new URL(base);
      u.username = user;
      u.password = user;
      u.pathname = `/${database}`;
      return u.toString();
    };
    return { DATABASE_URL: url(app), MIGRATION_DATABASE_URL: url(owner) };
  } finally {
    await sql.end();
  }
}

export async function dropDatabase(superuserUrl: string, database: string): Promise<void> {
  const sql = postgres(superuserUrl, { max: 1, onnotice: () => undefined });
  try {
    await sql.unsafe(`drop database if exists "${database}" with (force)`);
  } finally {
    await sql.end();
  }
}
