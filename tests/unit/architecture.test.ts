import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(ROOT, dir))) {
    const rel = path.join(dir, name);
    if (statSync(path.join(ROOT, rel)).isDirectory()) out.push(...sourceFiles(rel));
    else if (/\.(ts|tsx|mjs)$/.test(name)) out.push(rel);
  }
  return out;
}

const importsOf = (file: string) => [...readFileSync(path.join(ROOT, file), "utf8").matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map((m) => m[1]!);

/** Where a relative or aliased import points, as a path from the repository root (no extension). */
function target(file: string, spec: string): string | null {
  if (spec.startsWith("@/")) return spec.slice(2);
  if (spec.startsWith(".")) return path.join(path.dirname(file), spec);
  return null;
}

const offenders = (files: string[], bad: (target: string) => boolean) =>
  files.flatMap((file) => importsOf(file).flatMap((spec) => {
    const t = target(file, spec);
    return t && bad(t) ? [`${file} imports ${spec}`] : [];
  }));

describe("the server's layout", () => {
  it("business modules never reach up into the tRPC layer", () => {
    expect(offenders(sourceFiles("server/modules"), (t) => t.startsWith("server/api/"))).toEqual([]);
  });

  it("the worker, mail, jobs and tenancy import no router or tRPC code", () => {
    const files = ["server/worker", "server/jobs", "server/mail", "server/tenancy"].flatMap(sourceFiles);
    expect(offenders(files, (t) => t.startsWith("server/api/"))).toEqual([]);
  });

  it("only server/tenancy opens a tenant transaction or sets app.tenant_id", () => {
    const files = ["server", "app"].flatMap(sourceFiles).filter((f) => !f.startsWith("server/tenancy/"));
    const raw = files.filter((f) => /set_config\(\s*'app\.tenant_id'/.test(readFileSync(path.join(ROOT, f), "utf8")));
    expect(raw).toEqual([]);
    const primitive = files.filter((f) => /import\s*\{[^}]*\bwithTenant\b[^}]*\}\s*from\s*["']@\/db\/tenant-transaction["']/.test(readFileSync(path.join(ROOT, f), "utf8")));
    expect(primitive).toEqual([]);
  });

  it("finds what it looks for (the scan itself works)", () => {
    expect(sourceFiles("server/modules").length).toBeGreaterThan(20);
    expect(offenders(["server/api/routers/invoice.ts"], (t) => t.startsWith("server/modules/"))).not.toEqual([]);
    expect(readFileSync(path.join(ROOT, "db/tenant-transaction.ts"), "utf8")).toMatch(/set_config\('app\.tenant_id'/);
  });
});
