import { liveSupportSession } from "@/server/support-sessions";
import { adminUrl } from "@/server/urls";
import { closeSupportSession } from "@/server/modules/admin/support-session";
import type { DirectoryScope, TenantScope } from "@/server/tenancy/enter-tenant";

type Caller = Pick<DirectoryScope, "tenantId" | "userId" | "directory">;

/** The caller's own live "view as tenant" session here, for the banner; null for members and API keys. */
export async function currentSupportSession({ tenantId, userId, directory }: Caller) {
  if (!userId) return null;
  const session = await liveSupportSession(directory, tenantId, userId);
  return session ? { id: session.id, tenantId, reason: session.reason, readOnly: session.readOnly, expiresAt: session.expiresAt } : null;
}

/**
 * "End support view" from the tenant's own pages: closes the caller's live session here (only
 * their own: the look-up is by the caller's id) and says where the admin console is. Ending one
 * that already expired is not an error: the admin just leaves.
 */
export async function endOwnSupportSession(scope: TenantScope) {
  const { tenantId, userId, directory } = scope;
  const session = userId ? await liveSupportSession(directory, tenantId, userId) : null;
  const closed = session && userId ? await closeSupportSession(scope, userId, session.id) : null;
  return { ended: closed !== null, consoleUrl: adminUrl(`/tenants/${tenantId}`) };
}
