import { and, eq } from "drizzle-orm";
import type { Transaction } from "@/db/client";
import { invoices } from "@/db/schema/invoices";
import { projects, type ProjectStatus } from "@/db/schema/projects";
import { writeAudit } from "@/server/audit/write-audit";
import { AppError } from "@/server/errors";
import { assertProjectQuota } from "@/server/plan-limits";
import { getProject } from "@/server/modules/project/get-project";
import type { CreateProjectInput, UpdateProjectInput } from "@/lib/schemas/project";

type Scope = { tenantId: string; userId: string | null; db: Transaction };

export async function createProject({ tenantId, plan, userId, db }: Scope & { plan: string }, input: CreateProjectInput) {
  await assertProjectQuota(db, { id: tenantId, plan });
  const [row] = await db.insert(projects).values({ tenantId, name: input.name, description: input.description, createdBy: userId }).returning();
  if (!row) throw new Error("insert returned no row");
  await writeAudit(db, { tenantId, actorUserId: userId, action: "project.create", entityType: "project", entityId: row.id, after: row });
  return row;
}

export async function updateProject({ tenantId, userId, db }: Scope, input: UpdateProjectInput) {
  const before = await getProject({ tenantId, db, id: input.id, lock: true });
  const [row] = await db
    .update(projects)
    .set({ name: input.name ?? before.name, description: input.description ?? before.description })
    .where(and(eq(projects.tenantId, tenantId), eq(projects.id, input.id)))
    .returning();
  if (!row) throw new AppError("NOT_FOUND", "Project not found");
  await writeAudit(db, { tenantId, actorUserId: userId, action: "project.update", entityType: "project", entityId: row.id, before, after: row, keep: ["name"] });
  return row;
}

export async function setProjectStatus({ tenantId, userId, db }: Scope, id: string, status: ProjectStatus) {
  const before = await getProject({ tenantId, db, id, lock: true });
  if (before.status === status) throw new AppError("INVALID_TRANSITION", `Project is already ${status}`);
  const [row] = await db
    .update(projects)
    .set({ status, archivedAt: status === "archived" ? new Date() : null })
    .where(and(eq(projects.tenantId, tenantId), eq(projects.id, id)))
    .returning();
  if (!row) throw new AppError("NOT_FOUND", "Project not found");
  const action = status === "archived" ? "project.archive" : "project.restore";
  await writeAudit(db, { tenantId, actorUserId: userId, action, entityType: "project", entityId: id, before, after: row, keep: ["name"] });
  return row;
}

/** A project with invoices cannot be deleted (archive it instead): invoices are financial records. */
export async function deleteProject({ tenantId, userId, db }: Scope, id: string) {
  const before = await getProject({ tenantId, db, id, lock: true });
  const [linked] = await db
    .select({ id: invoices.id })
    .from(invoices)
    .where(and(eq(invoices.tenantId, tenantId), eq(invoices.projectId, id)))
    .limit(1);
  if (linked) throw new AppError("CONFLICT", "This project has invoices; archive it instead");
  await db.delete(projects).where(and(eq(projects.tenantId, tenantId), eq(projects.id, id)));
  await writeAudit(db, { tenantId, actorUserId: userId, action: "project.delete", entityType: "project", entityId: id, before });
  return { id };
}
