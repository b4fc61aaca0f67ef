import type { MemberRole } from "@/db/schema/users";
import { scopesAllow } from "./api-key-scopes";

/** The one permission table: which roles may do what inside a tenant. */
export const permissions = {
  "tenant:read": ["owner", "admin", "member", "viewer"],
  "project:read": ["owner", "admin", "member", "viewer"],
  "project:write": ["owner", "admin", "member"],
  "project:delete": ["owner", "admin"],
  "invoice:read": ["owner", "admin", "member", "viewer"],
  "invoice:write": ["owner", "admin", "member"],
  "customer:read": ["owner", "admin", "member", "viewer"],
  "customer:write": ["owner", "admin", "member"],
  "member:read": ["owner", "admin", "member", "viewer"],
  "member:manage": ["owner", "admin"],
  "apiKey:manage": ["owner", "admin"],
  "domain:manage": ["owner", "admin"],
  "audit:read": ["owner", "admin"],
  "settings:read": ["owner", "admin", "member", "viewer"],
  "settings:manage": ["owner", "admin"],
  // Who may sign in to the workspace, and with which roles: the owner's decision alone.
  "sso:manage": ["owner"],
  /** Sign-in rules for everyone in the workspace (requiring two-factor authentication). */
  "security:manage": ["owner"],
} as const satisfies Record<string, readonly MemberRole[]>;

export type Permission = keyof typeof permissions;

/**
 * What a caller holds in a tenant: a person's role, or an API key's scopes (lib/api-key-scopes.ts).
 * Null (no role: a key, or no membership) holds nothing.
 */
export type Grant = MemberRole | { scopes: readonly string[] } | null;

/** The one permission check, for people and API keys alike. */
export function can(grant: Grant, permission: Permission): boolean {
  if (grant === null) return false;
  // A key is judged by its scopes only, never by the role table: no role row can widen a key.
  if (typeof grant === "object") return scopesAllow(grant.scopes, permission);
  return (permissions[permission] as readonly MemberRole[]).includes(grant);
}
