import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { classifyHost, normalizeHost } from "@/lib/host";
import { secureCookies, sessionCookieName } from "@/server/auth";
import { getDb } from "@/server/tenancy/pools";
import { resolveTenant } from "@/server/tenancy/directory";
import { completeHandoff, handoffVerifierCookie } from "@/server/handoff";
import { SESSION_TTL_S } from "@/server/sessions";
import { hostUrl } from "@/server/urls";

export const dynamic = "force-dynamic";

/**
 * Custom domain only: trades a one-time token for a host-only session cookie, but only in the
 * browser holding the verifier cookie that /handoff/begin set here (the token alone is useless).
 */
export async function GET(req: NextRequest) {
  const host = normalizeHost(req.headers.get("host"));
  const here = host ? classifyHost(host, env().ROOT_DOMAIN) : null;
  if (!host || here?.kind !== "custom") return new NextResponse("Not found", { status: 404 });
  const directory = getDb();
  const tenant = await resolveTenant(directory, here);
  const token = req.nextUrl.searchParams.get("token") ?? "";
  const secure = secureCookies();
  const verifier = req.cookies.get(handoffVerifierCookie(secure))?.value ?? "";
  const result =
    tenant && token.length > 0 && token.length < 200 && verifier.length > 0 && verifier.length < 200 ? await completeHandoff(directory, { tenant, host, token, verifier, userAgent: req.headers.get("user-agent") }) : null;
  const res = NextResponse.redirect(hostUrl(host, result ? result.nextPath : "/signin?error=handoff"));
  // Single use either way: a later token needs a fresh start from this domain's sign-in page.
  res.cookies.set(handoffVerifierCookie(secure), "", { httpOnly: true, sameSite: "lax", secure, path: "/", maxAge: 0 });
  if (!result) return res;
  // No Domain attribute: host-only, so this tenant's domain never shares a cookie with any other host.
  res.cookies.set(sessionCookieName(host), result.jwt, {
    httpOnly: true,
    sameSite: "lax",
    secure,
    path: "/",
    maxAge: SESSION_TTL_S,
  });
  // The token is in this URL; do not let it leak through a Referer to anything the next page loads.
  res.headers.set("referrer-policy", "no-referrer");
  return res;
}
