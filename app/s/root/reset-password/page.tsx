import type { Metadata } from "next";
import Link from "next/link";
import { passwordResetUser } from "@/server/modules/account/password-reset";
import { getDb } from "@/server/tenancy/pools";
import { ResetPasswordForm } from "./reset-password-form";

export const metadata: Metadata = { title: "Choose a new password" };

/**
 * The link from the reset email. Opening it changes nothing (a mail scanner may fetch it): the
 * page only says whether the link still works; the password is set by the form's POST.
 */
export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  const wellFormed = typeof token === "string" && /^[A-Za-z0-9_-]{20,200}$/.test(token);
  const usable = wellFormed && (await passwordResetUser(getDb(), token)) !== null;
  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center p-6">
      <h1 className="text-2xl font-bold">Choose a new password</h1>
      {usable ? (
        <>
          <p className="mt-1 text-sm text-slate-600">Setting it signs your account out everywhere, this browser included; then sign in with the new password.</p>
          <ResetPasswordForm token={token} />
        </>
      ) : (
        <>
          <p role="alert" className="mt-3 rounded-md bg-amber-50 p-3 text-sm text-amber-900">
            This reset link is not valid, was already used, or has expired. Links work once, for 30 minutes.
          </p>
          <Link href="/forgot-password" className="mt-6 inline-block rounded-md bg-emerald-700 px-4 py-2 text-center font-medium text-white">
            Send a new link
          </Link>
        </>
      )}
    </main>
  );
}
