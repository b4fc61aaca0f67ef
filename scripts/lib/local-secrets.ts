import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

/** This install's secrets, generated on first use and kept in `.data/secrets.json` (mode 0600). */
export type LocalSecrets = {
  AUTH_SECRET: string;
  INTERNAL_SECRET: string;
  /** The embedded PostgreSQL's superuser (`postgres`). */
  PG_SUPERUSER_PASSWORD: string;
  /** The owner/migration role (`canopy_owner`). */
  PG_OWNER_PASSWORD: string;
  /** The application login role (`canopy_app`). */
  PG_APP_PASSWORD: string;
};

/**
 * The fixed passwords installs used before they were generated: a `.data/pg` cluster created
 * then still has them until the first start that reads this file replaces them.
 */
export const LEGACY_PG_PASSWORDS = { superuser: "postgres", owner: "canopy_owner", app: "canopy_app" } as const;

const generators: Record<keyof LocalSecrets, () => string> = {
  AUTH_SECRET: () => randomBytes(32).toString("base64url"),
  INTERNAL_SECRET: () => randomBytes(32).toString("base64url"),
  // Hex: safe in a connection URL and in PgBouncer's userlist without any quoting.
  PG_SUPERUSER_PASSWORD: () => randomBytes(24).toString("hex"),
  PG_OWNER_PASSWORD: () => randomBytes(24).toString("hex"),
  PG_APP_PASSWORD: () => randomBytes(24).toString("hex"),
};

/** A random password for a throwaway server (tests, bench). */
export const randomPassword = () => randomBytes(24).toString("hex");

export const secretsFile = (dataDir: string) => path.join(dataDir, "secrets.json");

/**
 * Reads `<dataDir>/secrets.json`, generating whatever is missing (all of it on a fresh install,
 * the database passwords on one from before they were kept here) and saving it. The file is
 * readable by its owner only: it holds the database passwords and the session signing key.
 */
export function loadLocalSecrets(dataDir: string): LocalSecrets {
  const file = secretsFile(dataDir);
  let stored: Partial<Record<string, unknown>> = {};
  if (existsSync(file)) {
    // An older file may have been written wider (or copied with cp): tighten it before anything else.
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    stored = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  }
  const secrets = {} as LocalSecrets;
  let changed = !existsSync(file);
  for (const [key, generate] of Object.entries(generators) as [keyof LocalSecrets, () => string][]) {
    const value = stored[key];
    if (typeof value === "string" && value.length > 0) secrets[key] = value;
    else {
      secrets[key] = generate();
      changed = true;
    }
  }
  if (changed) {
    mkdirSync(dataDir, { recursive: true });
    // Written whole then renamed: a crash never leaves half a file, and the new file is 0600 from its first byte.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ ...stored, ...secrets }, null, 2)}\n`, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, file);
  }
  return secrets;
}
