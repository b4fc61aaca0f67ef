import { TRPCError } from "@trpc/server";
import { log } from "@/lib/log.mjs";

/** Domain errors. Handlers throw these; one table maps them to tRPC codes. */
export const appErrorCodes = {
  NOT_FOUND: "NOT_FOUND",
  FORBIDDEN: "FORBIDDEN",
  UNAUTHORIZED: "UNAUTHORIZED",
  BAD_REQUEST: "BAD_REQUEST",
  CONFLICT: "CONFLICT",
  TENANT_SUSPENDED: "FORBIDDEN",
  INVALID_TRANSITION: "BAD_REQUEST",
  UNAVAILABLE: "SERVICE_UNAVAILABLE",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
  PLAN_LIMIT: "PAYMENT_REQUIRED",
  /** The workspace requires two-factor authentication and the caller has not set it up. */
  MFA_REQUIRED: "FORBIDDEN",
} as const satisfies Record<string, TRPCError["code"]>;

export type AppErrorCode = keyof typeof appErrorCodes;

export const MFA_REQUIRED_MESSAGE = "This workspace requires two-factor authentication. Set it up in your account settings to continue.";

export class AppError extends Error {
  /**
   * `fields`: messages for the form fields at fault, sent as the response's fieldErrors like input
   * validation's (a wrong current password, a link that no longer works).
   */
  constructor(
    readonly code: AppErrorCode,
    message: string,
    /** Messages per input field, for refusals only the handler can judge (they need the row or the clock). */
    readonly fieldErrors?: Record<string, string[]>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

type PgLike = { code?: unknown; severity?: unknown };
const isPgError = (e: unknown): e is PgLike & Error => e instanceof Error && typeof (e as PgLike).code === "string" && "severity" in e;

/** Connection-level failures: the database is down or unreachable. */
const UNAVAILABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "CONNECT_TIMEOUT", "CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "57P01", "57P03"]);

function rootCause(error: unknown): unknown {
  let current = error;
  for (let i = 0; i < 5 && current instanceof Error && current.cause; i++) {
    if (current instanceof AppError) return current;
    current = current.cause;
  }
  return current;
}

/** Maps whatever a procedure threw to the error the client may see. */
export function toTRPCError(error: TRPCError): TRPCError {
  const cause = rootCause(error);
  if (cause instanceof AppError) return new TRPCError({ code: appErrorCodes[cause.code], message: cause.message, cause });
  if (error.code !== "INTERNAL_SERVER_ERROR") return error;
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (typeof code === "string" && UNAVAILABLE_CODES.has(code)) {
    return new TRPCError({ code: "SERVICE_UNAVAILABLE", message: "The database is unavailable; try again shortly", cause: error });
  }
  // The directory places the tenant in a database this server has no TENANT_DATABASES entry for.
  if (cause instanceof Error && cause.name === "UnknownPlacementError") {
    log.error("placement unavailable", { error: cause.message });
    return new TRPCError({ code: "SERVICE_UNAVAILABLE", message: "This workspace's database is not reachable from this server", cause: error });
  }
  // A second stale placement in a row (a move just flipped twice), or a tenant mid-move.
  if (isPgError(cause) && cause.code === "CN001") {
    return new TRPCError({ code: "SERVICE_UNAVAILABLE", message: "This workspace is being moved; try again in a moment", cause: error });
  }
  if (cause instanceof Error && cause.name === "PoolBusyError") {
    return new TRPCError({ code: "SERVICE_UNAVAILABLE", message: "Canopy is busy right now; try again in a moment", cause: error });
  }
  // statement_timeout (set per tenant transaction): one tenant's slow query is cut off.
  if (isPgError(cause) && cause.code === "57014") {
    return new TRPCError({ code: "TIMEOUT", message: "That took too long and was stopped; narrow the request and try again", cause: error });
  }
  if (isPgError(cause) && cause.code === "23505") {
    return new TRPCError({ code: "CONFLICT", message: "That already exists", cause: error });
  }
  return error;
}
