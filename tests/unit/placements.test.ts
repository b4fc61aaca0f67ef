import { afterEach, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { PlacementPools, UnknownPlacementError } from "@/db/placements";

// postgres.js connects on first query, so these pools never open a socket.
const url = (name: string) => `postgres://app:app@127.0.0.1:1/${name}`;
const dbOf = (pools: PlacementPools, placement: string) => pools.use(placement, (db) => Promise.resolve(db));

describe("PlacementPools", () => {
  let pools: PlacementPools;
  afterEach(() => pools.closeAll());

  it("creates a pool on first use and reuses it", async () => {
    pools = new PlacementPools({ a: url("a") }, { maxPools: 2, poolSize: 1 });
    expect(pools.size).toBe(0);
    const first = await dbOf(pools, "a");
    expect(await dbOf(pools, "a")).toBe(first);
    expect(pools.size).toBe(1);
  });

  it("caps open pools, closing the least recently used", async () => {
    pools = new PlacementPools({ a: url("a"), b: url("b"), c: url("c") }, { maxPools: 2, poolSize: 1 });
    const a = await dbOf(pools, "a");
    const b = await dbOf(pools, "b");
    expect(await dbOf(pools, "a")).toBe(a); // a is now the most recently used
    await dbOf(pools, "c");
    expect(pools.size).toBe(2);
    expect(await dbOf(pools, "a")).toBe(a);
    expect(await dbOf(pools, "b")).not.toBe(b); // b was evicted and comes back as a new pool
  });

  it("keeps an evicted pool open while a lease on it lasts, and closes it when the lease ends", async () => {
    pools = new PlacementPools({ a: url("a"), b: url("b") }, { maxPools: 1, poolSize: 1 });
    let finish = () => {};
    const held = new Promise<void>((resolve) => (finish = resolve));
    let leased: Database | undefined;
    const lease = pools.use("a", async (db) => {
      leased = db;
      await held;
    });
    await dbOf(pools, "b"); // evicts a, which is still leased
    expect(pools.size).toBe(2);
    finish();
    await lease;
    expect(pools.size).toBe(1);
    expect(await dbOf(pools, "a")).not.toBe(leased);
  });

  it("refuses a placement that is not configured", async () => {
    pools = new PlacementPools({ a: url("a") }, { maxPools: 2, poolSize: 1 });
    await expect(dbOf(pools, "nowhere")).rejects.toThrow(UnknownPlacementError);
    expect(pools.has("a")).toBe(true);
    expect(pools.has("toString")).toBe(false);
    expect(pools.names()).toEqual(["a"]);
  });
});
