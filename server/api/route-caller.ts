import "server-only";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { createContext } from "@/server/api/context";
import { AppError, appErrorCodes } from "@/server/errors";
import { createCaller } from "@/server/api/root";
import { log } from "@/lib/log.mjs";

/**
 * Route handlers that serve files (PDF, CSV) call procedures exactly as /api/trpc does: the
 * context from the raw request, then the ladder, so membership, permission and RLS all apply.
 */
export async function routeCaller(req: Request) {
  return createCaller(await createContext({ headers: req.headers }));
}

/** A procedure's error as a plain HTTP answer; internal details stay in the log. */
export function errorResponse(error: unknown): Response {
  if (error instanceof AppError) error = new TRPCError({ code: appErrorCodes[error.code], message: error.message, cause: error });
  if (error instanceof TRPCError && error.code !== "INTERNAL_SERVER_ERROR") {
    return new Response(error.message, { status: getHTTPStatusCodeFromError(error), headers: { "content-type": "text/plain; charset=utf-8" } });
  }
  const ref = crypto.randomUUID().slice(0, 8);
  log.error("route internal error", { ref, error });
  return new Response(`Something went wrong (ref ${ref})`, { status: 500, headers: { "content-type": "text/plain; charset=utf-8" } });
}
