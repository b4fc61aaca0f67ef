import "server-only";
import { TRPCError } from "@trpc/server";
import { headers } from "next/headers";
import { cache } from "react";
import { createContext } from "@/server/api/context";
import { createCaller } from "@/server/api/root";

/** tRPC for server components: the same procedures, the same ladder, the same RLS path. */
export const serverCaller = cache(async () => {
  const h = await headers();
  return createCaller(await createContext({ headers: new Headers(h) }));
});

/** The signed-in account for a page (account.status), or null when nobody is signed in here. */
export async function signedInAccount() {
  const caller = await serverCaller();
  return caller.account.status().catch((error: unknown) => {
    if (error instanceof TRPCError && error.code === "UNAUTHORIZED") return null;
    throw error;
  });
}
