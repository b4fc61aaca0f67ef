import { and, eq } from "drizzle-orm";
import type { Transaction } from "@/db/client";
import { projects } from "@/db/schema/projects";
import { AppError } from "@/server/errors";

/** One project of the tenant, or NOT_FOUND (also for ids of other tenants: RLS hides them). */
export async function getProject({ tenantId, db, id, lock = false }: { tenantId: string; db: Transaction; id: string; lock?: boolean }) {
  const query = db
    .select()
    .from(projects)
    .where(and(eq(projects.tenantId, tenantId), eq(projects.id, id)))
    .limit(1);
  // Mutations lock the row they read, so two concurrent edits cannot both act on a stale 'before'.
  const [row] = lock ? await query.for("update") : await query;
  if (!row) throw new AppError("NOT_FOUND", "Project not found");
  return row;
}
