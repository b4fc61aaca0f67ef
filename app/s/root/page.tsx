import Link from "next/link";
import { TRPCError } from "@trpc/server";
import { SignOutButton } from "@/app/sign-out-button";
import { env } from "@/lib/env";
import { serverCaller } from "@/server/api/server-caller";
import { tenantUrl } from "@/server/urls";
import { ResendVerificationButton } from "@/app/verify-email/resend-button";
import { CreateWorkspaceForm } from "./create-workspace-form";

export default async function Home() {
  const caller = await serverCaller();
  const workspaces = await caller.me.workspaces().catch((e: unknown) => {
    if (e instanceof TRPCError && e.code === "UNAUTHORIZED") return null;
    throw e;
  });
  const status = workspaces ? await caller.account.status() : null;
  return (
    <main className="mx-auto max-w-2xl p-8">
      <div className="flex items-center justify-between">
        <h1 className="text-3xl font-bold">Canopy</h1>
        {workspaces ? (
          <div className="flex items-center gap-4">
            <Link href="/settings" className="text-sm text-slate-600 underline">
              Account settings
            </Link>
            <SignOutButton />
          </div>
        ) : null}
      </div>
      <p className="mt-2 text-slate-600">Projects and invoices for every team, each in its own workspace.</p>
      {workspaces === null ? (
        <div className="mt-6 flex gap-3">
          <Link href="/signin" className="rounded-md bg-emerald-700 px-4 py-2 font-medium text-white">
            Sign in
          </Link>
          <Link href="/signup" className="rounded-md border border-slate-300 px-4 py-2 font-medium">
            Create an account
          </Link>
        </div>
      ) : (
        <>
          <section className="mt-8" aria-labelledby="ws-heading">
            <h2 id="ws-heading" className="text-lg font-semibold">
              Your workspaces
            </h2>
            {workspaces.length === 0 ? <p className="mt-2 text-slate-600">You are not a member of any workspace yet.</p> : null}
            <ul className="mt-2 space-y-2">
              {workspaces.map((w) => (
                <li key={w.tenantId}>
                  <a className="text-emerald-700 underline" href={tenantUrl(w.slug)}>
                    {w.name}
                  </a>{" "}
                  <span className="text-sm text-slate-500">({w.role})</span>
                </li>
              ))}
            </ul>
          </section>
          {status && !status.emailVerified ? (
            <section className="mt-8 rounded-md border border-amber-200 bg-amber-50 p-4 text-amber-900" aria-labelledby="verify-heading">
              <h2 id="verify-heading" className="font-semibold">
                Confirm your email address
              </h2>
              <p className="mt-1 text-sm">
                Open the link we sent to <strong className="break-all">{status.email}</strong> to create a workspace or accept an invitation.
              </p>
              <ResendVerificationButton next="/" />
            </section>
          ) : (
            <CreateWorkspaceForm rootDomain={env().ROOT_DOMAIN} />
          )}
        </>
      )}
    </main>
  );
}
