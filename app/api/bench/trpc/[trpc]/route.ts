import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { env } from "@/lib/env";
import { classifyHost, normalizeHost } from "@/lib/host";
import { floorDb } from "@/server/bench/floor-db";
import { createFloorRouter } from "@/server/bench/floor-router";
import { createContext } from "@/server/context";
import { getDb } from "@/server/db";
import { resolveTenant } from "@/server/directory";
import { TenantRateLimiter } from "@/server/rate-limit";

export const dynamic = "force-dynamic";

/*
 * The tRPC floor of `npm run bench` (server/bench/floor-router.ts), and nothing else: a 404 unless
 * the server runs with BENCH_MODE=1 and BENCH_FLOOR_DATABASE_URL, which only bench/run.ts sets,
 * on the server it starts against its own throwaway database. The steps before the adapter
 * mirror /api/trpc's handler (cached tenant look-up, per-tenant rate limit), so the two differ
 * only in the procedure.
 */

let handle: ((req: Request) => Promise<Response>) | undefined;

function floorHandler(): ((req: Request) => Promise<Response>) | null {
  if (handle) return handle;
  const floor = floorDb();
  if (!floor) return null;
  const router = createFloorRouter(floor);
  const limiter = new TenantRateLimiter(env().TENANT_RATE_LIMIT_PER_SEC, env().TENANT_RATE_LIMIT_BURST);
  handle = async (req) => {
    const host = normalizeHost(req.headers.get("host"));
    const classified = host ? classifyHost(host, env().ROOT_DOMAIN) : null;
    const tenant = await resolveTenant(getDb(), classified).catch(() => null);
    if (tenant && limiter.take(tenant.id) > 0) return Response.json({ error: "TOO_MANY_REQUESTS" }, { status: 429 });
    return fetchRequestHandler({ endpoint: "/api/bench/trpc", req, router, createContext: () => createContext({ headers: req.headers }) });
  };
  return handle;
}

export async function GET(req: Request) {
  if (process.env.BENCH_MODE !== "1") return new Response("Not found", { status: 404 });
  const handler = floorHandler();
  return handler ? handler(req) : new Response("Not found", { status: 404 });
}
