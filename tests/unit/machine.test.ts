import { describe, expect, it } from "vitest";
import { planMachine } from "@/scripts/lib/machine";

const base = { chromiumMissing: false, chromiumPath: "/usr/bin/chromium", chromiumFromEnv: false, pgbouncerMissing: false, root: true, apt: true };

describe("npm test's machine check", () => {
  it("does nothing when both are there", () => {
    expect(planMachine(base)).toEqual({ kind: "ready" });
  });

  it("installs what is missing with apt-get when root", () => {
    const plan = planMachine({ ...base, chromiumMissing: true, pgbouncerMissing: true });
    expect(plan).toMatchObject({ kind: "install", packages: ["chromium", "fonts-liberation", "pgbouncer"] });
    expect(planMachine({ ...base, pgbouncerMissing: true })).toMatchObject({ kind: "install", packages: ["pgbouncer"] });
    expect(planMachine({ ...base, chromiumMissing: true, caddyMissing: true })).toMatchObject({ kind: "install", packages: ["chromium", "fonts-liberation", "caddy"] });
  });

  it("names Caddy for the cluster stage", () => {
    const plan = planMachine({ ...base, caddyMissing: true, root: false });
    expect(plan.kind === "stop" && plan.line).toBe("npm test needs Caddy (the cluster stage): run `sudo apt-get install -y caddy`, then npm test again");
  });

  it("stops with the exact command when it cannot install", () => {
    const notRoot = planMachine({ ...base, chromiumMissing: true, root: false });
    expect(notRoot).toMatchObject({ kind: "stop" });
    expect(notRoot.kind === "stop" && notRoot.line).toContain("`sudo apt-get install -y chromium fonts-liberation`");
    const noApt = planMachine({ ...base, pgbouncerMissing: true, apt: false });
    expect(noApt.kind === "stop" && noApt.line).toContain("`apt-get install -y pgbouncer`");
    for (const plan of [notRoot, noApt]) expect(plan.kind === "stop" && plan.line).not.toContain("\n");
  });

  it("leaves a CHROMIUM_PATH that points nowhere to its owner", () => {
    const plan = planMachine({ ...base, chromiumMissing: true, chromiumFromEnv: true, chromiumPath: "/opt/none/chrome" });
    expect(plan).toMatchObject({ kind: "stop" });
    expect(plan.kind === "stop" && plan.line).toContain("CHROMIUM_PATH=/opt/none/chrome");
  });
});
