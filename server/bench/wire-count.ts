import "server-only";
import net from "node:net";

/**
 * Round trips to PostgreSQL on the application's pools, counted only when the bench starts the
 * server (BENCH_MODE=1): a round trip is each time a connection writes after having read (or
 * writes first), so statements sent together (pipelined) count once. `npm run bench` reads the
 * totals before and after one page render.
 */
export const wireCounts = { roundTrips: 0 };

/** postgres.js's `socket` option: its connections, with their writes counted. */
export function countingSocket(options: { host: string[]; port: number[] }): net.Socket {
  const socket = net.connect({ host: options.host[0], port: options.port[0]! });
  let waiting = false;
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  socket.write = ((...args: unknown[]) => {
    if (!waiting) wireCounts.roundTrips++;
    waiting = true;
    return write(...args);
  });
  socket.on("data", () => {
    waiting = false;
  });
  return socket;
}

/** Driver options for the application's pools: counting in the bench, nothing otherwise. */
export function benchDriver(): Record<string, unknown> | undefined {
  return process.env.BENCH_MODE === "1" ? { socket: countingSocket } : undefined;
}

/**
 * The bench's "before" for page renders: every read in a transaction of its own, as before pages
 * shared one. Honoured only with BENCH_MODE=1, so a client can never choose it in production.
 */
export function benchPerReadPage(headers: Headers): boolean {
  return process.env.BENCH_MODE === "1" && headers.get("x-bench-page-transaction") === "per-read";
}
