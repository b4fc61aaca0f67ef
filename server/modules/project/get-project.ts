import { and, eq } from "drizzle-orm";
import { projects } from "@/db/schema/projects";
import { AppError } from "@/server/errors";
import type { TenantScope } from "@/server/tenancy/enter-tenant";

/** One project of the tenant, or NOT_FOUND (also for ids of other tenants: RLS hides them). */
export async function getProject({ tenantId, data }: Pick<TenantScope, "tenantId" | "data">, { id, lock = false }: { id: string; lock?: boolean }) {
  const query = data
    .select()
    .from(projects)
    .where(and(eq(projects.tenantId, tenantId), eq(projects.id, id)))
    .limit(1);
  // Mutations lock the row they read, so two concurrent edits cannot both act on a stale 'before'.
  const [row] = lock ? await query.for("update") : await query;
  if (!row) throw new AppError("NOT_FOUND", "Project not found");
  return row;
}
