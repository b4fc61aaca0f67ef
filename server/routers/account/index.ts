import { runAfterCommit } from "@/server/after-commit";
import { deliverAccountEmails } from "@/server/mail/account-email";
import { authedProcedure, publicProcedure, router } from "@/server/trpc";
import type { Context } from "@/server/context";
import { hostUrl, rootUrl, tenantUrl } from "@/server/urls";
import { createWorkspace, slugAvailability } from "./create-workspace";
import { confirmEmail, resendEmailVerification } from "./email-verification";
import { confirmEmailInput, createWorkspaceInput, resendVerificationInput, signUpInput, slugAvailableInput } from "./schemas";
import { signUp } from "./sign-up";
import { accountStatus } from "./account-status";

/** Links in account mail point back at the host the person is using (root, tenant or custom domain). */
const linkFor = (ctx: Context) => (path: string) => (ctx.host ? hostUrl(ctx.host.host, path) : rootUrl(path));

/** Mail goes out only once the transaction that wrote it has committed. */
const deliverLater = (ctx: Context, userId: string | null) => {
  if (userId) runAfterCommit(ctx.db, [async (db) => void (await deliverAccountEmails(db, { userId }))]);
};

export const accountRouter = router({
  signUp: publicProcedure.input(signUpInput).mutation(async ({ ctx, input }) => {
    const result = await signUp(ctx.db, input, { clientAddress: ctx.clientAddress ?? null, linkFor: linkFor(ctx) });
    deliverLater(ctx, result.mailFor);
    return { email: input.email };
  }),
  status: authedProcedure.query(({ ctx }) => accountStatus(ctx.db, ctx.session.userId)),
  confirmEmail: authedProcedure.input(confirmEmailInput).mutation(({ ctx, input }) => confirmEmail(ctx.db, ctx.session.userId, input.token)),
  resendVerification: authedProcedure.input(resendVerificationInput).mutation(async ({ ctx, input }) => {
    const result = await resendEmailVerification(ctx.db, ctx.session.userId, { nextPath: input.next ?? "/", linkFor: linkFor(ctx) });
    if (result.sent) deliverLater(ctx, ctx.session.userId);
    return result;
  }),
  slugAvailable: authedProcedure.input(slugAvailableInput).query(({ ctx, input }) => slugAvailability(ctx.db, input.slug)),
  createWorkspace: authedProcedure.input(createWorkspaceInput).mutation(async ({ ctx, input }) => {
    const created = await createWorkspace(ctx.db, ctx.session.userId, input);
    return { ...created, url: tenantUrl(created.slug) };
  }),
});
