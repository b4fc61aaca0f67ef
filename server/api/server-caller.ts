import "server-only";
import { TRPCError } from "@trpc/server";
import { headers } from "next/headers";
import { after } from "next/server";
import { cache } from "react";
import { createContext } from "@/server/api/context";
import { PageTenant } from "@/server/api/page-tenant";
import type { Admitted } from "@/server/api/trpc";
import { createCaller } from "@/server/api/root";
import { benchPerReadPage } from "@/server/bench/wire-count";

/**
 * tRPC for server components: the same procedures, the same ladder, the same RLS path, with the
 * page render's reads sharing one tenant transaction (server/api/page-tenant.ts).
 */
export const serverCaller = cache(async () => {
  const h = new Headers(await headers());
  const ctx = await createContext({ headers: h });
  if (benchPerReadPage(h)) return createCaller(ctx);
  const pageTenant = new PageTenant<Admitted>();
  // Once the response is sent, the page's reads are over: its transaction commits.
  after(() => pageTenant.close());
  return createCaller({ ...ctx, pageTenant });
});

/** The signed-in account for a page (account.status), or null when nobody is signed in here. */
export async function signedInAccount() {
  const caller = await serverCaller();
  return caller.account.status().catch((error: unknown) => {
    if (error instanceof TRPCError && error.code === "UNAUTHORIZED") return null;
    throw error;
  });
}
