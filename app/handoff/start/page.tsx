import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { env } from "@/lib/env";
import { classifyHost, normalizeHost } from "@/lib/host";
import { safeNextPath } from "@/lib/urls";
import { readSession } from "@/server/auth";
import { getDb } from "@/server/tenancy/pools";
import { resolveTenant } from "@/server/tenancy/directory";
import { handoffChallengePattern, isMember } from "@/server/handoff";
import { isSessionLive } from "@/server/sessions";
import { ContinueButton } from "./continue-button";

export const metadata: Metadata = { title: "Continue to your workspace" };

type Params = { host?: string; next?: string; challenge?: string };

/**
 * Root domain: asks the signed-in member to confirm the hop to a custom domain. Nothing is minted
 * on this GET; the button posts to /handoff/confirm from this origin.
 */
export default async function HandoffStartPage({ searchParams }: { searchParams: Promise<Params> }) {
  const params = await searchParams;
  const requestHeaders = await headers();
  const here = classifyHost(normalizeHost(requestHeaders.get("host")) ?? "", env().ROOT_DOMAIN);
  if (here?.kind !== "root") notFound();
  const target = normalizeHost(params.host ?? null);
  const targetHost = target ? classifyHost(target, env().ROOT_DOMAIN) : null;
  const next = safeNextPath(params.next);
  const challenge = params.challenge ?? "";
  const directory = getDb();
  const tenant = targetHost?.kind === "custom" ? await resolveTenant(directory, targetHost) : null;
  if (!tenant || !target || !handoffChallengePattern.test(challenge)) {
    return (
      <Shell>
        <p role="alert" className="mt-3 rounded-md bg-amber-50 p-3 text-amber-900">
          This sign-in link is not valid. Go back to the workspace&apos;s sign-in page and try again.
        </p>
      </Shell>
    );
  }
  const session = await readSession(requestHeaders.get("cookie"), requestHeaders.get("host"));
  const live = session && (await isSessionLive(directory, { userId: session.userId, sessionId: session.sessionId, place: null }));
  if (!session || !live) {
    const back = `/handoff/start?host=${encodeURIComponent(target)}&next=${encodeURIComponent(next)}&challenge=${challenge}`;
    redirect(`/signin?callbackUrl=${encodeURIComponent(back)}`);
  }
  if (!(await isMember(directory, { userId: session.userId, tenantId: tenant.id }))) {
    return (
      <Shell>
        <p role="alert" className="mt-3 rounded-md bg-amber-50 p-3 text-amber-900">
          Your account ({session.email}) has no access to this workspace. Ask one of its admins for an invitation.
        </p>
      </Shell>
    );
  }
  return (
    <Shell>
      <p className="mt-2 text-slate-600">
        Continue to <strong className="break-all">{target}</strong> as <strong className="break-all">{session.email}</strong>?
      </p>
      <form method="post" action="/handoff/confirm" className="mt-6">
        <input type="hidden" name="host" value={target} />
        <input type="hidden" name="next" value={next} />
        <input type="hidden" name="challenge" value={challenge} />
        <ContinueButton />
      </form>
      <p className="mt-3 text-xs text-slate-500">If you did not just ask to sign in there, close this page.</p>
    </Shell>
  );
}

function Shell({ children }: { children: React.ReactNode }) {
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center p-6">
      <h1 className="text-2xl font-bold">Sign in to your workspace</h1>
      {children}
    </main>
  );
}
