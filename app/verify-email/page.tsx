import type { Metadata } from "next";
import Link from "next/link";
import { signedInAccount } from "@/server/api/server-caller";
import { ConfirmEmail } from "./confirm-email";

export const metadata: Metadata = { title: "Confirm your email address" };

/**
 * The link from the confirmation email. Confirming needs the account's own session: whoever owns
 * the mailbox but not the password (say, an address someone else signed up with) cannot confirm.
 */
export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  const valid = typeof token === "string" && /^[A-Za-z0-9_-]{20,200}$/.test(token);
  const status = await signedInAccount();
  const here = `/verify-email?token=${encodeURIComponent(token ?? "")}`;
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center p-6">
      <h1 className="text-2xl font-bold">Confirm your email address</h1>
      {!valid ? (
        <p role="alert" className="mt-3 rounded-md bg-amber-50 p-3 text-amber-900">
          This confirmation link is incomplete. Open the link from the email again, or sign in and send a new one.
        </p>
      ) : status === null ? (
        <>
          <p className="mt-2 text-slate-600">Sign in with the account you created to confirm that this address is yours.</p>
          <Link href={`/signin?callbackUrl=${encodeURIComponent(here)}`} className="mt-6 inline-block rounded-md bg-emerald-700 px-4 py-2 text-center font-medium text-white">
            Sign in to confirm
          </Link>
        </>
      ) : (
        <ConfirmEmail token={token} email={status.email} />
      )}
    </main>
  );
}
