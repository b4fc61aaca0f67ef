import { z } from "zod";
import { parseTrustedProxies } from "./client-address.mjs";
import { ConfigError, edgeEnvShape, hostname, parseNamed } from "./env-edge";

/*
 * Every setting the application reads is declared, validated and documented here, and read through
 * env() (or, where the full environment cannot be had, one of the narrow accessors below). Nothing
 * in server/, app/, db/ or lib/ reads process.env itself: tests/unit/env-reads.test.ts keeps it so.
 */

export { ConfigError, edgeEnv, parseEdgeEnv, servedSecurely, type EdgeEnv } from "./env-edge";

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

const unsetIfEmpty = (v: unknown) => (v === "" ? undefined : v);

/** The database driver's settings, which db/client.ts also needs in scripts that have no app env. */
const dbDriverShape = {
  /** `false` turns prepared statements off, for PgBouncer in transaction mode. */
  DB_PREPARE: z
    .enum(["true", "false"], { error: "must be true or false" })
    .default("true")
    .transform((v) => v === "true"),
  /** How long a request waits for a pooled connection before a clear "busy" error. */
  DB_POOL_WAIT_MS: z.coerce.number({ error: "must be a number" }).int().min(0).max(600_000).default(5000),
  /** Statement timeout of each tenant transaction (noisy neighbour). */
  TENANT_STATEMENT_TIMEOUT_MS: z.coerce.number({ error: "must be a number" }).int().min(1).max(3_600_000).default(5000),
};

export const serverEnvSchema = z.object({
  ...edgeEnvShape,
  ...dbDriverShape,
  DATABASE_URL: postgresUrl,
  MIGRATION_DATABASE_URL: postgresUrl.optional(),
  AUTH_SECRET: z.string({ error: "is required" }).min(32, "must be at least 32 characters"),
  /** The port printed and rendered in links (behind a proxy, the public one); unset: none (80/443). */
  PUBLIC_PORT: z.preprocess(unsetIfEmpty, z.string().regex(/^\d{1,5}$/, "must be a port number").optional()),
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
  /**
   * `1` opens the bench floors (server/bench/), which bench/run.ts sets on the server it starts
   * against its own throwaway database; anything else and they answer 404.
   */
  BENCH_MODE: z
    .enum(["", "0", "1"], { error: "must be 1 or unset" })
    .optional()
    .transform((v) => v === "1"),
  /** The bench floors' BYPASSRLS role, which bench/run.ts creates in its throwaway database only. */
  BENCH_FLOOR_DATABASE_URL: z.preprocess(unsetIfEmpty, postgresUrl.optional()),
  /** Test only, inert unless NODE_ENV=test: the job worker stops forever at this named point (crash tests). */
  CANOPY_TEST_HANG_AT: z.preprocess(unsetIfEmpty, z.string().optional()),
});

/** Checks across variables, kept off serverEnvSchema so that scripts can still `pick` from it. */
const checkedServerEnv = serverEnvSchema.superRefine((e, ctx) => {
  // An anonymous batch is charged all at once: a burst below the batch size could never be paid.
  if (e.CLIENT_RATE_LIMIT_BURST < e.TRPC_MAX_BATCH_SIZE) {
    ctx.addIssue({ code: "custom", path: ["CLIENT_RATE_LIMIT_BURST"], message: `must be at least TRPC_MAX_BATCH_SIZE (${e.TRPC_MAX_BATCH_SIZE})` });
  }
});

export type ServerEnv = z.infer<typeof serverEnvSchema>;

export function parseServerEnv(source: Record<string, string | undefined>): ServerEnv {
  return parseNamed(checkedServerEnv, source);
}

/** What a migration needs, and nothing else: the app role's URL (for its grant) and the owner's. */
export function parseMigrationEnv(source: Record<string, string | undefined>): { DATABASE_URL: string; MIGRATION_DATABASE_URL: string } {
  const { DATABASE_URL, MIGRATION_DATABASE_URL } = parseNamed(serverEnvSchema.pick({ DATABASE_URL: true, MIGRATION_DATABASE_URL: true }), source);
  if (!MIGRATION_DATABASE_URL) throw new ConfigError("MIGRATION_DATABASE_URL", "is required to migrate (the owner role applies the migrations)");
  return { DATABASE_URL, MIGRATION_DATABASE_URL };
}

export type DbDriverSettings = { prepare: boolean; poolWaitMs: number; tenantStatementTimeoutMs: number };

export function parseDbDriverSettings(source: Record<string, string | undefined>): DbDriverSettings {
  const e = parseNamed(z.object(dbDriverShape), source);
  return { prepare: e.DB_PREPARE, poolWaitMs: e.DB_POOL_WAIT_MS, tenantStatementTimeoutMs: e.TENANT_STATEMENT_TIMEOUT_MS };
}

/** A bad value ends the process with its one line (not a stack trace); other errors are thrown. */
function orExit<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

let cachedDriver: DbDriverSettings | undefined;

/**
 * The driver settings alone, for db/ code that scripts (migrate, seed, the bench) load without the
 * app's full environment. The build may read them: they only shape connections, never pages.
 */
export function dbDriverSettings(): DbDriverSettings {
  cachedDriver ??= orExit(() => parseDbDriverSettings(process.env));
  return cachedDriver;
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
  cached = orExit(() => parseServerEnv(process.env));
  return cached;
}
