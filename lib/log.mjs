// @ts-check
/**
 * The app's log. In production each event is one JSON line on stdout (stderr for errors) with the
 * request's id and tenant, for a log shipper to index; elsewhere a readable line on the console.
 * Plain JavaScript with its types in log.d.mts: the server entry logs through it too.
 */
import { currentRequest } from "./request-context.mjs";

/** @typedef {"debug" | "info" | "warn" | "error"} Level */
/** @typedef {Record<string, unknown>} Fields */

/** @param {unknown} error */
function describeError(error) {
  if (!(error instanceof Error)) return error;
  /** @type {Record<string, unknown>} */
  const described = { name: error.name, message: error.message, stack: error.stack };
  const code = /** @type {{ code?: unknown }} */ (error).code;
  if (code !== undefined) described.code = code;
  if (error.cause !== undefined) described.cause = describeError(error.cause);
  return described;
}

/** @param {string} _key @param {unknown} value */
function jsonValue(_key, value) {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Error) return describeError(value);
  return value;
}

/**
 * @param {Level} level
 * @param {string} message
 * @param {Fields} [fields]
 */
function write(level, message, fields) {
  const request = currentRequest();
  // Raw: plain node loads this file (scripts/serve.mjs) and cannot import lib/env.ts; serve.mjs sets NODE_ENV first.
  if (process.env.NODE_ENV === "production") {
    const event = {
      time: new Date().toISOString(),
      level,
      msg: message,
      ...(request ? { request_id: request.requestId, ...(request.tenantId ? { tenant_id: request.tenantId } : {}) } : {}),
      ...fields,
    };
    let line;
    try {
      line = JSON.stringify(event, jsonValue);
    } catch {
      // A circular value: the event still gets its one line, without the fields.
      line = JSON.stringify({ time: event.time, level, msg: message, request_id: request?.requestId, unserializable_fields: true });
    }
    (level === "error" || level === "warn" ? process.stderr : process.stdout).write(`${line}\n`);
    return;
  }
  const where = request ? ` (request ${request.requestId.slice(0, 8)}${request.tenantId ? `, tenant ${request.tenantId.slice(0, 8)}` : ""})` : "";
  const args = fields && Object.keys(fields).length > 0 ? [fields] : [];
  const print = level === "debug" ? console.debug : level === "info" ? console.info : level === "warn" ? console.warn : console.error;
  print(`${message}${where}`, ...args);
}

export const log = {
  /** @param {string} message @param {Fields} [fields] */
  debug: (message, fields) => write("debug", message, fields),
  /** @param {string} message @param {Fields} [fields] */
  info: (message, fields) => write("info", message, fields),
  /** @param {string} message @param {Fields} [fields] */
  warn: (message, fields) => write("warn", message, fields),
  /** @param {string} message @param {Fields} [fields] */
  error: (message, fields) => write("error", message, fields),
};
