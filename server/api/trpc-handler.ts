import "server-only";
import type { AnyTRPCRouter } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { TRPC_ERROR_CODES_BY_KEY, type TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { requestClientAddress } from "@/lib/client-address.mjs";
import { createContext } from "@/server/api/context";
import { withCallBudget, type CallBudget, type Payer, type RateLimiter } from "@/server/rate-limit";
import { appRouter } from "@/server/api/root";

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

const trpcError = (status: number, code: TRPC_ERROR_CODE_KEY, message: string, headers: Record<string, string> = {}) =>
  Response.json({ error: { json: { message, code: TRPC_ERROR_CODES_BY_KEY[code], data: { code, httpStatus: status } } } }, { status, headers });

const trimSlashes = (s: string) => s.replace(/^\/+|\/+$/g, "");

/**
 * The procedure paths a request calls, read exactly as tRPC's fetch adapter reads them: the
 * URL path after the endpoint, URI-decoded, split on commas when `batch=1` (GET and POST alike:
 * a POST batch's body is keyed by these indexes, and keys beyond them are never run).
 */
export function callPaths(req: Request, endpoint: string): string[] {
  const url = new URL(req.url);
  const raw = trimSlashes(trimSlashes(url.pathname).slice(trimSlashes(endpoint).length));
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    path = raw;
  }
  return url.searchParams.get("batch") === "1" ? path.split(",") : [path];
}

/** Tenant procedures are the ones that declare a permission (tenantProcedure refuses any other). */
function isTenantCall(router: AnyTRPCRouter, path: string): boolean {
  const procedures = router._def.procedures as Record<string, { _def?: { meta?: { permission?: unknown } } } | undefined>;
  return Object.hasOwn(procedures, path) && procedures[path]?._def?.meta?.permission !== undefined;
}

export type TrpcHandlerOptions = {
  limiter: RateLimiter;
  /** Calls one request may batch (TRPC_MAX_BATCH_SIZE). */
  maxBatchSize: number;
  router?: AnyTRPCRouter;
  endpoint?: string;
  /** The client's address; by default the one the server entry computed (lib/client-address.mjs). */
  clientAddress?: (req: Request) => string | null;
};

/** /api/trpc: CSRF guard, batch cap, the caller's budget, then the tRPC fetch adapter. */
export function createTrpcHandler(opts: TrpcHandlerOptions) {
  const router = opts.router ?? appRouter;
  const endpoint = opts.endpoint ?? "/api/trpc";
  const clientAddress = opts.clientAddress ?? ((req: Request) => requestClientAddress(req.headers));
  return async (req: Request): Promise<Response> => {
    if (crossSite(req)) return trpcError(403, "FORBIDDEN", "Cross-site request refused");
    const paths = callPaths(req, endpoint);
    // Refused before anything runs: a batch is as many calls as it names, and each one costs.
    if (paths.length > opts.maxBatchSize) {
      return trpcError(400, "BAD_REQUEST", `A batch may hold at most ${opts.maxBatchSize} calls; this one has ${paths.length}`);
    }
    // Decodes the session cookie (no database); the tRPC context is this same object.
    const ctx = await createContext({ headers: req.headers });
    const credentialed = ctx.session !== null || ctx.apiKey !== null;
    const payer: Payer = ctx.session
      ? { kind: "session", sessionId: ctx.session.sessionId }
      : { kind: "address", address: clientAddress(req), apiKey: ctx.apiKey !== null };
    // Anonymous requests pay for every call here. A credentialed request's tenant calls are paid
    // by the tenant once its principal is proven (chargeTenantCall); the rest are paid here, and
    // with none the caller must still have budget left: refused credentials spend it, so a flood
    // of forged keys or a non-member's session costs no database work once it runs dry.
    const cost = credentialed ? paths.filter((path) => !isTenantCall(router, path)).length : paths.length;
    const wait = await opts.limiter.chargeCaller(payer, cost);
    if (wait > 0) {
      const who = payer.kind === "session" ? "this session" : "this address";
      return trpcError(429, "TOO_MANY_REQUESTS", `Too many requests from ${who}; retry in ${wait} s`, { "retry-after": String(wait) });
    }
    const budget: CallBudget = { limiter: opts.limiter, payer, retryAfter: 0 };
    return withCallBudget(budget, () =>
      fetchRequestHandler({
        endpoint,
        req,
        router,
        maxBatchSize: opts.maxBatchSize,
        createContext: () => ctx,
        responseMeta: () => (budget.retryAfter > 0 ? { headers: { "retry-after": String(budget.retryAfter) } } : {}),
      }),
    );
  };
}
