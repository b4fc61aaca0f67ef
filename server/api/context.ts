import "server-only";
import { env } from "@/lib/env";
import { classifyHost, normalizeHost, type ClassifiedHost } from "@/lib/host";
import { requestClientAddress } from "@/lib/client-address.mjs";
import { readSession, type Session } from "@/server/auth";
import { getDb } from "@/server/tenancy/pools";
import { apiKeyPattern, sha256Hex } from "@/server/tokens";
import type { Database } from "@/db/client";
import type { PageTenant } from "./page-tenant";
import type { Admitted } from "./trpc";

/** A presented API key, reduced to its hash at once; the tenant procedure looks it up. */
export type ApiKeyCredential = { keyHash: string };

export type Context = {
  /** The shared database's pool (directory tables, accounts); tenant rows only through enterTenant. */
  directory: Database;
  host: ClassifiedHost | null;
  session: Session | null;
  apiKey: ApiKeyCredential | null;
  /** The client's address as the server's own front door recorded it (for per-address limits). */
  clientAddress?: string | null;
  /** The browser's User-Agent, only to describe a session or a security notice ("Chrome on Linux"). */
  userAgent?: string | null;
  /** Server components only: the page render's one tenant transaction, shared by its reads. */
  pageTenant?: PageTenant<Admitted>;
};

/**
 * `Authorization: Bearer cnp_…`. A malformed bearer value yields no credential at all (so the
 * call is UNAUTHORIZED), never a fall-back to the cookie.
 */
export function readBearer(authorization: string | null): { present: boolean; apiKey: ApiKeyCredential | null } {
  const [scheme, token, ...rest] = (authorization ?? "").trim().split(/\s+/);
  if (scheme?.toLowerCase() !== "bearer") return { present: false, apiKey: null };
  const valid = token !== undefined && rest.length === 0 && apiKeyPattern.test(token);
  return { present: true, apiKey: valid ? { keyHash: sha256Hex(token) } : null };
}

/**
 * Built from the raw request headers. The tenant is re-derived from Host here and in the
 * tenant procedure: headers set by middleware (x-tenant-*) are never read, so a forged one is inert.
 */
export async function createContext(opts: { headers: Headers }): Promise<Context> {
  const host = normalizeHost(opts.headers.get("host"));
  const bearer = readBearer(opts.headers.get("authorization"));
  return {
    directory: getDb(),
    host: host ? classifyHost(host, env().ROOT_DOMAIN) : null,
    // Never both principals: a machine client must not ride a browser session that happens to
    // travel with the request (and a key must not gain what the cookie's user may do).
    session: bearer.present ? null : await readSession(opts.headers.get("cookie"), opts.headers.get("host")),
    apiKey: bearer.apiKey,
    clientAddress: requestClientAddress(opts.headers),
    userAgent: opts.headers.get("user-agent"),
  };
}
