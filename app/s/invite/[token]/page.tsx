import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import Link from "next/link";
import { forbidden, notFound } from "next/navigation";
import { SignOutButton } from "@/app/sign-out-button";
import { serverCaller } from "@/server/api/server-caller";
import { ResendVerificationButton } from "@/app/verify-email/resend-button";
import { AcceptButton } from "./accept-button";

export const metadata: Metadata = { title: "Invitation" };

const refusals = {
  used: "This invitation has already been used.",
  revoked: "This invitation was revoked. Ask the person who invited you for a new one.",
  expired: "This invitation has expired. Ask the person who invited you for a new one.",
  not_found: "This invitation link is not valid. Check that you copied the whole link.",
} as const;

/**
 * Outside the tenant layout on purpose: that layout refuses non-members, and the invitee is not
 * one yet. The middleware rewrites `/invite/*` on tenant hosts here.
 */
export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const caller = await serverCaller();
  let preview: { state: keyof typeof refusals | "valid" | "wrong_email" | "unverified"; role: string | null; tenantName: string | null; email: string | null } | null = null;
  try {
    preview = await caller.invitation.preview({ token });
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    if (error.code === "NOT_FOUND") notFound();
    if (error.code === "FORBIDDEN") forbidden();
    // A malformed token is refused by the input schema: the same answer as an unknown one.
    if (error.code === "BAD_REQUEST") preview = { state: "not_found", role: null, tenantName: null, email: null };
    else if (error.code !== "UNAUTHORIZED") throw error;
  }
  const path = `/invite/${encodeURIComponent(token)}`;
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center p-6">
      <h1 className="text-2xl font-bold">{preview?.tenantName ? `Join ${preview.tenantName}` : "You're invited to Canopy"}</h1>
      {!preview ? (
        <>
          <p className="mt-2 text-slate-600">Sign in with the email address the invitation was sent to, or create an account with it first.</p>
          <div className="mt-6 flex flex-wrap gap-3">
            <Link href={`/signin?callbackUrl=${encodeURIComponent(path)}`} className="rounded-md bg-emerald-700 px-4 py-2 font-medium text-white">
              Sign in to accept
            </Link>
            {/* On this host, like sign-in: after the account is made, the form brings the invitee back here. */}
            <Link href={`/signup?callbackUrl=${encodeURIComponent(path)}`} className="rounded-md border border-slate-300 px-4 py-2 font-medium">
              Create an account
            </Link>
          </div>
        </>
      ) : preview.state === "valid" ? (
        <>
          <p className="mt-2 text-slate-600">
            You have been invited as <strong>{preview.role}</strong>. You are signed in as {preview.email}.
          </p>
          <AcceptButton token={token} />
        </>
      ) : preview.state === "unverified" ? (
        <>
          <p role="alert" className="mt-3 rounded-md bg-amber-50 p-3 text-amber-900">
            Confirm your email address {preview.email} before you join: open the link we emailed you, then come back to this invitation.
          </p>
          <ResendVerificationButton next={path} />
        </>
      ) : preview.state === "wrong_email" ? (
        <>
          <p role="alert" className="mt-3 rounded-md bg-amber-50 p-3 text-amber-900">
            This invitation was sent to a different email address than {preview.email}. Sign out, then sign in with the invited address.
          </p>
          <div className="mt-4">
            <SignOutButton />
          </div>
        </>
      ) : (
        <p role="alert" className="mt-3 rounded-md bg-amber-50 p-3 text-amber-900">
          {refusals[preview.state]}
        </p>
      )}
    </main>
  );
}
