import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { withUser } from "@/db/tenant-transaction";

type WorkspaceRow = { tenant_id: string; slug: string; name: string; status: string; role: string; [k: string]: unknown };

/** The user's tenants, through the directory function that reads app.user_id only. */
export async function listMyWorkspaces(directory: Database, userId: string) {
  const rows = await withUser(directory, userId, (tx) => tx.execute<WorkspaceRow>(sql`select tenant_id, slug, name, status, role from app_my_workspaces()`));
  return rows.map((r) => ({ tenantId: r.tenant_id, slug: r.slug, name: r.name, status: r.status, role: r.role }));
}
