/**
 * What the tenant path's statements cost, without Next or tRPC: `npm run bench:statements`.
 * A throwaway embedded PostgreSQL (.data/bench-statement-pg), 10 seeded tenants, then each variant
 * below 5,000 times over 10 connections through raw postgres.js with prepared statements, in
 * alternating rounds. Printed per variant (medians over the rounds): CPU µs per call of this process
 * (the driver's side) and of the PostgreSQL server's processes (from /proc), and wall time per call.
 * It is how ratio 1's gap was taken apart (docs/performance.md); not part of `npm run bench`.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { bootstrapDatabase } from "../scripts/lib/bootstrap";
import { freePort, startEmbeddedPostgres } from "../scripts/lib/embedded-postgres";
import { runMigrations } from "../scripts/lib/migrate";
import { createFloorRole } from "./floor-role";
import { cpuBetween, postmasterPid, treeCpuUs } from "./proc";
import { benchIds, seedTenants } from "./seed";

const CALLS = 5000;
const ROUNDS = 5;
const CONNECTIONS = 10;

const dir = path.resolve(".data/bench-statement-pg");
rmSync(dir, { recursive: true, force: true });
const pg = await startEmbeddedPostgres({ dir, port: await freePort(), quiet: true });
const urls = await bootstrapDatabase(pg, "canopy_statement_cost");
await runMigrations({ migrationUrl: urls.MIGRATION_DATABASE_URL, appUrl: urls.DATABASE_URL });
await seedTenants(urls.MIGRATION_DATABASE_URL, { from: 1, to: 1 }, { projectsPerTenant: 5, invoicesPerTenant: 10 });

const floorUrl = await createFloorRole(pg.superuserUrl, "canopy_statement_cost");
const { tenantId, userId, sessionId } = benchIds(1);
const serverPid = postmasterPid(dir)!;

// The statements as the app sends them (shapes, not drizzle's exact text).
const SESSION = `select (select m.role from memberships m where m.tenant_id = $1 and m.user_id = $2) from user_sessions where (id = $3 and revoked_at is null and expires_at > now() and (host is null or false))`;
const LIST = `select tenant_id, id, name, description, status, created_by, created_at, updated_at from projects where tenant_id = $1 order by created_at desc, id desc limit $2`;
const SETTINGS = `select set_config('app.tenant_id', $1, true), set_config('app.user_id', $2, true), set_config('statement_timeout', $3, true)`;
const FENCED = `${SETTINGS}, app_tenant_fence($4::uuid, $5)`;
const PROBED = `${FENCED}, exists (select 1 from user_sessions where id = $6 and revoked_at is null and expires_at > now() and (host is null or false)) as session_live, (select m.role from memberships m where m.tenant_id = $4 and m.user_id = $7) as member_role`;

const app = postgres(urls.DATABASE_URL, { max: CONNECTIONS, onnotice: () => undefined });
const floor = postgres(floorUrl, { max: CONNECTIONS, onnotice: () => undefined });
const run = (sql: postgres.Sql | postgres.TransactionSql, text: string, params: string[]) => sql.unsafe(text, params, { prepare: true });
const fenced = [tenantId, userId, "5000", tenantId, "shared"];

const variants: Record<string, () => Promise<unknown>> = {
  "floor: session check, list (no tx, BYPASSRLS)": async () => {
    await run(floor, SESSION, [tenantId, userId, sessionId]);
    await run(floor, LIST, [tenantId, "21"]);
  },
  "as built: begin, settings+fence+check, list, commit": () =>
    app.begin(async (tx) => {
      const [row] = await run(tx, PROBED, [...fenced, sessionId, userId]);
      if (row?.session_live !== true || !row.member_role) throw new Error("the probe found no live member");
      await run(tx, LIST, [tenantId, "21"]);
    }),
  "check as a separate statement": () =>
    app.begin(async (tx) => {
      const settings = run(tx, FENCED, fenced);
      const check = run(tx, SESSION, [tenantId, userId, sessionId]);
      await settings;
      await check;
      await run(tx, LIST, [tenantId, "21"]);
    }),
  "same without the fence": () =>
    app.begin(async (tx) => {
      const settings = run(tx, SETTINGS, [tenantId, userId, "5000"]);
      const check = run(tx, SESSION, [tenantId, userId, sessionId]);
      await settings;
      await check;
      await run(tx, LIST, [tenantId, "21"]);
    }),
};

async function measure(fn: () => Promise<unknown>, calls: number) {
  let started = 0;
  const db0 = treeCpuUs(serverPid);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (started++ < calls) await fn();
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  const wall = performance.now() - t0;
  const db = cpuBetween(db0, treeCpuUs(serverPid));
  return { client: (cpu.user + cpu.system) / calls, server: db / calls, wall: (wall * 1000) / calls };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
try {
  for (const fn of Object.values(variants)) await measure(fn, 1000); // warm: prepare every statement on every connection
  const results = new Map<string, { client: number[]; server: number[]; wall: number[] }>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, fn] of Object.entries(variants)) {
      const r = await measure(fn, CALLS);
      const into = results.get(name) ?? { client: [], server: [], wall: [] };
      into.client.push(r.client);
      into.server.push(r.server);
      into.wall.push(r.wall);
      results.set(name, into);
    }
  }
  console.log(`${CALLS} calls × ${ROUNDS} rounds over ${CONNECTIONS} connections; medians, µs per call`);
  console.log(`${"variant".padEnd(54)}${"client CPU".padStart(11)}${"server CPU".padStart(11)}${"wall".padStart(7)}`);
  for (const [name, r] of results) {
    console.log(`${name.padEnd(54)}${median(r.client).toFixed(0).padStart(11)}${median(r.server).toFixed(0).padStart(11)}${median(r.wall).toFixed(0).padStart(7)}`);
  }
} finally {
  await app.end();
  await floor.end();
  await pg.stop();
}
