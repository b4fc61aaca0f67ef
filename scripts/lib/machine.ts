/**
 * What `npm test` needs from the machine besides node_modules: Debian's Chromium (Playwright
 * cannot download its own browser here) and PgBouncer (the transaction-pooling pass). Checked
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
  root: boolean;
  apt: boolean;
}): MachinePlan {
  if (m.chromiumMissing && m.chromiumFromEnv) {
    return { kind: "stop", line: `npm test: CHROMIUM_PATH=${m.chromiumPath} does not exist; point it at a Chromium binary, or unset it to use ${DEFAULT_CHROMIUM}` };
  }
  const packages = [...(m.chromiumMissing ? ["chromium", "fonts-liberation"] : []), ...(m.pgbouncerMissing ? ["pgbouncer"] : [])];
  if (packages.length === 0) return { kind: "ready" };
  const what = [m.chromiumMissing ? `Chromium at ${DEFAULT_CHROMIUM} (e2e)` : null, m.pgbouncerMissing ? "PgBouncer (the transaction-pooling pass)" : null].filter(Boolean).join(" and ");
  const command = `apt-get install -y ${packages.join(" ")}`;
  if (m.apt && m.root) return { kind: "install", packages, line: `npm test needs ${what}: installing ${packages.join(" ")} with apt-get` };
  if (m.apt) return { kind: "stop", line: `npm test needs ${what}: run \`sudo ${command}\`, then npm test again` };
  return {
    kind: "stop",
    line: `npm test needs ${what}: install ${m.chromiumMissing ? "Chromium (or set CHROMIUM_PATH to one)" : ""}${m.chromiumMissing && m.pgbouncerMissing ? " and " : ""}${m.pgbouncerMissing ? "PgBouncer" : ""} (on Debian: \`${command}\`), then npm test again`,
  };
}
