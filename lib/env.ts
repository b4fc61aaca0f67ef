import { z } from "zod";
import { parseTrustedProxies } from "./client-address.mjs";

const hostname = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** An IPv4 address or a bracketed IPv6 address, each with an optional port (node:dns setServers). */
const dnsServer = /^(\d{1,3}(\.\d{1,3}){3}(:\d{1,5})?|\[[0-9a-f:.]+\](:\d{1,5})?)$/i;

const postgresUrl = z
  .string({ error: "is required" })
  .refine((v) => /^postgres(ql)?:\/\/.+/.test(v), "must be a postgres:// URL");

/** A dedicated database's name in TENANT_DATABASES; "shared" is the pooled database's. */
const tenantDatabaseName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "names must be 1-63 of [a-z0-9_-]").refine((v) => v !== "shared", '"shared" is reserved for the shared database');

/**
 * Databases of tenants placed in a silo, as JSON `{ "<name>": { "url": <app role>, "migrationUrl": <owner> } }`.
 * Parsed here so a bad value is one line naming the variable (and never echoing a password).
 */
const tenantDatabases = z.preprocess(
  (v) => (v === "" ? undefined : v),
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined) return {};
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        ctx.addIssue({ code: "custom", message: 'must be JSON such as {"acme":{"url":"postgres://…","migrationUrl":"postgres://…"}}' });
        return z.NEVER;
      }
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        ctx.addIssue({ code: "custom", message: "must be a JSON object of name → { url, migrationUrl }" });
        return z.NEVER;
      }
      const bad = Object.keys(parsed).find((name) => !tenantDatabaseName.safeParse(name).success);
      if (bad !== undefined) {
        ctx.addIssue({ code: "custom", message: `has an invalid name ${JSON.stringify(bad)}: ${tenantDatabaseName.safeParse(bad).error?.issues[0]?.message}` });
        return z.NEVER;
      }
      const result = z.record(z.string(), z.strictObject({ url: postgresUrl, migrationUrl: postgresUrl })).safeParse(parsed);
      if (result.success) return result.data;
      const issue = result.error.issues[0];
      ctx.addIssue({ code: "custom", message: `${issue?.path.map(String).join(".")}: ${issue?.message ?? "is invalid"}` });
      return z.NEVER;
    }),
);

export const serverEnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  ROOT_DOMAIN: z
    .string({ error: "is required" })
    .transform((v) => v.toLowerCase())
    .refine((v) => hostname.test(v), "must be a bare host name such as canopy.localhost"),
  DATABASE_URL: postgresUrl,
  MIGRATION_DATABASE_URL: postgresUrl.optional(),
  AUTH_SECRET: z.string({ error: "is required" }).min(32, "must be at least 32 characters"),
  INTERNAL_SECRET: z.string({ error: "is required" }).min(32, "must be at least 32 characters"),
  INTERNAL_URL: z.url({ error: "must be an http(s) URL" }).default("http://localhost:3000"),
  DB_POOL_MAX: z.coerce.number({ error: "must be a number" }).int().min(1).max(200).default(10),
  /** Where API budgets are counted (a login in canopy_rate_limit); unset: DATABASE_URL. */
  RATE_LIMIT_DATABASE_URL: postgresUrl.optional(),
  /** Where load by tenant is counted (a login in canopy_telemetry); unset: DATABASE_URL. */
  TELEMETRY_DATABASE_URL: postgresUrl.optional(),
  /**
   * A direct connection (never PgBouncer in transaction mode, which cannot LISTEN) on which the
   * server hears of tenant changes to drop from its caches; unset: DATABASE_URL.
   */
  DIRECTORY_LISTEN_URL: postgresUrl.optional(),
  /** The budget of calls no tenant pays for: per client address (anonymous), or per session outside a tenant. */
  CLIENT_RATE_LIMIT_PER_SEC: z.coerce.number({ error: "must be a number" }).positive().default(10),
  CLIENT_RATE_LIMIT_BURST: z.coerce.number({ error: "must be a number" }).int().min(1).default(60),
  /** Calls one /api/trpc request may batch; the browser client sends at most 10 (lib/trpc/react.tsx). */
  TRPC_MAX_BATCH_SIZE: z.coerce.number({ error: "must be a number" }).int().min(10, "must be at least 10 (the browser client batches up to 10 calls)").max(1000).default(20),
  /**
   * Proxies whose X-Forwarded-For entry is believed, as comma-separated IPs and CIDR ranges. Unset:
   * only the socket's address counts (see lib/client-address.mjs).
   */
  TRUSTED_PROXIES: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      try {
        return parseTrustedProxies(raw);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: (error as Error).message });
        return z.NEVER;
      }
    }),
  SECURE_COOKIES: z
    .enum(["true", "false"], { error: "must be true or false" })
    .optional()
    .transform((v) => (v === undefined ? undefined : v === "true")),
  /** Without it, mail is captured in the outbox table (the dev outbox) instead of sent. */
  SMTP_URL: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .refine((v) => /^smtps?:\/\/.+/.test(v), "must be an smtp:// or smtps:// URL")
      .optional(),
  ),
  MAIL_FROM: z.string().min(3, "must be an address such as Canopy <no-reply@example.com>").default("Canopy <no-reply@canopy.localhost>"),
  /** Where tenants point their custom domains (CNAME); defaults to cname.<ROOT_DOMAIN>. */
  CANOPY_CNAME_TARGET: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .transform((v) => v.toLowerCase().replace(/\.$/, ""))
      .refine((v) => hostname.test(v), "must be a host name such as cname.canopy.example")
      .optional(),
  ),
  /** Resolvers for domain verification, as comma-separated IP[:port]; the system's when unset. */
  DNS_SERVERS: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .transform((v) => v.split(",").map((s) => s.trim()).filter(Boolean))
      .refine((list) => list.length > 0 && list.every((s) => dnsServer.test(s)), "must be comma-separated IP[:port] entries such as 127.0.0.1:5353")
      .optional(),
  ),
  /**
   * Lets a workspace's SSO issuer be plain http or a loopback/private address. Off in production:
   * discovery and token requests are made by the server, so an owner could otherwise point them at
   * internal services (SSRF) or have tokens fetched in clear. The tests' local OpenID provider needs it.
   */
  SSO_ALLOW_INSECURE_ISSUERS: z
    .enum(["true", "false"], { error: "must be true or false" })
    .default("false")
    .transform((v) => v === "true"),
  /** How long a verified domain may fail re-verification before it stops routing. */
  DOMAIN_GRACE_HOURS: z.coerce.number({ error: "must be a number" }).min(0).max(24 * 365).default(72),
  TENANT_DATABASES: tenantDatabases,
  /** Dedicated databases' pools: how many may be open at once per process, and their size. */
  PLACEMENT_POOLS_MAX: z.coerce.number({ error: "must be a number" }).int().min(1).max(100).default(8),
  PLACEMENT_POOL_SIZE: z.coerce.number({ error: "must be a number" }).int().min(1).max(100).default(4),
});

/** Checks across variables, kept off serverEnvSchema so that scripts can still `pick` from it. */
const checkedServerEnv = serverEnvSchema.superRefine((e, ctx) => {
  // An anonymous batch is charged all at once: a burst below the batch size could never be paid.
  if (e.CLIENT_RATE_LIMIT_BURST < e.TRPC_MAX_BATCH_SIZE) {
    ctx.addIssue({ code: "custom", path: ["CLIENT_RATE_LIMIT_BURST"], message: `must be at least TRPC_MAX_BATCH_SIZE (${e.TRPC_MAX_BATCH_SIZE})` });
  }
});

export type ServerEnv = z.infer<typeof serverEnvSchema>;

export class ConfigError extends Error {
  constructor(readonly variable: string, detail: string) {
    super(`Invalid configuration: ${variable} ${detail}`);
    this.name = "ConfigError";
  }
}

export function parseServerEnv(source: Record<string, string | undefined>): ServerEnv {
  const result = checkedServerEnv.safeParse(source);
  if (!result.success) {
    const issue = result.error.issues[0];
    const variable = String(issue?.path[0] ?? "environment");
    throw new ConfigError(variable, issue?.message ?? "is invalid");
  }
  return result.data;
}

/** What a migration needs, and nothing else: the app role's URL (for its grant) and the owner's. */
export function parseMigrationEnv(source: Record<string, string | undefined>): { DATABASE_URL: string; MIGRATION_DATABASE_URL: string } {
  const result = serverEnvSchema.pick({ DATABASE_URL: true, MIGRATION_DATABASE_URL: true }).safeParse(source);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ConfigError(String(issue?.path[0] ?? "environment"), issue?.message ?? "is invalid");
  }
  const { DATABASE_URL, MIGRATION_DATABASE_URL } = result.data;
  if (!MIGRATION_DATABASE_URL) throw new ConfigError("MIGRATION_DATABASE_URL", "is required to migrate (the owner role applies the migrations)");
  return { DATABASE_URL, MIGRATION_DATABASE_URL };
}

let cached: ServerEnv | undefined;

/** Next sets this while `next build` collects and prerenders pages (PHASE_PRODUCTION_BUILD). */
const BUILD_PHASE = "phase-production-build";

/**
 * Validated server configuration. A bad value ends the process with one line naming the variable.
 * The build needs none: a page or module that reads it while `next build` prerenders would bake one
 * machine's settings into the output (or fail on a machine without them), so that is a bug named here.
 */
export function env(): ServerEnv {
  if (cached) return cached;
  if (process.env.NEXT_PHASE === BUILD_PHASE) {
    throw new Error("Runtime configuration read during `next build`: read env() only while serving a request (after `await connection()`, headers() or cookies())");
  }
  try {
    cached = parseServerEnv(process.env);
    return cached;
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
