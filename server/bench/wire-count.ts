import "server-only";
import { countingSocket } from "@/db/wire-count";

/**
 * Round trips to PostgreSQL on the application's pools, counted only when the bench starts the
 * server (BENCH_MODE=1). `npm run bench` reads the total before and after one page render. On
 * `globalThis`, like db/tenant-transaction.ts's transaction counts, so every bundle adds to one.
 */
export const wireCounts: { roundTrips: number } = ((globalThis as { canopyWireCounts?: { roundTrips: number } }).canopyWireCounts ??= { roundTrips: 0 });

/** Driver options for the application's pools: counting in the bench, nothing otherwise. */
export function benchDriver(): Record<string, unknown> | undefined {
  return process.env.BENCH_MODE === "1" ? { socket: countingSocket(wireCounts) } : undefined;
}

/**
 * The bench's "before" for page renders: every read in a transaction of its own, as before pages
 * shared one. Honoured only with BENCH_MODE=1, so a client can never choose it in production.
 */
export function benchPerReadPage(headers: Headers): boolean {
  return process.env.BENCH_MODE === "1" && headers.get("x-bench-page-transaction") === "per-read";
}
