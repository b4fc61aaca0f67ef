import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { classifyHost, normalizeHost } from "@/lib/host";
import { safeNextPath } from "@/lib/urls";
import { readSession } from "@/server/auth";
import { getDb } from "@/server/tenancy/pools";
import { resolveTenant } from "@/server/tenancy/directory";
import { handoffChallengePattern, startHandoff } from "@/server/handoff";
import { isSameOriginPost } from "@/server/http/same-origin";
import { isSessionLive } from "@/server/sessions";
import { hostUrl, rootUrl } from "@/server/urls";

export const dynamic = "force-dynamic";

/**
 * Root domain only, by a same-origin POST from the confirmation page (a link from another site
 * cannot mint a token): a member's one-time token, bound to the custom domain's challenge.
 */
export async function POST(req: NextRequest) {
  const here = classifyHost(normalizeHost(req.headers.get("host")) ?? "", env().ROOT_DOMAIN);
  if (here?.kind !== "root") return new NextResponse("Not found", { status: 404 });
  if (!isSameOriginPost(req)) return new NextResponse("Cross-site request refused", { status: 403 });
  const form = await req.formData().catch(() => null);
  const field = (name: string) => (typeof form?.get(name) === "string" ? (form.get(name) as string) : "");
  const target = normalizeHost(field("host"));
  const next = safeNextPath(field("next"));
  const challenge = field("challenge");
  const targetHost = target ? classifyHost(target, env().ROOT_DOMAIN) : null;
  const directory = getDb();
  const tenant = targetHost?.kind === "custom" ? await resolveTenant(directory, targetHost) : null;
  if (!tenant || !target || tenant.status !== "active" || !handoffChallengePattern.test(challenge)) {
    return new NextResponse("This sign-in link is not valid", { status: 400 });
  }
  const session = await readSession(req.headers.get("cookie"), req.headers.get("host"));
  const live = session && (await isSessionLive(directory, { userId: session.userId, sessionId: session.sessionId, place: null }));
  if (!session || !live) return NextResponse.redirect(rootUrl("/signin"), 303);
  const token = await startHandoff(directory, { session, tenant, host: target, next, challenge });
  // Not a member: no token and no redirect to the domain (no open redirect, nothing learnt).
  if (!token) return new NextResponse("Your account has no access to this workspace", { status: 403 });
  return NextResponse.redirect(hostUrl(target, `/handoff/complete?token=${encodeURIComponent(token)}`), 303);
}
