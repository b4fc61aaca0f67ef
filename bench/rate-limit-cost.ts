/**
 * API budget decisions per second for `npm run bench -- --cluster`, run as a child with
 * `--conditions=react-server` (the app's modules): the shared PostgreSQL store against the
 * in-process one (the fallback, and what each server counted alone before), each `take` called
 * directly in a loop for a fixed time with 1 and 16 in flight, over 1,000 keys with room left.
 * Prints one JSON line: [{ store, inFlight, decisions, seconds, perSecond }].
 */
import postgres from "postgres";
import { memoryBucketStore, postgresBucketStore, type BucketStore } from "@/server/rate-limit";

export type RateLimitRun = { store: string; inFlight: number; decisions: number; seconds: number; perSecond: number };

const seconds = Number(process.env.BENCH_RATE_LIMIT_SECONDS ?? "3");
// A rule no loop can exhaust: every decision is the common case, an upsert that admits the call.
const rule = { perSecond: 1e9, burst: 1e9 };

async function decisionsFor(store: BucketStore, inFlight: number, ms: number): Promise<number> {
  const until = performance.now() + ms;
  let n = 0;
  const worker = async () => {
    while (performance.now() < until) await store.take(`address:bench-${n++ % 1000}`, 1, rule);
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return n;
}

const sql = postgres(process.env.DATABASE_URL!, { max: 4, onnotice: () => undefined });
const prefix = `bench-cluster-${Date.now()}`;
const stores: [string, BucketStore][] = [
  ["in process (RateLimiterMemory)", memoryBucketStore(prefix)],
  ["PostgreSQL (rate_limit.buckets)", postgresBucketStore(sql, { keyPrefix: prefix })],
];
const out: RateLimitRun[] = [];
try {
  for (const [store, bucket] of stores) {
    for (const inFlight of [1, 16]) {
      // A short warm-up: connections opened, statements planned, the keys' rows present.
      await decisionsFor(bucket, inFlight, 500);
      const t0 = performance.now();
      const decisions = await decisionsFor(bucket, inFlight, seconds * 1000);
      const took = (performance.now() - t0) / 1000;
      out.push({ store, inFlight, decisions, seconds: took, perSecond: decisions / took });
    }
  }
  // The bench's keys only: the table is shared with the servers' own budgets.
  await sql`delete from rate_limit.buckets where key like ${`${prefix}%`}`.catch(() => undefined);
} finally {
  await sql.end();
}
console.log(JSON.stringify(out));
process.exit(0);
