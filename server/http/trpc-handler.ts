import "server-only";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { env } from "@/lib/env";
import { classifyHost, normalizeHost } from "@/lib/host";
import { createContext } from "@/server/context";
import { getDb } from "@/server/db";
import { resolveTenant } from "@/server/directory";
import type { TenantRateLimiter } from "@/server/rate-limit";
import { appRouter } from "@/server/routers/_app";

/**
 * Cross-site request forgery: a browser marks requests from other sites (Sec-Fetch-Site) and
 * sends their Origin; a mutation from another origin is refused before it reaches a procedure.
 */
function crossSite(req: Request): boolean {
  if (req.method === "GET") return false;
  if (req.headers.get("sec-fetch-site") === "cross-site") return true;
  const origin = req.headers.get("origin");
  if (!origin) return false;
  try {
    return new URL(origin).host !== req.headers.get("host");
  } catch {
    return true;
  }
}

const trpcError = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
  Response.json({ error: { json: { message, code: -32000, data: { code, httpStatus: status } } } }, { status, headers });

/** /api/trpc: CSRF guard, per-tenant rate limit, then the tRPC fetch adapter. */
export function createTrpcHandler(opts: { limiter: TenantRateLimiter }) {
  return async (req: Request): Promise<Response> => {
    if (crossSite(req)) return trpcError(403, "FORBIDDEN", "Cross-site request refused");
    const host = normalizeHost(req.headers.get("host"));
    const classified = host ? classifyHost(host, env().ROOT_DOMAIN) : null;
    if (classified?.kind === "tenant" || classified?.kind === "custom") {
      const tenant = await resolveTenant(getDb(), classified).catch(() => null);
      const wait = tenant ? opts.limiter.take(tenant.id) : 0;
      if (wait > 0) {
        return trpcError(429, "TOO_MANY_REQUESTS", `Too many requests for this workspace; retry in ${wait} s`, { "retry-after": String(wait) });
      }
    }
    return fetchRequestHandler({
      endpoint: "/api/trpc",
      req,
      router: appRouter,
      createContext: () => createContext({ headers: req.headers }),
    });
  };
}
