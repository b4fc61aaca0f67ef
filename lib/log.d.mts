/** Types of log.mjs (plain JavaScript so that the server entry needs no build step). */

export type LogFields = Record<string, unknown>;

/** One event per call: a JSON line in production (with request_id and tenant_id), a console line elsewhere. */
export const log: {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
};
