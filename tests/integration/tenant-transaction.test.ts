import { eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase } from "@/db/client";
import { countingSocket } from "@/db/wire-count";
import { projects } from "@/db/schema/projects";
import { isPlacementMoved, withTenant, withUser } from "@/db/tenant-transaction";
import { callerFor, closeDb, createTenant, type TenantFixture } from "../support/fixtures";

/**
 * The wire as postgres.js sees it. A round trip is each time the client has to wait for the
 * server: a write that follows a read (or is the first). Writes with no read in between travel
 * together: that is pipelining. `statements` is every statement in the order it was sent.
 */
function watchedDatabase(opts: { prepare: boolean }) {
  const wire = { roundTrips: 0, statements: [] as string[] };
  const socket = countingSocket(wire);
  const debug = (_connection: number, text: string) => void wire.statements.push(text.replace(/\s+/g, " ").trim());
  const database = createDatabase(process.env.DATABASE_URL!, { max: 1, prepare: opts.prepare, driver: { socket, debug } });
  const measure = async <T>(call: () => Promise<T>) => {
    // Warm: every statement is then prepared on the connection, as on a busy server.
    for (let i = 0; i < 3; i++) await call();
    wire.roundTrips = 0;
    wire.statements = [];
    const result = await call();
    return { result, trips: wire.roundTrips, statements: [...wire.statements] };
  };
  return { ...database, wire, measure };
}

const kind = (statement: string) =>
  /^(begin|commit|rollback)\b/i.test(statement) ? statement.split(" ")[0]!.toLowerCase() : statement.includes("set_config('app.tenant_id'") ? "settings" : "statement";

let a: TenantFixture;
let b: TenantFixture;
beforeAll(async () => {
  a = await createTenant(undefined, { projects: 3, invoices: 0 });
  b = await createTenant(undefined, { projects: 1, invoices: 0 });
});
afterAll(closeDb);

describe("round trips of a tenant transaction (prepared statements)", () => {
  it("sends BEGIN, the settings and the first statement together: 2 round trips for one statement", async () => {
    const db = watchedDatabase({ prepare: true });
    try {
      const { result, trips, statements } = await db.measure(() => withTenant(db.db, { tenantId: a.id }, (tx) => tx.select({ id: projects.id }).from(projects)));
      expect(result).toHaveLength(3);
      expect(statements.map(kind)).toEqual(["begin", "settings", "statement", "commit"]);
      // Were BEGIN awaited before the rest, this would be 3.
      expect(trips).toBe(2);
    } finally {
      await db.client.end();
    }
  });

  it("project.list through the tenant procedure takes at most 3, BEGIN and COMMIT included", async () => {
    const db = watchedDatabase({ prepare: true });
    try {
      const caller = callerFor(a.host, a.users.owner, db.db);
      const { result, trips, statements } = await db.measure(() => caller.project.list({}));
      expect(result.items).toHaveLength(3);
      // begin, settings + fence + the session and membership check (sessionProbe), the list, commit.
      expect(statements.map(kind)).toEqual(["begin", "settings", "statement", "commit"]);
      expect(statements[1]).toContain("session_live");
      expect(trips).toBeLessThanOrEqual(3);
    } finally {
      await db.client.end();
    }
  });

  it("withUser pipelines the same way", async () => {
    const db = watchedDatabase({ prepare: true });
    try {
      const { result, trips } = await db.measure(() =>
        withUser(db.db, a.users.owner.id, (tx) => tx.execute<{ user_id: string }>(sql`select current_setting('app.user_id', true) as user_id`)),
      );
      expect(result[0]?.user_id).toBe(a.users.owner.id);
      expect(trips).toBe(2);
    } finally {
      await db.client.end();
    }
  });

  it("behind PgBouncer (unprepared) the transaction still sets the tenant first and rolls back on error", async () => {
    const db = watchedDatabase({ prepare: false });
    try {
      const { result, statements } = await db.measure(() =>
        withTenant(db.db, { tenantId: a.id }, (tx) => tx.execute<{ tenant: string }>(sql`select current_setting('app.tenant_id', true) as tenant`)),
      );
      expect(result[0]?.tenant).toBe(a.id);
      expect(statements.map(kind)).toEqual(["begin", "settings", "statement", "commit"]);
      await expect(
        withTenant(db.db, { tenantId: a.id }, async (tx) => {
          await tx.insert(projects).values({ tenantId: a.id, name: "unprepared, rolled back" });
          throw new Error("boom");
        }),
      ).rejects.toThrow("boom");
      const rows = await withTenant(db.db, { tenantId: a.id }, (tx) => tx.select().from(projects).where(eq(projects.name, "unprepared, rolled back")));
      expect(rows).toEqual([]);
    } finally {
      await db.client.end();
    }
  });
});

describe("the pipelined transaction keeps the guarantees", () => {
  it("every statement sees its own tenant, over one connection shared by interleaved calls", async () => {
    const { db, client } = createDatabase(process.env.DATABASE_URL!, { max: 1, prepare: true });
    try {
      const calls = Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b)).map((t) =>
        withTenant(db, { tenantId: t.id }, async (tx) => {
          const first = await tx.execute<{ tenant: string }>(sql`select current_setting('app.tenant_id', true) as tenant`);
          const rows = await tx.select({ tenantId: projects.tenantId }).from(projects);
          return { expected: t.id, first: first[0]?.tenant, tenants: [...new Set(rows.map((r) => r.tenantId))] };
        }),
      );
      for (const r of await Promise.all(calls)) {
        expect(r.first).toBe(r.expected);
        expect(r.tenants).toEqual([r.expected]);
      }
      // Transaction-local: nothing is left on the connection afterwards.
      const [after] = await db.execute<{ tenant: string }>(sql`select current_setting('app.tenant_id', true) as tenant`);
      expect(after?.tenant ?? "").toBe("");
    } finally {
      await client.end();
    }
  });

  it("rolls back what the handler wrote when it throws, and the connection serves the next call", async () => {
    const { db, client } = createDatabase(process.env.DATABASE_URL!, { max: 1, prepare: true });
    try {
      await expect(
        withTenant(db, { tenantId: a.id }, async (tx) => {
          await tx.insert(projects).values({ tenantId: a.id, name: "half-written" });
          throw new Error("boom after a write");
        }),
      ).rejects.toThrow("boom after a write");
      const rows = await withTenant(db, { tenantId: a.id }, (tx) => tx.select().from(projects).where(eq(projects.name, "half-written")));
      expect(rows).toEqual([]);
    } finally {
      await client.end();
    }
  });

  it("applies the transaction config (isolation level, access mode) in BEGIN", async () => {
    const { db, client } = createDatabase(process.env.DATABASE_URL!, { max: 1, prepare: true });
    try {
      const [row] = await withTenant(
        db,
        { tenantId: a.id },
        (tx) => tx.execute<{ isolation: string; readOnly: string }>(sql`select current_setting('transaction_isolation') as isolation, current_setting('transaction_read_only') as "readOnly"`),
        { isolationLevel: "repeatable read", accessMode: "read only" },
      );
      expect(row).toEqual({ isolation: "repeatable read", readOnly: "on" });
      await expect(
        withTenant(db, { tenantId: a.id }, (tx) => tx.insert(projects).values({ tenantId: a.id, name: "read only" }), { accessMode: "read only" }),
      ).rejects.toThrow();
    } finally {
      await client.end();
    }
  });

  it("nested tx.transaction is a savepoint: the inner rollback keeps the outer work", async () => {
    const { db, client } = createDatabase(process.env.DATABASE_URL!, { max: 1, prepare: true });
    const name = `savepoint-${crypto.randomUUID()}`;
    try {
      await withTenant(db, { tenantId: a.id }, async (tx) => {
        await tx.insert(projects).values({ tenantId: a.id, name: `${name} outer` });
        await expect(
          tx.transaction(async (inner) => {
            await inner.insert(projects).values({ tenantId: a.id, name: `${name} inner` });
            throw new Error("inner fails");
          }),
        ).rejects.toThrow("inner fails");
        await tx.transaction((inner) => inner.insert(projects).values({ tenantId: a.id, name: `${name} second` }));
      });
      const rows = await withTenant(db, { tenantId: a.id }, (tx) => tx.select({ name: projects.name }).from(projects));
      expect(rows.map((r) => r.name).filter((n) => n.startsWith(name)).sort()).toEqual([`${name} outer`, `${name} second`]);
    } finally {
      await client.end();
    }
  });

  it("a failing fence (moved placement) surfaces as CN001, not as the aborted statement after it", async () => {
    const { db, client } = createDatabase(process.env.DATABASE_URL!, { max: 1, prepare: true });
    try {
      const error = await withTenant(db, { tenantId: a.id, placement: "elsewhere" }, (tx) => tx.select().from(projects)).catch((e: unknown) => e);
      expect(isPlacementMoved(error)).toBe(true);
      // The connection was rolled back and handed on clean.
      const rows = await withTenant(db, { tenantId: a.id, placement: "shared" }, (tx) => tx.select().from(projects));
      expect(rows.length).toBeGreaterThan(0);
    } finally {
      await client.end();
    }
  });

  it("a statement left running by the handler after the transaction ended is refused, never run outside it", async () => {
    const { db, client } = createDatabase(process.env.DATABASE_URL!, { max: 1, prepare: true });
    const name = `stray-${crypto.randomUUID()}`;
    try {
      let stray: Promise<unknown> = Promise.resolve();
      await withTenant(db, { tenantId: a.id }, async (tx) => {
        await tx.select().from(projects).limit(1);
        stray = new Promise((r) => setTimeout(r, 50)).then(() => tx.insert(projects).values({ tenantId: a.id, name }));
      });
      await expect(stray).rejects.toThrow();
      const rows = await withTenant(db, { tenantId: a.id }, (tx) => tx.select().from(projects).where(eq(projects.name, name)));
      expect(rows).toEqual([]);
    } finally {
      await client.end();
    }
  });

  it("a connection killed mid-transaction fails the call, and nothing more is sent on it while the pool reconnects it", async () => {
    const { db, client } = createDatabase(process.env.DATABASE_URL!, { max: 1, prepare: true });
    const killer = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => undefined });
    const name = `killed-${crypto.randomUUID()}`;
    try {
      let waiting: Promise<unknown> = Promise.resolve();
      const error = await withTenant(db, { tenantId: a.id }, async (tx) => {
        const [me] = await tx.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`);
        await tx.insert(projects).values({ tenantId: a.id, name });
        // Queued for the pool's only connection: the pool reconnects it for this one when it closes.
        waiting = db.execute<{ tenant: string }>(sql`select current_setting('app.tenant_id', true) as tenant`).then((rows) => [...rows]);
        await killer`select pg_terminate_backend(${me!.pid})`;
        await new Promise((r) => setTimeout(r, 200));
      }).catch((e: unknown) => e);
      expect((error as { code?: string }).code).toBe("CONNECTION_CLOSED");
      // Had COMMIT (or ROLLBACK) followed the close, it would have gone to the reconnecting connection.
      const [state] = (await waiting) as { tenant: string }[];
      expect(state?.tenant ?? "").toBe("");
      const rows = await withTenant(db, { tenantId: a.id }, (tx) => tx.select().from(projects).where(eq(projects.name, name)));
      expect(rows).toEqual([]);
    } finally {
      await killer.end();
      await client.end();
    }
  });
});
