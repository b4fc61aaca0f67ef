import { router, scopeOf as scope, tenantProcedure } from "@/server/api/trpc";
import { getProject } from "@/server/modules/project/get-project";
import { listProjects } from "@/server/modules/project/list-projects";
import { createProject, deleteProject, setProjectStatus, updateProject } from "@/server/modules/project/mutate-project";
import { createProjectInput, listProjectsInput, projectIdInput, updateProjectInput } from "@/lib/schemas/project";

const read = tenantProcedure.meta({ permission: "project:read" });
const write = tenantProcedure.meta({ permission: "project:write" });

export const projectRouter = router({
  list: read.input(listProjectsInput).query(({ ctx, input }) => listProjects({ tenantId: ctx.tenant.id, db: ctx.db, input })),
  byId: read.input(projectIdInput).query(({ ctx, input }) => getProject({ tenantId: ctx.tenant.id, db: ctx.db, id: input.id })),
  create: write.input(createProjectInput).mutation(({ ctx, input }) => createProject(scope(ctx), input)),
  update: write.input(updateProjectInput).mutation(({ ctx, input }) => updateProject(scope(ctx), input)),
  archive: write.input(projectIdInput).mutation(({ ctx, input }) => setProjectStatus(scope(ctx), input.id, "archived")),
  restore: write.input(projectIdInput).mutation(({ ctx, input }) => setProjectStatus(scope(ctx), input.id, "active")),
  delete: tenantProcedure
    .meta({ permission: "project:delete" })
    .input(projectIdInput)
    .mutation(({ ctx, input }) => deleteProject(scope(ctx), input.id)),
});

