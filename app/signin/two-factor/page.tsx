import type { Metadata } from "next";
import { safeNextPath } from "@/lib/urls";
import { TwoFactorForm } from "./two-factor-form";

export const metadata: Metadata = { title: "Two-factor authentication" };

/**
 * The second step of a sign-in for an account with MFA. The page itself holds nothing: the
 * pending sign-in is the HttpOnly challenge cookie the password step set, read only by the "mfa"
 * credentials provider when a code is posted.
 */
export default async function TwoFactorPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const next = safeNextPath((await searchParams).callbackUrl);
  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center p-6">
      <h1 className="text-2xl font-bold">Two-factor authentication</h1>
      <p className="mt-1 text-sm text-slate-600">Enter the 6-digit code from your authenticator app. Lost your phone? Enter one of your recovery codes instead.</p>
      <TwoFactorForm next={next} />
      <p className="mt-4 text-sm">
        <a className="text-emerald-700 underline" href={`/signin?callbackUrl=${encodeURIComponent(next)}`}>
          Start again with your email and password
        </a>
      </p>
    </main>
  );
}
