import { describe, expect, it } from "vitest";
import { apiKeyScopes, normalizeScopes, personOnlyPermissions, scopePermissions } from "@/lib/api-key-scopes";
import { can, permissions, type Permission } from "@/lib/permissions";

const allPermissions = Object.keys(permissions) as Permission[];

describe("API key scopes", () => {
  it("every key reads the tenant; each scope grants exactly its own permission", () => {
    expect(can({ scopes: ["projects:read"] }, "tenant:read")).toBe(true);
    expect(allPermissions.filter((p) => can({ scopes: ["projects:read"] }, p))).toEqual(["tenant:read", "project:read"]);
    expect(allPermissions.filter((p) => can({ scopes: ["invoices:read"] }, p))).toEqual(["tenant:read", "invoice:read", "customer:read"]);
    expect(allPermissions.filter((p) => can({ scopes: ["invoices:write"] }, p))).toEqual(["tenant:read", "invoice:write", "customer:write"]);
    expect(allPermissions.filter((p) => can({ scopes: [...apiKeyScopes] }, p)).sort()).toEqual(
      ["tenant:read", "project:read", "project:write", "invoice:read", "invoice:write", "customer:read", "customer:write"].sort(),
    );
  });

  it("no scope set reaches a person-only permission or project deletion", () => {
    for (const permission of [...personOnlyPermissions, "project:delete" as const]) {
      expect(can({ scopes: [...apiKeyScopes] }, permission), permission).toBe(false);
      for (const granted of Object.values(scopePermissions)) expect(granted as readonly Permission[]).not.toContain(permission);
    }
  });

  it("unknown scope strings and roles smuggled in as scopes grant nothing", () => {
    expect(can({ scopes: ["admin", "owner", "members:write", "*"] }, "member:manage")).toBe(false);
    expect(can({ scopes: ["admin"] }, "project:read")).toBe(false);
    expect(can({ scopes: [] }, "project:read")).toBe(false);
  });

  it("a missing grant holds nothing; roles keep the role table", () => {
    expect(allPermissions.some((p) => can(null, p))).toBe(false);
    expect(can("admin", "member:manage")).toBe(true);
    expect(can("viewer", "project:write")).toBe(false);
  });

  it("normalises requested scopes: a write brings its read, duplicates and unknowns go, the list's order", () => {
    expect(normalizeScopes(["invoices:write", "projects:write", "invoices:write", "bogus"])).toEqual(["projects:read", "projects:write", "invoices:read", "invoices:write"]);
    expect(normalizeScopes(["invoices:read"])).toEqual(["invoices:read"]);
  });
});
