import { router, tenantProcedure } from "@/server/api/trpc";
import { getProject } from "@/server/modules/project/get-project";
import { listProjects } from "@/server/modules/project/list-projects";
import { archiveProject, createProject, deleteProject, restoreProject, updateProject } from "@/server/modules/project/mutate-project";
import { createProjectInput, listProjectsInput, projectIdInput, updateProjectInput } from "@/lib/schemas/project";

const read = tenantProcedure.meta({ permission: "project:read" });
const write = tenantProcedure.meta({ permission: "project:write" });

export const projectRouter = router({
  list: read.input(listProjectsInput).query(({ ctx, input }) => listProjects(ctx.scope, input)),
  byId: read.input(projectIdInput).query(({ ctx, input }) => getProject(ctx.scope, input)),
  create: write.input(createProjectInput).mutation(({ ctx, input }) => createProject(ctx.scope, input, ctx.tenant.plan)),
  update: write.input(updateProjectInput).mutation(({ ctx, input }) => updateProject(ctx.scope, input)),
  archive: write.input(projectIdInput).mutation(({ ctx, input }) => archiveProject(ctx.scope, input)),
  restore: write.input(projectIdInput).mutation(({ ctx, input }) => restoreProject(ctx.scope, input)),
  delete: tenantProcedure
    .meta({ permission: "project:delete" })
    .input(projectIdInput)
    .mutation(({ ctx, input }) => deleteProject(ctx.scope, input)),
});
