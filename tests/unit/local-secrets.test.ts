import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LEGACY_PG_PASSWORDS, loadLocalSecrets, secretsFile } from "@/scripts/lib/local-secrets";

const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), "canopy-secrets-"));
  dirs.push(dir);
  return path.join(dir, ".data");
};
const modeOf = (file: string) => statSync(file).mode & 0o777;
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe(".data/secrets.json", () => {
  it("is created readable by its owner only, with random values for every secret", () => {
    const dataDir = freshDir();
    const a = loadLocalSecrets(dataDir);
    const b = loadLocalSecrets(freshDir());
    expect(modeOf(secretsFile(dataDir))).toBe(0o600);
    for (const key of Object.keys(a) as (keyof typeof a)[]) {
      expect(a[key].length, key).toBeGreaterThanOrEqual(32);
      expect(a[key], key).not.toBe(b[key]);
    }
    for (const legacy of Object.values(LEGACY_PG_PASSWORDS)) expect(Object.values(a)).not.toContain(legacy);
    expect(new Set(Object.values(a)).size).toBe(Object.keys(a).length);
  });

  it("is stable across runs", () => {
    const dataDir = freshDir();
    const first = loadLocalSecrets(dataDir);
    const written = readFileSync(secretsFile(dataDir), "utf8");
    expect(loadLocalSecrets(dataDir)).toEqual(first);
    expect(readFileSync(secretsFile(dataDir), "utf8")).toBe(written);
  });

  it("upgrades a file from before the database passwords: keeps its secrets, adds the passwords, tightens the mode", () => {
    const dataDir = freshDir();
    const file = secretsFile(dataDir);
    loadLocalSecrets(dataDir);
    const old = { AUTH_SECRET: "old-auth-secret-kept-as-it-is-0123456789", INTERNAL_SECRET: "old-internal-secret-kept-as-it-is-012345" };
    writeFileSync(file, JSON.stringify(old));
    chmodSync(file, 0o644);
    const upgraded = loadLocalSecrets(dataDir);
    expect(upgraded).toMatchObject(old);
    expect(upgraded.PG_SUPERUSER_PASSWORD).toMatch(/^[0-9a-f]{48}$/);
    expect(upgraded.PG_OWNER_PASSWORD).toMatch(/^[0-9a-f]{48}$/);
    expect(upgraded.PG_APP_PASSWORD).toMatch(/^[0-9a-f]{48}$/);
    expect(modeOf(file)).toBe(0o600);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(upgraded);
  });

  it("fixes a file left world-readable even when nothing is missing", () => {
    const dataDir = freshDir();
    const first = loadLocalSecrets(dataDir);
    chmodSync(secretsFile(dataDir), 0o664);
    expect(loadLocalSecrets(dataDir)).toEqual(first);
    expect(modeOf(secretsFile(dataDir))).toBe(0o600);
  });
});
