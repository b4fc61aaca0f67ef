import type { MemberRole } from "@/db/schema/users";

/** The one permission table: which roles may do what inside a tenant. */
export const permissions = {
  "tenant:read": ["owner", "admin", "member", "viewer"],
  "project:read": ["owner", "admin", "member", "viewer"],
  "project:write": ["owner", "admin", "member"],
  "project:delete": ["owner", "admin"],
  "invoice:read": ["owner", "admin", "member", "viewer"],
  "invoice:write": ["owner", "admin", "member"],
  "member:read": ["owner", "admin", "member", "viewer"],
  "member:manage": ["owner", "admin"],
  "apiKey:manage": ["owner", "admin"],
  "domain:manage": ["owner", "admin"],
  "audit:read": ["owner", "admin"],
} as const satisfies Record<string, readonly MemberRole[]>;

export type Permission = keyof typeof permissions;

export function can(role: MemberRole, permission: Permission): boolean {
  return (permissions[permission] as readonly MemberRole[]).includes(role);
}
