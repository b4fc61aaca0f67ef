import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/*
 * Two boundaries that review alone would let slip:
 * - configuration is read through lib/env.ts (declared, validated, documented once), so a new raw
 *   process.env read in application code fails here unless it is added to RAW_READS with its reason;
 * - the bench floors (server/bench/, BYPASSRLS connections) stay reachable only from their own
 *   routes and the bench, never from production code paths.
 */

const root = path.resolve(import.meta.dirname, "../..");

/** The gate itself: the only files that read the environment as a whole. */
const GATES = new Set(["lib/env.ts", "lib/env-edge.ts"]);

/** file → the keys it may read raw ("*": the whole object handed on; "[]": a computed key). */
const RAW_READS: Record<string, string[]> = {
  // Next's runtime marker, not configuration.
  "instrumentation.ts": ["NEXT_RUNTIME"],
  "server/documents/render-pool.ts": ["NEXT_RUNTIME"],
  // Loaded by plain node (scripts/serve.mjs), which cannot import lib/env.ts.
  "lib/log.mjs": ["NODE_ENV"],
  // A default written for next-auth 4, which reads the variable itself.
  "server/auth.ts": ["AUTH_TRUST_HOST"],
  // The OpenTelemetry SDK's own OTEL_* variables, read and defaulted where the SDK reads them.
  "server/observability/otel-sdk.ts": ["*", "[]", "OTEL_SERVICE_NAME"],
};

const SOURCE = /\.(ts|tsx|mts|mjs|js)$/;

function walk(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" || entry.name.startsWith(".") ? [] : walk(rel);
    return SOURCE.test(entry.name) && !entry.name.endsWith(".d.ts") && !entry.name.endsWith(".d.mts") ? [rel] : [];
  });
}

const isComment = (line: string) => /^\s*(\/\/|\/\*|\*)/.test(line);

/** Every `process.env` read outside comments, as "file: KEY". */
function rawEnvReads(file: string, text: string): string[] {
  const found: string[] = [];
  for (const line of text.split("\n")) {
    if (isComment(line)) continue;
    for (const match of line.matchAll(/process\.env(?:\.([A-Za-z_][A-Za-z0-9_]*)|(\[))?/g)) {
      found.push(`${file}: ${match[1] ?? (match[2] ? "[]" : "*")}`);
    }
  }
  return found;
}

const appFiles = [...["server", "app", "db", "lib"].flatMap(walk), "middleware.ts", "instrumentation.ts", "next.config.ts"];

describe("configuration is read through lib/env.ts", () => {
  it("finds reads the way the check needs (computed keys, whole object, comments)", () => {
    expect(rawEnvReads("x.ts", "const a = process.env.DB_PREPARE;\nf(process.env);\nprocess.env[name] = v;\n// process.env.IGNORED\n")).toEqual([
      "x.ts: DB_PREPARE",
      "x.ts: *",
      "x.ts: []",
    ]);
  });

  it("has no raw process.env read outside lib/env.ts and the allow-list", () => {
    const unexpected = appFiles
      .filter((file) => !GATES.has(file))
      .flatMap((file) => rawEnvReads(file, readFileSync(path.join(root, file), "utf8")))
      .filter((read) => {
        const [file, key] = read.split(": ") as [string, string];
        return !RAW_READS[file]?.includes(key);
      });
    expect(unexpected, "read it through env() in lib/env.ts (declare and document it there), or allow it here with its reason").toEqual([]);
  });

  it("lists no allowed read that is gone", () => {
    const present = new Set(Object.keys(RAW_READS).flatMap((file) => rawEnvReads(file, readFileSync(path.join(root, file), "utf8"))));
    const stale = Object.entries(RAW_READS).flatMap(([file, keys]) => keys.map((key) => `${file}: ${key}`)).filter((read) => !present.has(read));
    expect(stale).toEqual([]);
  });
});

/** Where the bench-only code may be imported from: itself, its two routes and the bench. */
const BENCH_FENCE = ["server/bench/", "app/api/bench/", "bench/"];

/** The production path's hooks into the bench, each inert without BENCH_MODE=1: file → specifier. */
const BENCH_HOOKS: Record<string, string> = {
  "server/tenancy/pools.ts": "@/server/bench/wire-count",
  "server/api/server-caller.ts": "@/server/bench/wire-count",
};

/** Every import specifier of a module: static, dynamic and re-exports. */
function importsOf(text: string): string[] {
  return [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+)["']/g)].map((m) => m[1] as string);
}

function resolvesIntoBench(file: string, specifier: string): boolean {
  if (specifier.startsWith("@/")) return specifier.slice(2).startsWith("server/bench/") || specifier === "@/server/bench";
  if (!specifier.startsWith(".")) return false;
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
  return target === "server/bench" || target.startsWith("server/bench/");
}

describe("bench-only code is fenced", () => {
  it("sees every kind of import into server/bench", () => {
    const text = 'import { a } from "@/server/bench/floor-db";\nexport { b } from "../bench/floor-route";\nawait import("@/server/bench/floor-router");\nimport x from "@/server/benchmarks";';
    expect(importsOf(text).filter((s) => resolvesIntoBench("server/api/x.ts", s))).toEqual(["@/server/bench/floor-db", "../bench/floor-route", "@/server/bench/floor-router"]);
  });

  it("is imported only from server/bench/, app/api/bench/, bench/ and the listed hooks", () => {
    const files = ["server", "app", "db", "lib", "components", "scripts", "tests", "e2e"].flatMap((dir) => {
      try {
        return walk(dir);
      } catch {
        return [];
      }
    });
    const leaks = [...files, "middleware.ts", "instrumentation.ts", "next.config.ts"]
      // This file names such imports only as sample text.
      .filter((file) => file !== "tests/unit/env-reads.test.ts" && !BENCH_FENCE.some((allowed) => file.startsWith(allowed)))
      .flatMap((file) => importsOf(readFileSync(path.join(root, file), "utf8")).filter((s) => resolvesIntoBench(file, s) && BENCH_HOOKS[file] !== s).map((s) => `${file} → ${s}`));
    expect(leaks).toEqual([]);
  });
});
