import "server-only";
import { headers } from "next/headers";
import { cache } from "react";
import { createContext } from "./context";
import { createCaller } from "./routers/_app";

/** tRPC for server components: the same procedures, the same ladder, the same RLS path. */
export const serverCaller = cache(async () => {
  const h = await headers();
  return createCaller(await createContext({ headers: new Headers(h) }));
});
