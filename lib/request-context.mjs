// @ts-check
/**
 * What one request is, for the logs and the telemetry: its id and, once a procedure has proven it,
 * its tenant. The server entry (scripts/serve.mjs) opens the context around Next's handler, so
 * everything the request runs (pages, route handlers, tRPC calls) sees it.
 *
 * Plain JavaScript with its types in request-context.d.mts, like client-address.mjs. The storage
 * lives on globalThis: the server entry and Next's bundles load separate copies of this module.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

export const REQUEST_ID_HEADER = "x-request-id";

const STORAGE = Symbol.for("canopy.request-context");

/** @typedef {import("./request-context.d.mts").RequestContext} RequestContext */

/** @returns {AsyncLocalStorage<RequestContext>} */
function storage() {
  const holder = /** @type {Record<symbol, AsyncLocalStorage<RequestContext> | undefined>} */ (/** @type {unknown} */ (globalThis));
  return (holder[STORAGE] ??= new AsyncLocalStorage());
}

/** The current request's context, or undefined outside a request (jobs, scripts). */
export function currentRequest() {
  return storage().getStore();
}

/**
 * @template T
 * @param {RequestContext} context
 * @param {() => T} fn
 * @returns {T}
 */
export function runInRequest(context, fn) {
  return storage().run(context, fn);
}

/**
 * Notes the tenant a procedure has proven, for the rest of the request's log lines.
 * @param {string} tenantId
 */
export function noteRequestTenant(tenantId) {
  const context = storage().getStore();
  if (context) context.tenantId = tenantId;
}

/** Ids a proxy may hand us: a UUID, a trace id, a load balancer's token, nothing that could split a log line. */
const FORWARDED_ID = /^[A-Za-z0-9._:@-]{8,128}$/;

/**
 * The request's id: the one a trusted proxy (TRUSTED_PROXIES) sent, so a request can be followed
 * from the load balancer's log into ours; otherwise a fresh one. A client's own value is never
 * taken: it could pin its requests to another request's id and muddle an investigation.
 * @param {string | string[] | undefined} forwarded
 * @param {boolean} fromTrustedProxy
 */
export function requestIdFor(forwarded, fromTrustedProxy) {
  const value = Array.isArray(forwarded) ? forwarded[0] : forwarded;
  if (fromTrustedProxy && value && FORWARDED_ID.test(value)) return value;
  return randomUUID();
}
