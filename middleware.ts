import { NextResponse, type NextRequest } from "next/server";
import { classifyHost, normalizeHost, type ClassifiedHost } from "@/lib/host";
import { createNonce, dynamicSecurityHeaders, secureFromEnv } from "@/lib/security-headers";

/**
 * Edge dispatcher: parse the Host, resolve tenant hosts through the app's internal endpoint
 * (the Edge runtime cannot reach PostgreSQL), then hand the request to one surface.
 * This is a convenience layer: every tRPC procedure and page re-derives the tenant itself.
 */

type Resolved = { id: string; slug: string; status: string } | null;
const cache = new Map<string, { value: Resolved; expires: number }>();
/*
 * One second: the Edge runtime cannot hear the database's change notifications, but the resolve
 * endpoint's cache (server/tenancy/directory.ts) does, so a suspension or a removed domain reaches the
 * middleware within this TTL. The cost is one loopback call per host per second per instance.
 */
const POSITIVE_TTL_MS = 1_000;
const NEGATIVE_TTL_MS = 1_000;

/** Headers only Canopy may set: any client-sent copy is dropped so it cannot be forged downstream. */
const INTERNAL_HEADER = /^(x-tenant-|x-canopy-|x-middleware-|x-invoke-|x-next-|x-forwarded-host$)/;

/** Pages served the same on every host (they check the host themselves where it matters). */
const SHARED_PAGES = ["/signin", "/signup", "/handoff", "/verify-email", "/sso"];

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|api/internal/|api/health$|api/tls/).*)"],
};

export async function middleware(req: NextRequest) {
  const secure = secureFromEnv(process.env);
  // HTML gets the nonce policy; the JSON, PDF and CSV under /api/ get the base one (next-auth's own pages are HTML).
  const path = req.nextUrl.pathname;
  const html = !path.startsWith("/api/") || path.startsWith("/api/auth/");
  const page = html ? { nonce: createNonce(), dev: process.env.NODE_ENV === "development", secure, formTargets: handoffFormTargets(req, secure) } : null;
  const security = dynamicSecurityHeaders({ page, secure });
  const res = await dispatch(req, security["Content-Security-Policy"]);
  for (const [key, value] of Object.entries(security)) res.headers.set(key, value);
  return res;
}

/**
 * The custom-domain hand-off posts a form whose answer redirects to another Canopy host: from a
 * custom domain's sign-in page to the root domain, and from the root's confirmation page to that
 * custom domain. form-action governs those redirects too, so exactly that one origin is added.
 */
function handoffFormTargets(req: NextRequest, secure: boolean): string[] {
  const parsed = parse(req);
  const root = process.env.ROOT_DOMAIN?.toLowerCase();
  if (!parsed || !root) return [];
  const port = /:(\d{1,5})$/.exec(req.headers.get("host") ?? "")?.[1];
  const origin = (host: string) => `${secure ? "https" : "http"}://${host}${port ? `:${port}` : ""}`;
  if (parsed.path === "/signin" && parsed.host.kind === "custom") return [origin(root)];
  if (parsed.path === "/handoff/start" && parsed.host.kind === "root") {
    const target = normalizeHost(req.nextUrl.searchParams.get("host"));
    if (target && classifyHost(target, root)?.kind === "custom") return [origin(target)];
  }
  return [];
}

async function dispatch(req: NextRequest, csp: string) {
  const parsed = parse(req);
  if (!parsed) return statusPage(404, "Not found", "There is no Canopy workspace at this address.");
  const { host, path } = parsed;
  // The internal route tree is reachable only through the rewrites below.
  if (path === "/s" || path.startsWith("/s/")) return statusPage(404, "Not found", "This page does not exist.");
  switch (host.kind) {
    case "root":
      return surface(req, host, "root", null, csp);
    case "admin":
      return surface(req, host, "admin", null, csp);
    case "tenant":
    case "custom":
      return tenantSurface(req, host, csp);
  }
}

function parse(req: NextRequest): { host: ClassifiedHost; path: string } | null {
  const host = normalizeHost(req.headers.get("host"));
  const root = process.env.ROOT_DOMAIN?.toLowerCase();
  if (!host || !root) return null;
  const classified = classifyHost(host, root);
  return classified ? { host: classified, path: req.nextUrl.pathname } : null;
}

async function tenantSurface(req: NextRequest, host: ClassifiedHost, csp: string) {
  let tenant: Resolved;
  try {
    tenant = await resolve(host);
  } catch {
    return statusPage(503, "Temporarily unavailable", "Canopy could not look up this workspace. Try again in a moment.");
  }
  if (!tenant) return statusPage(404, "Workspace not found", "There is no Canopy workspace at this address.");
  if (tenant.status !== "active") {
    return statusPage(403, "Workspace suspended", "This workspace has been suspended. Contact its owner or Canopy support.");
  }
  return surface(req, host, "tenant", tenant, csp);
}

function surface(req: NextRequest, host: ClassifiedHost, kind: "root" | "admin" | "tenant", tenant: Resolved, csp: string) {
  const headers = new Headers();
  req.headers.forEach((value, key) => {
    if (!INTERNAL_HEADER.test(key)) headers.set(key, value);
  });
  // Validated above; kept with its port so next-auth builds correct callback URLs.
  headers.set("x-forwarded-host", req.headers.get("host") ?? host.host);
  headers.set("x-canopy-surface", kind);
  // Next reads the nonce for its own scripts from the request's policy; this also replaces any client-sent one.
  headers.set("content-security-policy", csp);
  const path = req.nextUrl.pathname;
  if (path.startsWith("/api/") || SHARED_PAGES.some((p) => path === p || path.startsWith(`${p}/`))) {
    return NextResponse.next({ request: { headers } });
  }
  const url = req.nextUrl.clone();
  // Invitation pages and public invoice views sit outside the tenant layout, which refuses non-members
  // (the invitee is not one yet; an invoice's customer never is). Only tenant hosts reach them.
  const outsideLayout = kind === "tenant" && (path.startsWith("/invite/") || path.startsWith("/i/"));
  url.pathname = outsideLayout ? `/s${path}` : `/s/${kind}${path === "/" ? "" : path}`;
  return NextResponse.rewrite(url, { request: { headers } });
}

async function resolve(host: ClassifiedHost): Promise<Resolved> {
  const key = host.host;
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && hit.expires > now) return hit.value;
  const base = process.env.INTERNAL_URL ?? "http://localhost:3000";
  const res = await fetch(`${base}/api/internal/resolve?host=${encodeURIComponent(host.host)}`, {
    headers: { "x-canopy-internal": process.env.INTERNAL_SECRET ?? "" },
    cache: "no-store",
    signal: AbortSignal.timeout(3000),
  });
  if (!res.ok) throw new Error(`resolve failed: ${res.status}`);
  const body = (await res.json()) as { tenant: Resolved };
  if (cache.size > 5000) cache.clear();
  cache.set(key, { value: body.tenant, expires: now + (body.tenant ? POSITIVE_TTL_MS : NEGATIVE_TTL_MS) });
  return body.tenant;
}

function statusPage(status: number, title: string, message: string) {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title} · Canopy</title><style>body{font-family:system-ui,sans-serif;display:grid;place-items:center;min-height:100vh;margin:0;background:#f8fafc;color:#0f172a}main{text-align:center;padding:2rem}h1{font-size:1.5rem}p{color:#475569}</style></head><body><main><p>${status}</p><h1>${title}</h1><p>${message}</p></main></body></html>`;
  return new NextResponse(html, { status, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } });
}
