import { createRequire } from "node:module";
import path from "node:path";
import { readMigrationFiles, type MigrationMeta } from "drizzle-orm/migrator";
import postgres from "postgres";
import { ConfigError, serverEnvSchema } from "@/lib/env";
import { INTERNAL_QUEUES, JOB_SCHEMA, queues } from "@/server/jobs/queues";
import { bootstrapDatabase } from "./bootstrap";
import { RefusedPasswordError, type LocalPostgres } from "./embedded-postgres";
import { startLocalPostgres } from "./local-env";
import { runMigrations } from "./migrate";

/** One placement's database: the app role's URL (for the grant check) and the owner's (to migrate). */
export type DatabaseTarget = { name: string; appUrl: string; migrationUrl: string };

export type DatabaseState = {
  name: string;
  /** Journal entries applied, by drizzle's own rule (created_at of the last row ≥ the entry's `when`). */
  applied: number | null;
  latest: number;
  behind: boolean | null;
  /** What is missing, or what looks wrong without needing work (drift, a newer database). */
  notes: string[];
  error?: string;
};

export type MigrationOutcome = {
  name: string;
  result: "migrated" | "up to date" | "failed";
  from: number | null;
  to: number | null;
  ms: number;
  error?: string;
};

export const SHARED = "shared";

const migrationsFolder = () => path.resolve(process.cwd(), "drizzle");
const jobSchemaVersion = (createRequire(import.meta.url)("pg-boss/version.json") as { schema: number }).schema;
const expectedQueues = [...Object.values(queues), ...INTERNAL_QUEUES];

const targetsEnv = serverEnvSchema.pick({ DATABASE_URL: true, MIGRATION_DATABASE_URL: true, TENANT_DATABASES: true });

/** The shared database plus every dedicated one in TENANT_DATABASES. Throws ConfigError (one line). */
export function targetsFromEnv(source: Record<string, string | undefined>): DatabaseTarget[] {
  const parsed = targetsEnv.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(String(issue?.path[0] ?? "environment"), issue?.message ?? "is invalid");
  }
  const { DATABASE_URL, MIGRATION_DATABASE_URL, TENANT_DATABASES } = parsed.data;
  if (!MIGRATION_DATABASE_URL) throw new ConfigError("MIGRATION_DATABASE_URL", "is required (the owner role reads and applies migrations)");
  const targets = [
    { name: SHARED, appUrl: DATABASE_URL, migrationUrl: MIGRATION_DATABASE_URL },
    ...Object.entries(TENANT_DATABASES).map(([name, db]) => ({ name, appUrl: db.url, migrationUrl: db.migrationUrl })),
  ];
  // Two names for one database would migrate it twice at once.
  const seen = new Map<string, string>();
  for (const t of targets) {
    const key = databaseKey(t.migrationUrl);
    const other = seen.get(key);
    if (other) throw new ConfigError("TENANT_DATABASES", `entry "${t.name}" is the same database as "${other}"`);
    seen.set(key, t.name);
  }
  return targets;
}

function serverKey(url: string): string {
  const u = new URL(url);
  return `${u.hostname.toLowerCase()}:${u.port || "5432"}`;
}

function databaseKey(url: string): string {
  return `${serverKey(url)}/${decodeURIComponent(new URL(url).pathname.slice(1))}`;
}

const appUser = (t: DatabaseTarget) => decodeURIComponent(new URL(t.appUrl).username);

/** The innermost message: drizzle wraps the server's error in "Failed query: <the whole migration>". */
function errorMessage(error: unknown): string {
  let e: unknown = error;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  const message = e instanceof Error ? e.message : String(e);
  return message.split("\n")[0] ?? message;
}

export function readJournal(): MigrationMeta[] {
  return readMigrationFiles({ migrationsFolder: migrationsFolder() });
}

/** Reads one database's version and whether runMigrations' follow-up steps (grant, job schema) are done. */
export async function readState(target: DatabaseTarget, journal: MigrationMeta[]): Promise<DatabaseState> {
  const latest = journal.length;
  const sql = postgres(target.migrationUrl, { max: 1, connect_timeout: 10, onnotice: () => undefined });
  try {
    const notes: string[] = [];
    const [info] = await sql<{ migrations: boolean; jobs: boolean; granted: boolean }[]>`
      select to_regclass('drizzle.__drizzle_migrations') is not null as migrations,
             to_regclass(${`${JOB_SCHEMA}.version`}) is not null and to_regclass(${`${JOB_SCHEMA}.queue`}) is not null as jobs,
             exists (select 1 from pg_auth_members m
                     join pg_roles g on g.oid = m.roleid join pg_roles u on u.oid = m.member
                     where g.rolname = 'canopy_app_rw' and u.rolname = ${appUser(target)}) as granted`;
    let applied = 0;
    if (info?.migrations) {
      const [last] = await sql<{ hash: string; created_at: string; rows: number }[]>`
        select hash, created_at::text, (select count(*)::int from drizzle.__drizzle_migrations) as rows
        from drizzle.__drizzle_migrations order by created_at desc limit 1`;
      if (last) {
        const lastAt = Number(last.created_at);
        applied = journal.filter((m) => m.folderMillis <= lastAt).length;
        const entry = journal.find((m) => m.folderMillis === lastAt);
        if (!entry && lastAt > (journal.at(-1)?.folderMillis ?? 0)) notes.push("has migrations this checkout does not know (newer code ran here)");
        else if (!entry || entry.hash !== last.hash) notes.push("last applied migration differs from drizzle/ (edited after it ran?)");
        if (last.rows !== applied) notes.push(`${last.rows} rows in drizzle.__drizzle_migrations for ${applied} journal entries`);
      }
    }
    if (applied < latest) notes.push(`${latest - applied} pending migration(s)`);
    if (!info?.granted) notes.push(`${appUser(target)} not yet in canopy_app_rw`);
    let jobsReady = false;
    if (info?.jobs) {
      const [version] = await sql<{ version: number }[]>`select version from ${sql(JOB_SCHEMA)}.version`;
      const names = new Set((await sql<{ name: string }[]>`select name from ${sql(JOB_SCHEMA)}.queue`).map((r) => r.name));
      jobsReady = version?.version === jobSchemaVersion && expectedQueues.every((q) => names.has(q));
    }
    if (!jobsReady) notes.push("job schema missing or out of date");
    return { name: target.name, applied, latest, behind: applied < latest || !info?.granted || !jobsReady, notes };
  } catch (error) {
    return { name: target.name, applied: null, latest, behind: null, notes: [], error: errorMessage(error) };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export async function readStates(targets: DatabaseTarget[], concurrency = 4): Promise<DatabaseState[]> {
  const journal = readJournal();
  const states: DatabaseState[] = new Array<DatabaseState>(targets.length);
  let next = 0;
  const worker = async () => {
    while (next < targets.length) {
      const i = next++;
      states[i] = await readState(targets[i]!, journal);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, targets.length) }, worker));
  return states;
}

/**
 * Migrates every database that is behind, at most `concurrency` at a time. Each database is one
 * runMigrations call, and drizzle's migrator applies all of its pending migrations in a single
 * transaction, so a database that fails stays at its old version; the others carry on.
 * Databases that are up to date are not touched, so a re-run only does the remaining work.
 */
export async function migrateAll(
  targets: DatabaseTarget[],
  opts: { concurrency?: number; migrate?: (target: DatabaseTarget) => Promise<void>; log?: (line: string) => void } = {},
): Promise<{ before: DatabaseState[]; outcomes: MigrationOutcome[] }> {
  const concurrency = Math.max(1, opts.concurrency ?? 2);
  const migrate = opts.migrate ?? ((t: DatabaseTarget) => runMigrations({ migrationUrl: t.migrationUrl, appUrl: t.appUrl }));
  const log = opts.log ?? ((line: string) => console.log(line));
  const journal = readJournal();
  const before = await readStates(targets, concurrency);
  const outcomes = new Map<string, MigrationOutcome>();

  // Roles and role memberships belong to the server, not the database, and the migrations create
  // them (0000) and grant them (canopy_app_rw, canopy_directory) inside each database's transaction.
  // Two first-time migrations on one server would race on CREATE ROLE, so a server runs one database
  // at a time until one has succeeded for that app role; after that the shared objects exist.
  const ready = new Set<string>();
  const readyKey = (t: DatabaseTarget) => `${serverKey(t.migrationUrl)} ${appUser(t)}`;
  const work: DatabaseTarget[] = [];
  targets.forEach((t, i) => {
    const state = before[i]!;
    if (state.error !== undefined) {
      outcomes.set(t.name, { name: t.name, result: "failed", from: null, to: null, ms: 0, error: state.error });
      log(`${t.name}: failed: ${state.error}`);
    } else if (!state.behind) {
      outcomes.set(t.name, { name: t.name, result: "up to date", from: state.applied, to: state.applied, ms: 0 });
      ready.add(readyKey(t));
    } else {
      work.push(t);
    }
  });

  const runOne = async (t: DatabaseTarget, from: number | null) => {
    const started = Date.now();
    log(`${t.name}: migrating (${from}/${journal.length} applied)`);
    let failure: string | undefined;
    try {
      await migrate(t);
    } catch (error) {
      failure = errorMessage(error);
    }
    const after = await readState(t, journal);
    if (!failure && after.behind !== false) failure = after.error ?? `still behind after migrating: ${after.notes.join("; ")}`;
    const outcome: MigrationOutcome = { name: t.name, result: failure ? "failed" : "migrated", from, to: after.applied, ms: Date.now() - started, error: failure };
    outcomes.set(t.name, outcome);
    if (!failure) ready.add(readyKey(t));
    log(failure ? `${t.name}: failed, left at ${after.applied ?? "?"}/${journal.length}: ${failure}` : `${t.name}: migrated to ${after.applied}/${journal.length} in ${outcome.ms} ms`);
  };

  await new Promise<void>((resolve) => {
    const running = new Set<DatabaseTarget>();
    const canStart = (t: DatabaseTarget) => ready.has(readyKey(t)) || ![...running].some((r) => serverKey(r.migrationUrl) === serverKey(t.migrationUrl));
    const pump = () => {
      for (let i = 0; i < work.length && running.size < concurrency; ) {
        const t = work[i]!;
        if (!canStart(t)) {
          i++;
          continue;
        }
        work.splice(i, 1);
        running.add(t);
        const from = before[targets.indexOf(t)]?.applied ?? null;
        void runOne(t, from).finally(() => {
          running.delete(t);
          pump();
        });
      }
      if (running.size === 0 && work.length === 0) resolve();
    };
    pump();
  });

  return { before, outcomes: targets.map((t) => outcomes.get(t.name)!) };
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

export function formatStatus(states: DatabaseState[]): string {
  return table(
    ["name", "applied", "latest", "behind", "notes"],
    states.map((s) => [
      s.name,
      s.applied === null ? "?" : String(s.applied),
      String(s.latest),
      s.behind === null ? "unknown" : s.behind ? "yes" : "no",
      s.error !== undefined ? `cannot read: ${s.error}` : s.notes.join("; "),
    ]),
  );
}

export function formatSummary(outcomes: MigrationOutcome[]): string {
  const count = (r: MigrationOutcome["result"]) => outcomes.filter((o) => o.result === r).length;
  return [
    table(
      ["name", "result", "version", "time", "error"],
      outcomes.map((o) => [o.name, o.result, o.from === o.to ? String(o.to ?? "?") : `${o.from ?? "?"} → ${o.to ?? "?"}`, o.ms ? `${o.ms} ms` : "", o.error ?? ""]),
    ),
    `${count("migrated")} migrated, ${count("up to date")} up to date, ${count("failed")} failed`,
  ].join("\n");
}

const usage = "usage: npm run db:migrate -- --all [--concurrency N], or --status";

/** `npm run db:migrate -- --all | --status`. Returns the exit code. */
export async function migrateAllCommand(argv: string[]): Promise<number> {
  let concurrency = 2;
  const at = argv.findIndex((a) => a === "--concurrency" || a.startsWith("--concurrency="));
  if (at >= 0) {
    const raw = argv[at]!.includes("=") ? argv[at]!.split("=")[1] : argv[at + 1];
    concurrency = Number(raw);
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      console.error(`--concurrency must be a whole number of at least 1 (${usage})`);
      return 1;
    }
  }
  const env: Record<string, string | undefined> = { ...process.env };
  let pg: LocalPostgres | null = null;
  try {
    if (!env.DATABASE_URL) {
      try {
        pg = (await startLocalPostgres({ port: Number(env.EMBEDDED_PG_PORT ?? 54329) })).pg;
      } catch (error) {
        if (!(error instanceof RefusedPasswordError)) throw error;
        console.error(error.message);
        return 1;
      }
      Object.assign(env, await bootstrapDatabase(pg, "canopy"));
    }
    let targets: DatabaseTarget[];
    try {
      targets = targetsFromEnv(env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      console.error(error.message);
      return 1;
    }
    if (argv.includes("--status")) {
      const states = await readStates(targets);
      console.log(formatStatus(states));
      return states.some((s) => s.error !== undefined) ? 1 : 0;
    }
    console.log(`Migrating ${targets.length} database(s), ${concurrency} at a time.`);
    const { outcomes } = await migrateAll(targets, { concurrency });
    console.log(`\n${formatSummary(outcomes)}`);
    return outcomes.some((o) => o.result === "failed") ? 1 : 0;
  } finally {
    await pg?.stop();
  }
}
