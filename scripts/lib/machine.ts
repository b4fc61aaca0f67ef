/**
 * What `npm test` needs from the machine besides node_modules: Debian's Chromium (Playwright
 * cannot download its own browser here), PgBouncer (the transaction-pooling pass) and Caddy (the
 * cluster stage, in front of two servers over HTTPS). Checked
 * before the first step, so a machine without them learns it at once, not after minutes of
 * lint and integration tests.
 */

export const DEFAULT_CHROMIUM = "/usr/bin/chromium";

export type MachinePlan = { kind: "ready" } | { kind: "install"; packages: string[]; line: string } | { kind: "stop"; line: string };

export function planMachine(m: {
  /** Set when the e2e step runs and no browser is at `chromiumPath`. */
  chromiumMissing: boolean;
  chromiumPath: string;
  /** CHROMIUM_PATH was given: a missing browser there is the caller's to fix, not apt's. */
  chromiumFromEnv: boolean;
  /** Set when the PgBouncer pass runs and no pgbouncer binary is installed. */
  pgbouncerMissing: boolean;
  /** Set when the cluster stage runs and no caddy binary is installed. */
  caddyMissing?: boolean;
  root: boolean;
  apt: boolean;
}): MachinePlan {
  if (m.chromiumMissing && m.chromiumFromEnv) {
    return { kind: "stop", line: `npm test: CHROMIUM_PATH=${m.chromiumPath} does not exist; point it at a Chromium binary, or unset it to use ${DEFAULT_CHROMIUM}` };
  }
  const needs = [
    { missing: m.chromiumMissing, packages: ["chromium", "fonts-liberation"], what: `Chromium at ${DEFAULT_CHROMIUM} (e2e)`, name: "Chromium (or set CHROMIUM_PATH to one)" },
    { missing: m.pgbouncerMissing, packages: ["pgbouncer"], what: "PgBouncer (the transaction-pooling pass)", name: "PgBouncer" },
    { missing: m.caddyMissing ?? false, packages: ["caddy"], what: "Caddy (the cluster stage)", name: "Caddy" },
  ].filter((need) => need.missing);
  if (needs.length === 0) return { kind: "ready" };
  const packages = needs.flatMap((need) => need.packages);
  const what = needs.map((need) => need.what).join(" and ");
  const command = `apt-get install -y ${packages.join(" ")}`;
  if (m.apt && m.root) return { kind: "install", packages, line: `npm test needs ${what}: installing ${packages.join(" ")} with apt-get` };
  if (m.apt) return { kind: "stop", line: `npm test needs ${what}: run \`sudo ${command}\`, then npm test again` };
  return { kind: "stop", line: `npm test needs ${what}: install ${needs.map((need) => need.name).join(" and ")} (on Debian: \`${command}\`), then npm test again` };
}
