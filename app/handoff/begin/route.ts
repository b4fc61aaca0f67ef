import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { classifyHost, normalizeHost } from "@/lib/host";
import { safeNextPath } from "@/lib/urls";
import { secureCookies } from "@/server/auth";
import { getDb } from "@/server/tenancy/pools";
import { resolveTenant } from "@/server/tenancy/directory";
import { handoffVerifierCookie, HANDOFF_VERIFIER_TTL_S, newHandoffVerifier } from "@/server/handoff";
import { isSameOriginPost } from "@/server/http/same-origin";
import { rootUrl } from "@/server/urls";

export const dynamic = "force-dynamic";

/**
 * Custom domain only, by a same-origin POST from its sign-in page: plants a verifier in a
 * host-only cookie and sends the browser to the root domain with the verifier's hash.
 */
export async function POST(req: NextRequest) {
  const host = normalizeHost(req.headers.get("host"));
  const here = host ? classifyHost(host, env().ROOT_DOMAIN) : null;
  if (!host || here?.kind !== "custom") return new NextResponse("Not found", { status: 404 });
  if (!isSameOriginPost(req)) return new NextResponse("Cross-site request refused", { status: 403 });
  const tenant = await resolveTenant(getDb(), here);
  if (!tenant) return new NextResponse("Not found", { status: 404 });
  const form = await req.formData().catch(() => null);
  const next = safeNextPath(typeof form?.get("next") === "string" ? (form.get("next")) : "/");
  const { verifier, challenge } = newHandoffVerifier();
  const res = NextResponse.redirect(rootUrl(`/handoff/start?host=${encodeURIComponent(host)}&next=${encodeURIComponent(next)}&challenge=${challenge}`), 303);
  // Host-only: read only by this domain's completion step.
  const secure = secureCookies();
  res.cookies.set(handoffVerifierCookie(secure), verifier, { httpOnly: true, sameSite: "lax", secure, path: "/", maxAge: HANDOFF_VERIFIER_TTL_S });
  return res;
}
