import "server-only";
import { env } from "@/lib/env";
import { classifyHost, normalizeHost, type ClassifiedHost } from "@/lib/host";
import { readSession, type Session } from "./auth";
import { getDb } from "./db";
import type { Database } from "@/db/client";

export type Context = {
  db: Database;
  host: ClassifiedHost | null;
  session: Session | null;
};

/**
 * Built from the raw request headers. The tenant is re-derived from Host here and in the
 * tenant procedure: headers set by middleware (x-tenant-*) are never read, so a forged one is inert.
 */
export async function createContext(opts: { headers: Headers }): Promise<Context> {
  const host = normalizeHost(opts.headers.get("host"));
  return {
    db: getDb(),
    host: host ? classifyHost(host, env().ROOT_DOMAIN) : null,
    session: await readSession(opts.headers.get("cookie")),
  };
}
