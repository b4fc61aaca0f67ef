import type { Metadata } from "next";
import Link from "next/link";
import { signedInAccount } from "@/server/api/server-caller";
import { ConfirmEmailChange } from "./confirm-email-change";

export const metadata: Metadata = { title: "Confirm your new email address" };

/**
 * The link mailed to a new address. Like an address proof, it needs the account's own session:
 * the mailbox alone cannot move someone else's account to it, and the GET changes nothing.
 */
export default async function ConfirmEmailChangePage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  const valid = typeof token === "string" && /^[A-Za-z0-9_-]{20,200}$/.test(token);
  const status = await signedInAccount();
  const here = `/confirm-email-change?token=${encodeURIComponent(token ?? "")}`;
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center p-6">
      <h1 className="text-2xl font-bold">Confirm your new email address</h1>
      {!valid ? (
        <p role="alert" className="mt-3 rounded-md bg-amber-50 p-3 text-amber-900">
          This link is incomplete. Open the link from the email again, or ask for a new one in Account settings.
        </p>
      ) : status === null ? (
        <>
          <p className="mt-2 text-slate-600">Sign in to the account whose address should change.</p>
          <Link href={`/signin?callbackUrl=${encodeURIComponent(here)}`} className="mt-6 inline-block rounded-md bg-emerald-700 px-4 py-2 text-center font-medium text-white">
            Sign in to confirm
          </Link>
        </>
      ) : (
        <ConfirmEmailChange token={token} />
      )}
    </main>
  );
}
