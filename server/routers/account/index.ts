import { authedProcedure, publicProcedure, router } from "@/server/trpc";
import { tenantUrl } from "@/server/urls";
import { createWorkspace, slugAvailability } from "./create-workspace";
import { createWorkspaceInput, signUpInput, slugAvailableInput } from "./schemas";
import { signUp } from "./sign-up";

export const accountRouter = router({
  signUp: publicProcedure.input(signUpInput).mutation(({ ctx, input }) => signUp(ctx.db, input)),
  slugAvailable: authedProcedure.input(slugAvailableInput).query(({ ctx, input }) => slugAvailability(ctx.db, input.slug)),
  createWorkspace: authedProcedure.input(createWorkspaceInput).mutation(async ({ ctx, input }) => {
    const created = await createWorkspace(ctx.db, ctx.session.userId, input);
    return { ...created, url: tenantUrl(created.slug) };
  }),
});
