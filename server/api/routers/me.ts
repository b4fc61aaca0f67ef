import { authedProcedure, router } from "@/server/api/trpc";
import { listMyWorkspaces } from "@/server/modules/account/list-workspaces";

export const meRouter = router({
  workspaces: authedProcedure.query(({ ctx }) => listMyWorkspaces(ctx.directory, ctx.session.userId)),
});
