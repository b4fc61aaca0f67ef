import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { PlacementPools } from "@/db/placements";

/** Two placement names on the test database, and room for one open pool: using one evicts the other. */
const pools = new PlacementPools({ a: process.env.DATABASE_URL!, b: process.env.DATABASE_URL! }, { maxPools: 1, poolSize: 1 });
afterAll(() => pools.closeAll());

const signal = () => {
  let fire = () => {};
  const fired = new Promise<void>((resolve) => (fire = resolve));
  return { fire, fired };
};

describe("dedicated pools under eviction", () => {
  it("work that holds a pool when it is evicted still runs on it: a transaction begun after the eviction commits", async () => {
    const leased = signal();
    const evicted = signal();
    const inA = pools.use("a", async (db) => {
      leased.fire();
      await evicted.fired; // like a request between picking its database and its first statement
      return db.transaction(async (tx) => {
        const [one] = await tx.execute<{ n: number }>(sql`select 1 as n`);
        const [two] = await tx.execute<{ n: number }>(sql`select 2 as n`);
        return [one?.n, two?.n];
      });
    });
    await leased.fired;
    await pools.use("b", (db) => db.execute(sql`select 1`)); // evicts a while it is leased
    expect(pools.size).toBe(2); // b, and a draining
    evicted.fire();
    expect(await inA).toEqual([1, 2]);
    expect(pools.size).toBe(1); // a closed when its lease ended
  });
});
