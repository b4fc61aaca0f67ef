import { and, eq } from "drizzle-orm";
import { invoices } from "@/db/schema/invoices";
import { projects, type ProjectStatus } from "@/db/schema/projects";
import { writeAudit } from "@/server/audit/write-audit";
import { AppError } from "@/server/errors";
import { assertProjectQuota } from "@/server/plan-limits";
import { getProject } from "@/server/modules/project/get-project";
import type { TenantScope } from "@/server/tenancy/enter-tenant";
import type { CreateProjectInput, UpdateProjectInput } from "@/lib/schemas/project";

/** `plan`: the tenant's plan (from the directory), whose project quota the create must fit. */
export async function createProject({ tenantId, userId, data }: Pick<TenantScope, "tenantId" | "userId" | "data">, input: CreateProjectInput, plan: string) {
  await assertProjectQuota(data, { id: tenantId, plan });
  const [row] = await data.insert(projects).values({ tenantId, name: input.name, description: input.description, createdBy: userId }).returning();
  if (!row) throw new Error("insert returned no row");
  await writeAudit(data, { tenantId, actorUserId: userId, action: "project.create", entityType: "project", entityId: row.id, after: row });
  return row;
}

export async function updateProject(scope: Pick<TenantScope, "tenantId" | "userId" | "data">, input: UpdateProjectInput) {
  const { tenantId, userId, data } = scope;
  const before = await getProject(scope, { id: input.id, lock: true });
  const [row] = await data
    .update(projects)
    .set({ name: input.name ?? before.name, description: input.description ?? before.description })
    .where(and(eq(projects.tenantId, tenantId), eq(projects.id, input.id)))
    .returning();
  if (!row) throw new AppError("NOT_FOUND", "Project not found");
  await writeAudit(data, { tenantId, actorUserId: userId, action: "project.update", entityType: "project", entityId: row.id, before, after: row, keep: ["name"] });
  return row;
}

async function setProjectStatus(scope: Pick<TenantScope, "tenantId" | "userId" | "data">, id: string, status: ProjectStatus) {
  const { tenantId, userId, data } = scope;
  const before = await getProject(scope, { id, lock: true });
  if (before.status === status) throw new AppError("INVALID_TRANSITION", `Project is already ${status}`);
  const [row] = await data
    .update(projects)
    .set({ status, archivedAt: status === "archived" ? new Date() : null })
    .where(and(eq(projects.tenantId, tenantId), eq(projects.id, id)))
    .returning();
  if (!row) throw new AppError("NOT_FOUND", "Project not found");
  const action = status === "archived" ? "project.archive" : "project.restore";
  await writeAudit(data, { tenantId, actorUserId: userId, action, entityType: "project", entityId: id, before, after: row, keep: ["name"] });
  return row;
}

export const archiveProject = (scope: Pick<TenantScope, "tenantId" | "userId" | "data">, { id }: { id: string }) => setProjectStatus(scope, id, "archived");
export const restoreProject = (scope: Pick<TenantScope, "tenantId" | "userId" | "data">, { id }: { id: string }) => setProjectStatus(scope, id, "active");

/** A project with invoices cannot be deleted (archive it instead): invoices are financial records. */
export async function deleteProject(scope: Pick<TenantScope, "tenantId" | "userId" | "data">, { id }: { id: string }) {
  const { tenantId, userId, data } = scope;
  const before = await getProject(scope, { id, lock: true });
  const [linked] = await data
    .select({ id: invoices.id })
    .from(invoices)
    .where(and(eq(invoices.tenantId, tenantId), eq(invoices.projectId, id)))
    .limit(1);
  if (linked) throw new AppError("CONFLICT", "This project has invoices; archive it instead");
  await data.delete(projects).where(and(eq(projects.tenantId, tenantId), eq(projects.id, id)));
  await writeAudit(data, { tenantId, actorUserId: userId, action: "project.delete", entityType: "project", entityId: id, before });
  return { id };
}
