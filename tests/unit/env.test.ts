import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, env, parseMigrationEnv, parseServerEnv } from "@/lib/env";

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
