import type { MemberRole } from "@/db/schema/users";
import type { ApiKeyScope } from "@/lib/api-key-scopes";
import type { TenantRef } from "@/server/tenancy/directory";

/** The workspace the caller is in, and what the caller is there: a member's role or an API key's scopes. */
export function currentTenant(tenant: TenantRef, caller: { role: MemberRole | null; scopes?: readonly ApiKeyScope[] | undefined }) {
  return {
    id: tenant.id,
    slug: tenant.slug,
    name: tenant.name,
    status: tenant.status,
    /** The caller's role; null for an API key, which has scopes instead. */
    role: caller.role,
    scopes: caller.scopes ?? null,
  };
}
