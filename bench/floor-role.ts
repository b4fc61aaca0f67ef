import postgres from "postgres";

/** A role that bypasses RLS, for the floor only. Created in the bench's own database, never the app's. */
export async function createFloorRole(superuserUrl: string, database: string): Promise<string> {
  const url = new URL(superuserUrl);
  url.pathname = `/${database}`;
  const sql = postgres(url.toString(), { max: 1, onnotice: () => undefined });
  try {
    const [exists] = await sql`select 1 from pg_roles where rolname = 'canopy_bench_floor'`;
    if (!exists) await sql.unsafe(`create role canopy_bench_floor login bypassrls password 'canopy_bench_floor'`);
    // projects for both floors; user_sessions and memberships for the tRPC floor's session + membership check.
    await sql.unsafe(`grant usage on schema public to canopy_bench_floor; grant select on projects, user_sessions, memberships to canopy_bench_floor`);
  } finally {
    await sql.end();
  }
  url.username = url.password = "canopy_bench_floor";
  return url.toString();
}
