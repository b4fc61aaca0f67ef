import "server-only";
import { forbidden, notFound } from "next/navigation";
import { cache } from "react";
import { z } from "zod";
import { can, type Permission } from "@/lib/permissions";
import { serverCaller } from "@/server/api/server-caller";
import { pageCall } from "@/server/api/page-call";

/** What changes anything in a workspace. A principal holding none of these is read-only. */
const writePermissions: readonly Permission[] = ["project:write", "invoice:write", "member:manage", "apiKey:manage", "domain:manage"];

/**
 * The workspace and what the caller may do in it, read once per request (React `cache`) by the
 * layout and every page, from the same permission table the procedures enforce. The pages only
 * hide what the server would refuse anyway: a viewer, or a platform admin in a read-only support
 * view (admitted as a viewer), never meets a form that can only fail.
 */
export const workspacePrincipal = cache(async () => {
  const caller = await serverCaller();
  const tenant = await pageCall(() => caller.tenant.current());
  const allows = (permission: Permission) => can(tenant.role ?? (tenant.scopes ? { scopes: tenant.scopes } : null), permission);
  return { tenant, allows, readOnly: !writePermissions.some(allows) };
});

/**
 * A page only for holders of `permission`: anyone else gets the workspace's 403 page. Called
 * before anything streams, so the status is a real 403 (see docs/architecture.md, Errors).
 */
export async function requirePagePermission(permission: Permission) {
  const principal = await workspacePrincipal();
  if (!principal.allows(permission)) forbidden();
  return principal;
}

/** An id from the URL: anything that is not a UUID cannot name a record, so it is a 404, not a failed call. */
export function pageId(raw: string): string {
  if (!z.uuid().safeParse(raw).success) notFound();
  return raw;
}
