import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type Database } from "@/db/client";
import { withTenant } from "@/db/tenant-transaction";
import { createTenant, closeDb, type TenantFixture } from "../support/fixtures";

const TENANTS = 20;
const CALLS = 2_000;
const CONCURRENCY = 40;

type Runner = (db: Database, tenantId: string) => Promise<{ tenant_id: string }[]>;

/** The real path: one transaction, transaction-local setting, and a query that "forgot" its WHERE. */
const correct: Runner = (db, tenantId) =>
  withTenant(db, { tenantId }, (tx) => tx.execute<{ tenant_id: string }>(sql`select tenant_id from projects`)).then((r) => [...r]);

/** The classic mistake: a session-level setting on a pooled connection, then a query on whichever connection is free. */
const sessionLevelSet: Runner = async (db, tenantId) => {
  await db.execute(sql`select set_config('app.tenant_id', ${tenantId}, false)`);
  await new Promise((r) => setImmediate(r));
  return [...(await db.execute<{ tenant_id: string }>(sql`select tenant_id from projects`))];
};

/** Interleaves CALLS calls across the tenants on a pool of 4 and counts rows that belong to someone else. */
async function foreignRows(runner: Runner, tenants: TenantFixture[], opts: { stopAtFirstLeak?: boolean } = {}): Promise<{ foreign: number; rows: number }> {
  const { db, client } = createDatabase(process.env.DATABASE_URL!, { max: 4 });
  let foreign = 0;
  let rows = 0;
  try {
    let next = 0;
    const worker = async () => {
      while (next < CALLS && !(opts.stopAtFirstLeak && foreign > 0)) {
        const i = next++;
        const tenant = tenants[(i * 7) % tenants.length]!;
        const result = await runner(db, tenant.id);
        rows += result.length;
        foreign += result.filter((r) => r.tenant_id !== tenant.id).length;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  } finally {
    await client.end();
  }
  return { foreign, rows };
}

/**
 * Behind PgBouncer the broken variant leaves its session-level setting on shared server
 * connections (that is the bug it demonstrates). Have PgBouncer drop those connections so the
 * files that run after this one start clean.
 */
async function forgetSessionSettings(): Promise<void> {
  const adminUrl = process.env.PGBOUNCER_ADMIN_URL;
  if (!adminUrl) return;
  const admin = postgres(adminUrl, { max: 1, prepare: false, fetch_types: false, onnotice: () => undefined });
  try {
    await admin.unsafe("RECONNECT", [], { prepare: false });
  } finally {
    await admin.end();
  }
}

let tenants: TenantFixture[];

beforeAll(async () => {
  tenants = [];
  for (let i = 0; i < TENANTS; i++) tenants.push(await createTenant(undefined, { projects: 2, invoices: 0 }));
});
afterAll(closeDb);

describe(`${CALLS} interleaved tenant calls over ${TENANTS} tenants on a pool of 4`, () => {
  it("return zero foreign rows through the tenant transaction", async () => {
    const { foreign, rows } = await foreignRows(correct, tenants);
    expect(rows).toBe(CALLS * 2);
    expect(foreign).toBe(0);
  });

  it("catch the session-level SET variant (the check can fail)", async () => {
    // Stops at the first foreign row: one is proof enough (and through PgBouncer the unsafe
    // variant is slow, since every autocommit statement takes and returns a server connection).
    const { foreign } = await foreignRows(sessionLevelSet, tenants, { stopAtFirstLeak: true });
    await forgetSessionSettings();
    expect(foreign).toBeGreaterThan(0);
  });
});
