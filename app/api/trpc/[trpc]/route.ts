import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { createContext } from "@/server/context";
import { appRouter } from "@/server/routers/_app";

export const dynamic = "force-dynamic";

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

const handler = (req: Request) =>
  crossSite(req)
    ? Response.json({ error: { message: "Cross-site request refused", code: "FORBIDDEN" } }, { status: 403 })
    : fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () => createContext({ headers: req.headers }),
  });

export { handler as GET, handler as POST };
