import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "@/lib/env";
import { bootstrapDatabase } from "@/scripts/lib/bootstrap";
import { freePort, startEmbeddedPostgres, type LocalPostgres } from "@/scripts/lib/embedded-postgres";
import { runMigrations } from "@/scripts/lib/migrate";
import { migrateAll, readJournal, readState, targetsFromEnv, type DatabaseTarget } from "@/scripts/lib/migrate-all";

/**
 * A PostgreSQL of this file's own with three placements, all at an old schema version. One of
 * them holds an object that a later migration creates, so its upgrade fails part-way through.
 */
const OLD_VERSION = 5;
const FAILING_TAG = "0008_platform_admin_functions";
/** Created by migrations after OLD_VERSION and before the failing one: they must be rolled back too. */
const ROLLED_BACK = ["public.platform_audit_log", "public.support_sessions", "public.tenant_exports"];

const pgDir = path.resolve(`.data/test-pg-migrate-all-${process.pid}`);
let pg: LocalPostgres;
let targets: DatabaseTarget[];
const journal = readJournal();
const latest = journal.length;

const target = (name: string) => targets.find((t) => t.name === name)!;

async function query<T extends Record<string, unknown>>(t: DatabaseTarget, text: string): Promise<T[]> {
  const sql = postgres(t.migrationUrl, { max: 1, onnotice: () => undefined });
  try {
    return [...(await sql.unsafe<T[]>(text))];
  } finally {
    await sql.end();
  }
}

/** drizzle's migrator over a copy of drizzle/ whose journal stops after `count` entries. */
async function migrateTo(t: DatabaseTarget, count: number): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "canopy-old-drizzle-"));
  try {
    const source = path.resolve("drizzle");
    const full = JSON.parse(readFileSync(path.join(source, "meta/_journal.json"), "utf8")) as { entries: { tag: string }[] };
    const entries = full.entries.slice(0, count);
    mkdirSync(path.join(dir, "meta"));
    writeFileSync(path.join(dir, "meta/_journal.json"), JSON.stringify({ ...full, entries }));
    for (const e of entries) copyFileSync(path.join(source, `${e.tag}.sql`), path.join(dir, `${e.tag}.sql`));
    const sql = postgres(t.migrationUrl, { max: 1, onnotice: () => undefined });
    try {
      await migrate(drizzle(sql), { migrationsFolder: dir });
    } finally {
      await sql.end();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function cliEnv(): NodeJS.ProcessEnv {
  const [shared, ...dedicated] = targets;
  return {
    ...process.env,
    DATABASE_URL: shared!.appUrl,
    MIGRATION_DATABASE_URL: shared!.migrationUrl,
    TENANT_DATABASES: JSON.stringify(Object.fromEntries(dedicated.map((t) => [t.name, { url: t.appUrl, migrationUrl: t.migrationUrl }]))),
  };
}

function cli(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.resolve("node_modules/.bin/tsx"), ["scripts/migrate.ts", ...args], { env: cliEnv() });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("exit", (code) => resolve({ code, out }));
  });
}

/** runMigrations, recording which databases did work and how many ran at once. */
function spy() {
  const calls: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const run = async (t: DatabaseTarget) => {
    calls.push(t.name);
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    try {
      await runMigrations({ migrationUrl: t.migrationUrl, appUrl: t.appUrl });
    } finally {
      inFlight--;
    }
  };
  return { calls, run, max: () => maxInFlight };
}

beforeAll(async () => {
  expect(latest).toBeGreaterThan(OLD_VERSION);
  rmSync(pgDir, { recursive: true, force: true });
  pg = await startEmbeddedPostgres({ dir: pgDir, port: await freePort(), quiet: true });
  targets = [];
  for (const name of ["shared", "east", "broken"]) {
    const urls = await bootstrapDatabase(pg, `canopy_ma_${name}`);
    targets.push({ name, appUrl: urls.DATABASE_URL, migrationUrl: urls.MIGRATION_DATABASE_URL });
  }
  for (const t of targets) await migrateTo(t, OLD_VERSION);
  await query(target("broken"), `create function public.app_admin_stats() returns int language sql as 'select 1'`);
}, 180_000);

afterAll(async () => {
  await pg?.stop().catch(() => undefined);
  rmSync(pgDir, { recursive: true, force: true });
});

describe("TENANT_DATABASES", () => {
  const base = { DATABASE_URL: "postgres://a:a@127.0.0.1/x", MIGRATION_DATABASE_URL: "postgres://o:o@127.0.0.1/x" };

  it("lists the shared database and every dedicated one", () => {
    const list = targetsFromEnv({ ...base, TENANT_DATABASES: JSON.stringify({ acme: { url: "postgres://a:a@db2/acme", migrationUrl: "postgres://o:o@db2/acme" } }) });
    expect(list.map((t) => t.name)).toEqual(["shared", "acme"]);
  });

  it.each([
    ["not json", /TENANT_DATABASES must be JSON/],
    ["[]", /TENANT_DATABASES must be a JSON object/],
    [JSON.stringify({ Acme: {} }), /TENANT_DATABASES has an invalid name "Acme"/],
    [JSON.stringify({ shared: {} }), /TENANT_DATABASES has an invalid name "shared"/],
    [JSON.stringify({ acme: { url: "postgres://a@h/acme" } }), /TENANT_DATABASES acme\.migrationUrl: is required/],
    [JSON.stringify({ acme: { url: "postgres://a@h/acme", migrationUrl: "mysql://secret@h/acme" } }), /TENANT_DATABASES acme\.migrationUrl: must be a postgres:\/\/ URL/],
    [JSON.stringify({ acme: { url: "postgres://a:a@127.0.0.1/x", migrationUrl: "postgres://o:o@127.0.0.1:5432/x" } }), /TENANT_DATABASES entry "acme" is the same database as "shared"/],
  ])("rejects %s with one line naming the variable", (value, message) => {
    let error: unknown;
    try {
      targetsFromEnv({ ...base, TENANT_DATABASES: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = (error as Error).message;
    expect(text).toMatch(message);
    expect(text).not.toContain("\n");
    expect(text).not.toContain("secret");
  });
});

describe("npm run db:migrate -- --all", () => {
  it("--status reports every database as behind", async () => {
    const { code, out } = await cli(["--status"]);
    expect(code, out).toBe(0);
    for (const name of ["shared", "east", "broken"]) {
      expect(out).toMatch(new RegExp(`^${name}\\s+${OLD_VERSION}\\s+${latest}\\s+yes\\b`, "m"));
    }
  });

  it("migrates the healthy databases, reports the failing one and leaves it at its old version with nothing half-applied", async () => {
    const s = spy();
    const { outcomes } = await migrateAll(targets, { concurrency: 2, migrate: s.run, log: () => undefined });
    const by = Object.fromEntries(outcomes.map((o) => [o.name, o]));

    expect(by.shared).toMatchObject({ result: "migrated", from: OLD_VERSION, to: latest });
    expect(by.east).toMatchObject({ result: "migrated", from: OLD_VERSION, to: latest });
    expect(by.broken).toMatchObject({ result: "failed", from: OLD_VERSION, to: OLD_VERSION });
    expect(by.broken?.error).toMatch(/app_admin_stats/);
    expect(journal.findIndex((m) => m.folderMillis === readMigrationWhen(FAILING_TAG))).toBeGreaterThan(OLD_VERSION);

    // The first database of a fresh server runs alone (it creates the server-wide roles); then two at once.
    expect(s.calls[0]).toBe("shared");
    expect(s.max()).toBe(2);

    for (const name of ["shared", "east"]) {
      expect(await readState(target(name), journal)).toMatchObject({ applied: latest, behind: false });
    }
    const broken = target("broken");
    const [rows] = await query<{ n: number }>(broken, "select count(*)::int as n from drizzle.__drizzle_migrations");
    expect(rows?.n).toBe(OLD_VERSION);
    for (const table of ROLLED_BACK) {
      const [found] = await query<{ oid: string | null }>(broken, `select to_regclass('${table}')::text as oid`);
      expect(found?.oid, table).toBeNull();
    }
    const [fn] = await query<{ n: number }>(broken, "select count(*)::int as n from pg_proc where proname = 'app_job_active_tenants'");
    expect(fn?.n).toBe(0);
    const [jobs] = await query<{ oid: string | null }>(broken, "select to_regnamespace('pgboss')::text as oid");
    expect(jobs?.oid).toBeNull();
    // Healthy databases serve the app role with the full schema.
    const [healthy] = await query<{ oid: string | null }>(target("east"), "select to_regclass('public.tenant_exports')::text as oid");
    expect(healthy?.oid).not.toBeNull();
  });

  it("exits non-zero with a summary while a database still fails, without redoing the others", async () => {
    const { code, out } = await cli(["--all", "--concurrency", "2"]);
    expect(code, out).toBe(1);
    expect(out).toMatch(/^shared\s+up to date/m);
    expect(out).toMatch(/^east\s+up to date/m);
    expect(out).toMatch(new RegExp(`^broken\\s+failed\\s+${OLD_VERSION}\\s.*app_admin_stats`, "m"));
    expect(out).toContain("0 migrated, 2 up to date, 1 failed");
  });

  it("after the cause is fixed, a re-run migrates only the database that was behind", async () => {
    await query(target("broken"), "drop function public.app_admin_stats()");
    const s = spy();
    const { outcomes } = await migrateAll(targets, { concurrency: 2, migrate: s.run, log: () => undefined });
    expect(s.calls).toEqual(["broken"]);
    expect(outcomes.map((o) => [o.name, o.result, o.to])).toEqual([
      ["shared", "up to date", latest],
      ["east", "up to date", latest],
      ["broken", "migrated", latest],
    ]);
    for (const t of targets) expect(await readState(t, journal)).toMatchObject({ applied: latest, behind: false, notes: [] });

    const { code, out } = await cli(["--all"]);
    expect(code, out).toBe(0);
    expect(out).toContain("0 migrated, 3 up to date, 0 failed");
  });
});

function readMigrationWhen(tag: string): number {
  const full = JSON.parse(readFileSync(path.resolve("drizzle/meta/_journal.json"), "utf8")) as { entries: { tag: string; when: number }[] };
  const entry = full.entries.find((e) => e.tag === tag);
  if (!entry) throw new Error(`${tag} is not in the journal`);
  return entry.when;
}
