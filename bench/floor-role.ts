import postgres from "postgres";
import { setRolePassword } from "../scripts/lib/embedded-postgres";
import { randomPassword } from "../scripts/lib/local-secrets";

/** A role that bypasses RLS, for the floor only. Created in the bench's own database, never the app's. */
export async function createFloorRole(superuserUrl: string, database: string): Promise<string> {
  const url = new URL(superuserUrl);
  url.pathname = `/${database}`;
  // A role that bypasses RLS gets a password nobody can guess, new on every run.
  const password = randomPassword();
  const sql = postgres(url.toString(), { max: 1, onnotice: () => undefined });
  try {
    const [exists] = await sql`select 1 from pg_roles where rolname = 'canopy_bench_floor'`;
    if (!exists) await sql.unsafe(`create role canopy_bench_floor login bypassrls`);
    // projects for both floors; user_sessions and memberships for the tRPC floor's session + membership check.
    await sql.unsafe(`grant usage on schema public to canopy_bench_floor; grant select on projects, user_sessions, memberships to canopy_bench_floor`);
  } finally {
    await sql.end();
  }
  await setRolePassword(superuserUrl, "canopy_bench_floor", password);
  url.username = "canopy_bench_floor";
  url.password = password;
  return url.toString();
}
