import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, env, parseDbDriverSettings, parseEdgeEnv, parseMigrationEnv, parseServerEnv } from "@/lib/env";

const good = {
  ROOT_DOMAIN: "canopy.localhost",
  DATABASE_URL: "postgres://app:pw@127.0.0.1:5432/canopy",
  AUTH_SECRET: "x".repeat(32),
  INTERNAL_SECRET: "y".repeat(32),
};

describe("configuration", () => {
  it("accepts a complete environment", () => {
    expect(parseServerEnv(good).ROOT_DOMAIN).toBe("canopy.localhost");
  });

  it.each([
    ["DATABASE_URL", { DATABASE_URL: undefined }, "Invalid configuration: DATABASE_URL is required"],
    ["DATABASE_URL", { DATABASE_URL: "mysql://x" }, "Invalid configuration: DATABASE_URL must be a postgres:// URL"],
    ["AUTH_SECRET", { AUTH_SECRET: "short" }, "Invalid configuration: AUTH_SECRET must be at least 32 characters"],
    ["ROOT_DOMAIN", { ROOT_DOMAIN: "http://canopy.localhost" }, "Invalid configuration: ROOT_DOMAIN must be a bare host name such as canopy.localhost"],
  ])("names %s in one line", (_name, patch, message) => {
    const attempt = () => parseServerEnv({ ...good, ...patch });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
  });
});

describe("client address and budget settings", () => {
  it("parses TRUSTED_PROXIES and defaults the budgets", () => {
    const e = parseServerEnv({ ...good, TRUSTED_PROXIES: "10.0.0.0/8, ::1" });
    expect(e.TRUSTED_PROXIES).toHaveLength(2);
    expect(parseServerEnv(good)).toMatchObject({ TRUSTED_PROXIES: [], CLIENT_RATE_LIMIT_PER_SEC: 10, CLIENT_RATE_LIMIT_BURST: 60, TRPC_MAX_BATCH_SIZE: 20 });
  });

  it.each([
    [{ TRUSTED_PROXIES: "10.0.0.0/8, proxy" }, 'Invalid configuration: TRUSTED_PROXIES has an entry that is not an IP address or CIDR range: "proxy"'],
    [{ TRUSTED_PROXIES: "10.0.0.0/40" }, 'Invalid configuration: TRUSTED_PROXIES has an invalid prefix length in "10.0.0.0/40"'],
    [{ TRPC_MAX_BATCH_SIZE: "5" }, "Invalid configuration: TRPC_MAX_BATCH_SIZE must be at least 10 (the browser client batches up to 10 calls)"],
    [{ CLIENT_RATE_LIMIT_BURST: "15" }, "Invalid configuration: CLIENT_RATE_LIMIT_BURST must be at least TRPC_MAX_BATCH_SIZE (20)"],
  ])("names the variable: %j", (patch, message) => {
    expect(() => parseServerEnv({ ...good, ...patch })).toThrow(message);
  });
});

describe("migration configuration", () => {
  const urls = { DATABASE_URL: "postgres://app:pw@127.0.0.1:5432/canopy", MIGRATION_DATABASE_URL: "postgres://owner:pw@127.0.0.1:5432/canopy" };

  it("needs only the two database URLs", () => {
    expect(parseMigrationEnv(urls)).toEqual(urls);
  });

  it.each([
    ["MIGRATION_DATABASE_URL", { MIGRATION_DATABASE_URL: undefined }, "Invalid configuration: MIGRATION_DATABASE_URL is required to migrate"],
    ["MIGRATION_DATABASE_URL", { MIGRATION_DATABASE_URL: "http://x" }, "Invalid configuration: MIGRATION_DATABASE_URL must be a postgres:// URL"],
    ["DATABASE_URL", { DATABASE_URL: undefined }, "Invalid configuration: DATABASE_URL is required"],
  ])("names %s in one line", (_name, patch, message) => {
    expect(() => parseMigrationEnv({ ...urls, ...patch })).toThrow(message);
  });
});

describe("settings outside the server's full environment", () => {
  it("gives the driver its defaults and one named line for a bad value", () => {
    expect(parseDbDriverSettings({})).toEqual({ prepare: true, poolWaitMs: 5000, tenantStatementTimeoutMs: 5000 });
    expect(parseDbDriverSettings({ DB_PREPARE: "false", DB_POOL_WAIT_MS: "250", TENANT_STATEMENT_TIMEOUT_MS: "900" })).toEqual({ prepare: false, poolWaitMs: 250, tenantStatementTimeoutMs: 900 });
    expect(() => parseDbDriverSettings({ DB_PREPARE: "no" })).toThrow("Invalid configuration: DB_PREPARE must be true or false");
    expect(() => parseDbDriverSettings({ TENANT_STATEMENT_TIMEOUT_MS: "soon" })).toThrow("Invalid configuration: TENANT_STATEMENT_TIMEOUT_MS must be a number");
  });

  it("validates the driver settings at start-up with the rest", () => {
    expect(() => parseServerEnv({ ...good, DB_POOL_WAIT_MS: "-1" })).toThrow(ConfigError);
    expect(parseServerEnv(good)).toMatchObject({ DB_PREPARE: true, DB_POOL_WAIT_MS: 5000, TENANT_STATEMENT_TIMEOUT_MS: 5000 });
  });

  it("gives the Edge middleware its keys, with HTTPS on in production unless SECURE_COOKIES says otherwise", () => {
    const edge = { ROOT_DOMAIN: "Canopy.Localhost", INTERNAL_SECRET: "y".repeat(32) };
    expect(parseEdgeEnv(edge)).toEqual({ NODE_ENV: "development", ROOT_DOMAIN: "canopy.localhost", INTERNAL_SECRET: "y".repeat(32), INTERNAL_URL: "http://localhost:3000", secure: false });
    expect(parseEdgeEnv({ ...edge, NODE_ENV: "production" }).secure).toBe(true);
    expect(parseEdgeEnv({ ...edge, NODE_ENV: "production", SECURE_COOKIES: "false" }).secure).toBe(false);
    expect(parseEdgeEnv({ ...edge, SECURE_COOKIES: "true" }).secure).toBe(true);
    expect(() => parseEdgeEnv({ ...edge, INTERNAL_SECRET: "short" })).toThrow("Invalid configuration: INTERNAL_SECRET must be at least 32 characters");
  });

  it("opens the bench floors only for BENCH_MODE=1, and checks the links' port", () => {
    expect(parseServerEnv(good).BENCH_MODE).toBe(false);
    expect(parseServerEnv({ ...good, BENCH_MODE: "1" }).BENCH_MODE).toBe(true);
    expect(() => parseServerEnv({ ...good, BENCH_MODE: "yes" })).toThrow("Invalid configuration: BENCH_MODE must be 1 or unset");
    expect(parseServerEnv({ ...good, PUBLIC_PORT: "" }).PUBLIC_PORT).toBeUndefined();
    expect(() => parseServerEnv({ ...good, PUBLIC_PORT: "http" })).toThrow("Invalid configuration: PUBLIC_PORT must be a port number");
  });
});

describe("env() during next build", () => {
  const saved = process.env.NEXT_PHASE;
  afterEach(() => {
    if (saved === undefined) delete process.env.NEXT_PHASE;
    else process.env.NEXT_PHASE = saved;
  });

  it("refuses to be read while pages are prerendered, naming the fix", () => {
    process.env.NEXT_PHASE = "phase-production-build";
    expect(() => env()).toThrow("Runtime configuration read during `next build`");
  });
});
