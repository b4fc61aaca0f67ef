/** Types of request-context.mjs (plain JavaScript so that the server entry needs no build step). */

export type RequestContext = { requestId: string; tenantId?: string };

export const REQUEST_ID_HEADER: "x-request-id";

/** The current request's context, or undefined outside a request (jobs, scripts). */
export function currentRequest(): RequestContext | undefined;

export function runInRequest<T>(context: RequestContext, fn: () => T): T;

/** Notes the tenant a procedure has proven, for the rest of the request's log lines. */
export function noteRequestTenant(tenantId: string): void;

/** A trusted proxy's well-formed X-Request-Id, else a fresh UUID. */
export function requestIdFor(forwarded: string | string[] | undefined, fromTrustedProxy: boolean): string;
