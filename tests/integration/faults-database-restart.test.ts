import { TRPCError } from "@trpc/server";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase } from "@/db/client";
import { withTenant } from "@/db/tenant-transaction";
import { bootstrapDatabase } from "@/scripts/lib/bootstrap";
import { freePort, startEmbeddedPostgres, type LocalPostgres } from "@/scripts/lib/embedded-postgres";
import { runMigrations } from "@/scripts/lib/migrate";
import { callerFor, createTenant, type TenantFixture } from "../support/fixtures";

/**
 * A PostgreSQL of this file's own (the shared one serves other files in parallel), stopped and
 * started again while calls keep coming. Bounded: a few workers, a fixed number of seconds.
 */
let pg: LocalPostgres;
let database: ReturnType<typeof createDatabase>;
let tenant: TenantFixture;

beforeAll(async () => {
  pg = await startEmbeddedPostgres({ dir: `.data/test-pg-faults-${process.pid}`, port: await freePort(), quiet: true });
  const urls = await bootstrapDatabase(pg, "canopy_faults");
  await runMigrations({ migrationUrl: urls.MIGRATION_DATABASE_URL, appUrl: urls.DATABASE_URL });
  database = createDatabase(urls.DATABASE_URL, { max: 4 });
  tenant = await createTenant(database.db, { projects: 1, invoices: 1 });
}, 180_000);

afterAll(async () => {
  await database?.client.end({ timeout: 1 });
  await pg?.stop().catch(() => undefined);
});

const invoiceInput = () => ({
  customerName: "Load Test Ltd",
  currency: "USD" as const,
  issueDate: "2026-01-01",
  dueDate: "2026-01-31",
  items: [
    { description: "One", quantity: "1", unitPrice: 1000, taxRateBp: 0 },
    { description: "Two", quantity: "2", unitPrice: 500, taxRateBp: 1000 },
  ],
});

type Outcome = { ok: boolean; code: string | null; ms: number; at: number };

describe("PostgreSQL stopped and restarted under load", () => {
  it("fails fast with a typed 'unavailable' error, recovers by itself, and leaves no half-written invoice", async () => {
    const caller = callerFor(tenant.host, tenant.users.owner, database.db);
    const outcomes: Outcome[] = [];
    let running = true;
    const worker = async () => {
      while (running) {
        const t0 = Date.now();
        try {
          await caller.invoice.create(invoiceInput());
          outcomes.push({ ok: true, code: null, ms: Date.now() - t0, at: t0 });
        } catch (error) {
          outcomes.push({ ok: false, code: error instanceof TRPCError ? error.code : String(error), ms: Date.now() - t0, at: t0 });
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    };
    const load = Promise.all([worker(), worker(), worker()]);
    await new Promise((r) => setTimeout(r, 1500));
    await pg.stop();
    const stoppedAt = Date.now();
    await new Promise((r) => setTimeout(r, 3000));
    await pg.start();
    const restartedAt = Date.now();
    // Recovery: the same pool serves again without anyone restarting the app.
    const recoverBy = Date.now() + 30_000;
    while (!outcomes.some((o) => o.ok && o.at > restartedAt) && Date.now() < recoverBy) await new Promise((r) => setTimeout(r, 200));
    running = false;
    await load;

    const during = outcomes.filter((o) => o.at > stoppedAt && o.at + o.ms < restartedAt);
    expect(outcomes.filter((o) => o.ok && o.at < stoppedAt).length).toBeGreaterThan(0);
    expect(during.length).toBeGreaterThan(0);
    for (const o of during) {
      expect(o.ok).toBe(false);
      expect(o.code).toBe("SERVICE_UNAVAILABLE");
      // "No hang": a bound an order of magnitude above the connect timeout, not a speed target.
      expect(o.ms).toBeLessThan(15_000);
    }
    expect(outcomes.some((o) => o.ok && o.at > restartedAt)).toBe(true);
    const unexpected = outcomes.filter((o) => !o.ok && o.code !== "SERVICE_UNAVAILABLE");
    expect(unexpected.map((o) => o.code)).toEqual([]);

    const [orphans] = await withTenant(database.db, { tenantId: tenant.id }, (tx) =>
      tx.execute<{ n: number }>(sql`
        select count(*)::int as n from invoices i
        where not exists (select 1 from invoice_items it where it.tenant_id = i.tenant_id and it.invoice_id = i.id)`),
    );
    expect(orphans?.n).toBe(0);
    const [numbers] = await withTenant(database.db, { tenantId: tenant.id }, (tx) =>
      tx.execute<{ n: number; max: number }>(sql`select count(*)::int as n, max(number)::int as max from invoices`),
    );
    // Gap-free even across the outage: every number handed out belongs to a committed invoice.
    expect(numbers?.max).toBe(numbers?.n);
  }, 120_000);
});
