import { describe, expect, it } from "vitest";
import { classifyHost, normalizeHost } from "@/lib/host";

const ROOT = "canopy.localhost";

describe("normalizeHost", () => {
  it.each([
    ["ACME.Canopy.Localhost:3000", "acme.canopy.localhost"],
    ["acme.canopy.localhost.", "acme.canopy.localhost"],
    ["Billing.Acme.Test.:443", "billing.acme.test"],
    ["bücher.example", "xn--bcher-kva.example"],
  ])("%s → %s", (raw, expected) => expect(normalizeHost(raw)).toBe(expected));

  it.each(["", "a b.test", "evil.test/path", "user@evil.test", "[::1]:3000", "acme..test", "-bad.test", "x.test:99999", `${"a".repeat(64)}.test`])(
    "rejects %j",
    (raw) => expect(normalizeHost(raw)).toBeNull(),
  );
});

describe("classifyHost", () => {
  it("knows the surfaces", () => {
    expect(classifyHost(ROOT, ROOT)).toEqual({ kind: "root", host: ROOT });
    expect(classifyHost(`www.${ROOT}`, ROOT)?.kind).toBe("root");
    expect(classifyHost(`admin.${ROOT}`, ROOT)?.kind).toBe("admin");
    expect(classifyHost(`acme.${ROOT}`, ROOT)).toEqual({ kind: "tenant", host: `acme.${ROOT}`, slug: "acme" });
    expect(classifyHost("billing.acme.test", ROOT)).toEqual({ kind: "custom", host: "billing.acme.test" });
  });

  it("never routes deeper names, reserved words or punycode labels to a tenant", () => {
    expect(classifyHost(`a.b.${ROOT}`, ROOT)).toBeNull();
    expect(classifyHost(`api.${ROOT}`, ROOT)).toBeNull();
    expect(classifyHost(`xn--bcher-kva.${ROOT}`, ROOT)).toBeNull();
    expect(classifyHost(`ab.${ROOT}`, ROOT)).toBeNull();
  });

  it("does not mistake a look-alike suffix for the root domain", () => {
    expect(classifyHost(`acme.evilcanopy.localhost`, ROOT)?.kind).toBe("custom");
  });
});
