import postgres from "postgres";
import { setRolePassword, type LocalPostgres } from "./embedded-postgres";

export type DatabaseUrls = { DATABASE_URL: string; MIGRATION_DATABASE_URL: string };

/**
 * Creates (if missing) the owner role, the application login role and the database on a
 * server we control as superuser (the embedded one, or a throwaway test server). The roles get
 * the server's `rolePasswords` every time, which also moves a cluster created with the old fixed
 * passwords onto this install's generated ones.
 */
export async function bootstrapDatabase(server: Pick<LocalPostgres, "superuserUrl" | "rolePasswords">, database: string): Promise<DatabaseUrls> {
  const { superuserUrl, rolePasswords } = server;
  const sql = postgres(superuserUrl, { max: 1, onnotice: () => undefined });
  const owner = "canopy_owner";
  const app = "canopy_app";
  try {
    const roles = await sql<{ rolname: string }[]>`select rolname from pg_roles where rolname in (${owner}, ${app})`;
    const have = new Set(roles.map((r) => r.rolname));
    // Owner may create roles (the migrations create NOLOGIN group roles) but is no superuser.
    if (!have.has(owner)) await sql.unsafe(`create role ${owner} login createrole`);
    // The application role: logs in, owns nothing, cannot bypass RLS.
    if (!have.has(app)) await sql.unsafe(`create role ${app} login nosuperuser nobypassrls nocreatedb nocreaterole`);
    const dbs = await sql`select 1 from pg_database where datname = ${database}`;
    if (dbs.length === 0) await sql.unsafe(`create database "${database}" owner ${owner}`);
  } finally {
    await sql.end();
  }
  await setRolePassword(superuserUrl, owner, rolePasswords.owner);
  await setRolePassword(superuserUrl, app, rolePasswords.app);
  const url = (user: string, password: string) => {
    const u = new URL(superuserUrl);
    u.username = user;
    u.password = encodeURIComponent(password);
    u.pathname = `/${database}`;
    return u.toString();
  };
  return { DATABASE_URL: url(app, rolePasswords.app), MIGRATION_DATABASE_URL: url(owner, rolePasswords.owner) };
}

export async function dropDatabase(superuserUrl: string, database: string): Promise<void> {
  const sql = postgres(superuserUrl, { max: 1, onnotice: () => undefined });
  try {
    await sql.unsafe(`drop database if exists "${database}" with (force)`);
  } finally {
    await sql.end();
  }
}
