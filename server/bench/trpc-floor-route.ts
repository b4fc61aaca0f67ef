import "server-only";
import { env } from "@/lib/env";
import { floorDb } from "./floor-db";
import { createFloorRouter } from "./floor-router";
import { createTrpcHandler } from "@/server/api/trpc-handler";
import { rateLimiterFromEnv } from "@/server/rate-limit";

/*
 * The tRPC floor of `npm run bench` (./floor-router.ts), and nothing else, served at
 * /api/bench/trpc/<procedure> by app/api/bench/trpc/[trpc]/route.ts: a 404 unless
 * the server runs with BENCH_MODE=1 and BENCH_FLOOR_DATABASE_URL, which only bench/run.ts sets,
 * on the server it starts against its own throwaway database. It is /api/trpc's own handler
 * (batch cap, budgets, context) over the floor router, so the two differ only in the procedure.
 */

let handle: ((req: Request) => Promise<Response>) | undefined;

function floorHandler(): ((req: Request) => Promise<Response>) | null {
  if (handle) return handle;
  const floor = floorDb();
  if (!floor) return null;
  handle = createTrpcHandler({ limiter: rateLimiterFromEnv(), maxBatchSize: env().TRPC_MAX_BATCH_SIZE, router: createFloorRouter(floor), endpoint: "/api/bench/trpc" });
  return handle;
}

export async function benchTrpcFloorGET(req: Request) {
  if (!env().BENCH_MODE) return new Response("Not found", { status: 404 });
  const handler = floorHandler();
  return handler ? handler(req) : new Response("Not found", { status: 404 });
}
