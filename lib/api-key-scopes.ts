import type { Permission } from "./permissions";

/**
 * What an API key may do. Keys have scopes, never roles: a role is a person's place in the
 * tenant, and the role table (lib/permissions.ts) must never be what lets a machine client in.
 * The list must match the `api_keys_scopes_check` constraint (drizzle/0017).
 */
export const apiKeyScopes = ["projects:read", "projects:write", "invoices:read", "invoices:write"] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

export const apiKeyScopeLabels: Record<ApiKeyScope, { label: string; hint: string }> = {
  "projects:read": { label: "Read projects", hint: "List and view projects" },
  "projects:write": { label: "Write projects", hint: "Create, rename, archive and restore projects (not delete)" },
  "invoices:read": { label: "Read invoices", hint: "List and view invoices, their totals and customers" },
  "invoices:write": { label: "Write invoices", hint: "Create, edit, send, mark paid, void and delete drafts; create, edit and archive customers" },
};

/**
 * Permissions no API key holds, whatever its scopes and whatever the role table says: managing
 * people, invitations, keys or domains and reading mail (which carries invitation links) would
 * let a leaked key create a way back in that outlives its revocation. Company details are the
 * seller on every invoice and the logo on the sign-in page: a leaked key that could rewrite them
 * could change who the tenant's invoices and sign-in page claim to come from.
 */
export const personOnlyPermissions = ["member:read", "member:manage", "apiKey:manage", "domain:manage", "audit:read", "settings:read", "settings:manage", "sso:manage", "security:manage"] as const satisfies readonly Permission[];
type KeyPermission = Exclude<Permission, (typeof personOnlyPermissions)[number]>;

/** Held by every live key: the tenant's own name and slug (`tenant.current`). */
const everyKey: readonly KeyPermission[] = ["tenant:read"];

/**
 * What each scope grants. `project:delete` is in none: deleting is for owners and admins in the
 * role table, and a script that writes projects can archive them, which can be undone.
 */
export const scopePermissions: Record<ApiKeyScope, readonly KeyPermission[]> = {
  "projects:read": ["project:read"],
  "projects:write": ["project:write"],
  // Customers are who invoices are for: a script that writes invoices picks and keeps them.
  "invoices:read": ["invoice:read", "customer:read"],
  "invoices:write": ["invoice:write", "customer:write"],
};

/** Every write scope brings its read scope: each write returns the row it wrote. */
const impliedBy: Partial<Record<ApiKeyScope, ApiKeyScope>> = { "projects:write": "projects:read", "invoices:write": "invoices:read" };

export function isApiKeyScope(value: string): value is ApiKeyScope {
  return (apiKeyScopes as readonly string[]).includes(value);
}

/** The scopes to store for a request: known ones only, each write with its read, in the list's order. */
export function normalizeScopes(scopes: readonly string[]): ApiKeyScope[] {
  const wanted = new Set(scopes.filter(isApiKeyScope));
  for (const scope of [...wanted]) {
    const read = impliedBy[scope];
    if (read) wanted.add(read);
  }
  return apiKeyScopes.filter((s) => wanted.has(s));
}

/** Whether scopes grant a permission. Unknown scope strings grant nothing. */
export function scopesAllow(scopes: readonly string[], permission: Permission): boolean {
  // Checked first and on its own, so no edit of the tables above can hand a key these.
  if ((personOnlyPermissions as readonly Permission[]).includes(permission)) return false;
  if ((everyKey as readonly Permission[]).includes(permission)) return true;
  return scopes.some((s) => isApiKeyScope(s) && (scopePermissions[s] as readonly Permission[]).includes(permission));
}
