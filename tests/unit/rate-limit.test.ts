import { describe, expect, it } from "vitest";
import { MemoryBucketStore } from "@/server/rate-limit";

const rule = { perSecond: 2, burst: 10 };

describe("token buckets", () => {
  it("allow a burst, then refill at the rate", async () => {
    const store = new MemoryBucketStore();
    expect(await store.take("k", 10, rule, 0)).toBe(0);
    expect(await store.take("k", 1, rule, 0)).toBe(1);
    expect(await store.take("k", 1, rule, 500)).toBe(0);
    expect(await store.take("k", 4, rule, 500)).toBe(2);
  });

  it("take a batch all or nothing, and say how long until it fits", async () => {
    const store = new MemoryBucketStore();
    expect(await store.take("k", 7, rule, 0)).toBe(0);
    expect(await store.take("k", 5, rule, 0)).toBe(1);
    expect(await store.take("k", 3, rule, 0)).toBe(0);
    expect(await store.take("k", 1, rule, 0)).toBe(1);
  });

  it("with a cost of 0 ask whether a token is left, taking none", async () => {
    const store = new MemoryBucketStore();
    expect(await store.take("k", 0, rule, 0)).toBe(0);
    expect(await store.take("k", 10, rule, 0)).toBe(0);
    expect(await store.take("k", 0, rule, 0)).toBe(1);
  });

  it("keep keys apart, and evict the least recently used key when full", async () => {
    const store = new MemoryBucketStore(2);
    await store.take("busy", 10, rule, 0);
    await store.take("idle", 10, rule, 0);
    await store.take("busy", 0, rule, 0);
    await store.take("new", 1, rule, 0);
    // "busy" kept its empty bucket; "idle" was evicted and starts full again.
    expect(await store.take("busy", 1, rule, 0)).toBe(1);
    expect(await store.take("idle", 10, rule, 0)).toBe(0);
  });
});
