import { describe, expect, it } from "vitest";
import { memoryBucketStore, windowOf } from "@/server/rate-limit";

// 10 calls per 5 s window.
const rule = { perSecond: 2, burst: 10 };

describe("budgets", () => {
  it("hold the burst in a window as long as refilling it takes", () => {
    expect(windowOf({ perSecond: 10, burst: 60 })).toEqual({ points: 60, duration: 6 });
    expect(windowOf({ perSecond: 50, burst: 100 })).toEqual({ points: 100, duration: 2 });
    expect(windowOf({ perSecond: 1000, burst: 100 })).toEqual({ points: 100, duration: 1 });
    expect(windowOf({ perSecond: 0.001, burst: 20 })).toEqual({ points: 20, duration: 20_000 });
  });

  it("allow a burst, then refuse with the whole seconds until the window ends", async () => {
    const store = memoryBucketStore();
    expect(await store.take("k", 10, rule)).toBe(0);
    const wait = await store.take("k", 1, rule);
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(5);
  });

  it("take a batch all or nothing: a refused batch leaves room for a smaller request", async () => {
    const store = memoryBucketStore();
    expect(await store.take("k", 7, rule)).toBe(0);
    expect(await store.take("k", 5, rule)).toBeGreaterThanOrEqual(1);
    expect(await store.take("k", 3, rule)).toBe(0);
    expect(await store.take("k", 1, rule)).toBeGreaterThanOrEqual(1);
  });

  it("with a cost of 0 ask whether a call is left, taking none", async () => {
    const store = memoryBucketStore();
    expect(await store.take("k", 0, rule)).toBe(0);
    expect(await store.take("k", 10, rule)).toBe(0);
    expect(await store.take("k", 0, rule)).toBeGreaterThanOrEqual(1);
  });

  it("keep keys apart", async () => {
    const store = memoryBucketStore();
    expect(await store.take("busy", 10, rule)).toBe(0);
    expect(await store.take("busy", 1, rule)).toBeGreaterThanOrEqual(1);
    expect(await store.take("idle", 10, rule)).toBe(0);
  });
});
