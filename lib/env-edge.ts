import { z } from "zod";

/**
 * The settings the Edge middleware reads, declared here so that lib/env.ts builds the full server
 * schema from the same declarations (one definition per variable). This module imports nothing but
 * zod: the Edge runtime cannot load lib/env.ts's Node-only dependencies.
 */

const hostname = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

export const edgeEnvShape = {
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  ROOT_DOMAIN: z
    .string({ error: "is required" })
    .transform((v) => v.toLowerCase())
    .refine((v) => hostname.test(v), "must be a bare host name such as canopy.localhost"),
  INTERNAL_SECRET: z.string({ error: "is required" }).min(32, "must be at least 32 characters"),
  INTERNAL_URL: z.url({ error: "must be an http(s) URL" }).default("http://localhost:3000"),
  /** Cookies and HSTS: `true`/`false`; unset, on in production. */
  SECURE_COOKIES: z
    .enum(["true", "false"], { error: "must be true or false" })
    .optional()
    .transform((v) => (v === undefined ? undefined : v === "true")),
};

export { hostname };

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`Invalid configuration: ${variable} ${detail}`);
    this.name = "ConfigError";
  }
}

/** Parses with `schema`, or throws a ConfigError naming the first bad variable in one line. */
export function parseNamed<T extends z.ZodType>(schema: T, source: Record<string, string | undefined>): z.output<T> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new ConfigError(String(issue?.path[0] ?? "environment"), issue?.message ?? "is invalid");
}

const edgeEnvSchema = z.object(edgeEnvShape);

export type EdgeEnv = Omit<z.output<typeof edgeEnvSchema>, "SECURE_COOKIES"> & {
  secure: boolean;
};

/** The site is served over HTTPS (secure cookies, HSTS): SECURE_COOKIES, else in production. */
export function servedSecurely(e: { SECURE_COOKIES?: boolean | undefined; NODE_ENV: string }): boolean {
  return e.SECURE_COOKIES ?? e.NODE_ENV === "production";
}

export function parseEdgeEnv(source: Record<string, string | undefined>): EdgeEnv {
  const { SECURE_COOKIES, ...rest } = parseNamed(edgeEnvSchema, source);
  return { ...rest, secure: servedSecurely({ SECURE_COOKIES, NODE_ENV: rest.NODE_ENV }) };
}

let cachedEdge: EdgeEnv | undefined;

/**
 * The middleware's configuration. The Edge runtime cannot end the process, so a bad value throws
 * (the same one line); the server has already refused to start on it (next.config.ts calls env()).
 */
export function edgeEnv(): EdgeEnv {
  cachedEdge ??= parseEdgeEnv(process.env);
  return cachedEdge;
}
