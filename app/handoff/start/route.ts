import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { classifyHost, normalizeHost } from "@/lib/host";
import { safeNextPath } from "@/lib/urls";
import { readSession } from "@/server/auth";
import { getDb } from "@/server/db";
import { resolveTenant } from "@/server/directory";
import { startHandoff } from "@/server/handoff";
import { isSessionLive } from "@/server/sessions";
import { hostUrl, rootUrl } from "@/server/urls";

export const dynamic = "force-dynamic";

/** Root domain only: sends a signed-in member on to a tenant's custom domain with a one-time token. */
export async function GET(req: NextRequest) {
  const here = classifyHost(normalizeHost(req.headers.get("host")) ?? "", env().ROOT_DOMAIN);
  if (here?.kind !== "root") return new NextResponse("Not found", { status: 404 });
  const target = normalizeHost(req.nextUrl.searchParams.get("host"));
  const next = safeNextPath(req.nextUrl.searchParams.get("next"));
  const targetHost = target ? classifyHost(target, env().ROOT_DOMAIN) : null;
  const db = getDb();
  const tenant = targetHost?.kind === "custom" ? await resolveTenant(db, targetHost) : null;
  if (!tenant || !target) return new NextResponse("Unknown domain", { status: 404 });

  const session = await readSession(req.headers.get("cookie"));
  const live = session && (await isSessionLive(db, { userId: session.userId, sessionId: session.sessionId, host: null }));
  if (!session || !live) {
    const back = `/handoff/start?host=${encodeURIComponent(target)}&next=${encodeURIComponent(next)}`;
    return NextResponse.redirect(rootUrl(`/signin?callbackUrl=${encodeURIComponent(back)}`));
  }
  const token = await startHandoff(db, { session, tenant, host: target, next });
  if (!token) return NextResponse.redirect(hostUrl(target, "/"));
  return NextResponse.redirect(hostUrl(target, `/handoff/complete?token=${encodeURIComponent(token)}`));
}
