import { afterEach, describe, expect, it } from "vitest";
import { PlacementPools, UnknownPlacementError } from "@/db/placements";

// postgres.js connects on first query, so these pools never open a socket.
const url = (name: string) => `postgres://app:app@127.0.0.1:1/${name}`;

describe("PlacementPools", () => {
  let pools: PlacementPools;
  afterEach(() => pools.closeAll());

  it("creates a pool on first use and reuses it", () => {
    pools = new PlacementPools({ a: url("a") }, { maxPools: 2, poolSize: 1 });
    expect(pools.size).toBe(0);
    const first = pools.get("a");
    expect(pools.get("a")).toBe(first);
    expect(pools.size).toBe(1);
  });

  it("caps open pools, closing the least recently used", () => {
    pools = new PlacementPools({ a: url("a"), b: url("b"), c: url("c") }, { maxPools: 2, poolSize: 1 });
    const a = pools.get("a");
    const b = pools.get("b");
    expect(pools.get("a")).toBe(a); // a is now the most recently used
    pools.get("c");
    expect(pools.size).toBe(2);
    expect(pools.get("a")).toBe(a);
    expect(pools.get("b")).not.toBe(b); // b was evicted and comes back as a new pool
  });

  it("refuses a placement that is not configured", () => {
    pools = new PlacementPools({ a: url("a") }, { maxPools: 2, poolSize: 1 });
    expect(() => pools.get("nowhere")).toThrow(UnknownPlacementError);
    expect(pools.has("a")).toBe(true);
    expect(pools.has("toString")).toBe(false);
    expect(pools.names()).toEqual(["a"]);
  });
});
