import { deviceSummary } from "@/lib/user-agent";
import { afterSecurityEvent } from "@/server/security-events";
import { authedProcedure, publicProcedure, router } from "@/server/api/trpc";
import type { Context } from "@/server/api/context";
import { hostUrl, rootUrl } from "@/server/urls";
import { changePassword, confirmEmailChange, requestEmailChange, revokeOtherSessions, updateName } from "@/server/modules/account/account-settings";
import { beginMfaEnrolment, confirmMfaEnrolment, disableMfa, getMfaStatus, regenerateRecoveryCodes } from "@/server/modules/account/account-mfa";
import { listSessions, revokeSession } from "@/server/modules/account/account-sessions";
import { createWorkspace, slugAvailability } from "@/server/modules/account/create-workspace";
import { confirmEmail, resendEmailVerification } from "@/server/modules/account/email-verification";
import { requestPasswordReset, resetPassword } from "@/server/modules/account/password-reset";
import {
  confirmEmailChangeInput,
  confirmMfaInput,
  disableMfaInput,
  regenerateRecoveryCodesInput,
  confirmEmailInput,
  createWorkspaceInput,
  requestEmailChangeInput,
  requestPasswordResetInput,
  resendVerificationInput,
  revokeSessionInput,
  slugAvailableInput,
  updateNameInput,
} from "@/lib/schemas/account";
import { changePasswordServerInput, resetPasswordServerInput, signUpServerInput } from "@/lib/schemas/account-server";
import { signUp } from "@/server/modules/account/sign-up";
import { accountStatus } from "@/server/modules/account/account-status";

/** Links in account mail point back at the host the person is using (root, tenant or custom domain). */
const linkFor = (ctx: Context) => (path: string) => (ctx.host ? hostUrl(ctx.host.host, path) : rootUrl(path));

/** Where a security event came from, for the notice and the audit entry. */
const originOf = (ctx: Context) => ({ device: ctx.userAgent ? deviceSummary(ctx.userAgent) : null, host: ctx.host?.host ?? null });

export const accountRouter = router({
  signUp: publicProcedure.input(signUpServerInput).mutation(async ({ ctx, input }) => {
    await signUp(ctx.directory, input, { clientAddress: ctx.clientAddress ?? null, linkFor: linkFor(ctx) });
    return { email: input.email };
  }),
  status: authedProcedure.query(({ ctx }) => accountStatus(ctx.directory, ctx.session.userId)),
  confirmEmail: authedProcedure.input(confirmEmailInput).mutation(({ ctx, input }) => confirmEmail(ctx.directory, ctx.session.userId, input.token)),
  resendVerification: authedProcedure
    .input(resendVerificationInput)
    .mutation(({ ctx, input }) => resendEmailVerification(ctx.directory, ctx.session.userId, { nextPath: input.next ?? "/", linkFor: linkFor(ctx) })),
  slugAvailable: authedProcedure.input(slugAvailableInput).query(({ ctx, input }) => slugAvailability(ctx.directory, input.slug)),
  createWorkspace: authedProcedure.input(createWorkspaceInput).mutation(({ ctx, input }) => createWorkspace(ctx.directory, ctx.session.userId, input)),

  // Password reset lives on the root domain: its links always lead there, whichever host asked.
  requestPasswordReset: publicProcedure.input(requestPasswordResetInput).mutation(async ({ ctx, input }) => {
    await requestPasswordReset(ctx.directory, input, { clientAddress: ctx.clientAddress ?? null, linkFor: rootUrl });
    return { email: input.email };
  }),
  resetPassword: publicProcedure.input(resetPasswordServerInput).mutation(async ({ ctx, input }) => {
    const event = await resetPassword(ctx.directory, input, originOf(ctx));
    afterSecurityEvent(ctx.directory, event);
    return { reset: true };
  }),

  updateName: authedProcedure.input(updateNameInput).mutation(({ ctx, input }) => updateName(ctx.directory, ctx.session.userId, input)),
  changePassword: authedProcedure.input(changePasswordServerInput).mutation(async ({ ctx, input }) => {
    const event = await changePassword(ctx.directory, ctx.session, input, originOf(ctx));
    afterSecurityEvent(ctx.directory, event);
    return { changed: true };
  }),
  requestEmailChange: authedProcedure.input(requestEmailChangeInput).mutation(({ ctx, input }) => requestEmailChange(ctx.directory, ctx.session.userId, input, { linkFor: rootUrl })),
  confirmEmailChange: authedProcedure.input(confirmEmailChangeInput).mutation(async ({ ctx, input }) => {
    const { email, ...event } = await confirmEmailChange(ctx.directory, ctx.session.userId, input.token, originOf(ctx));
    afterSecurityEvent(ctx.directory, event);
    return { email };
  }),
  sessions: authedProcedure.query(({ ctx }) => listSessions(ctx.directory, ctx.session)),
  revokeSession: authedProcedure.input(revokeSessionInput).mutation(({ ctx, input }) => revokeSession(ctx.directory, ctx.session, input.id)),
  revokeOtherSessions: authedProcedure.mutation(({ ctx }) => revokeOtherSessions(ctx.directory, ctx.session)),

  // Two-factor authentication (TOTP): the account's own, whichever workspace requires it.
  mfa: router({
    status: authedProcedure.query(({ ctx }) => getMfaStatus(ctx.directory, ctx.session.userId)),
    beginEnrolment: authedProcedure.mutation(({ ctx }) => beginMfaEnrolment(ctx.directory, ctx.session.userId)),
    confirmEnrolment: authedProcedure.input(confirmMfaInput).mutation(async ({ ctx, input }) => {
      const { recoveryCodes, event } = await confirmMfaEnrolment(ctx.directory, ctx.session.userId, input, originOf(ctx));
      afterSecurityEvent(ctx.directory, event);
      return { recoveryCodes };
    }),
    regenerateRecoveryCodes: authedProcedure.input(regenerateRecoveryCodesInput).mutation(({ ctx, input }) => regenerateRecoveryCodes(ctx.directory, ctx.session.userId, input)),
    disable: authedProcedure.input(disableMfaInput).mutation(async ({ ctx, input }) => {
      const event = await disableMfa(ctx.directory, ctx.session.userId, input, originOf(ctx));
      afterSecurityEvent(ctx.directory, event);
      return { disabled: true };
    }),
  }),
});
