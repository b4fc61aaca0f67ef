import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { classifyHost, normalizeHost } from "@/lib/host";
import { secureCookies, sessionCookieName } from "@/server/auth";
import { getDb } from "@/server/tenancy/pools";
import { SESSION_TTL_S } from "@/server/sessions";
import { ssoCookieName } from "@/server/sso/sso-cookie";
import { SsoError } from "@/server/sso/sso-error";
import { completeSsoSignIn } from "@/server/sso/sso-sign-in";
import { rootUrl, tenantUrl } from "@/server/urls";

export const dynamic = "force-dynamic";

/**
 * The redirect URI every workspace registers at its provider: one fixed address on the root domain.
 * Success: a root-family session cookie and the workspace's dashboard. Refusal: back to the sign-in
 * page with the reason, where the password form is still there to fall back on.
 */
export async function GET(req: NextRequest) {
  const host = normalizeHost(req.headers.get("host"));
  if (!host || classifyHost(host, env().ROOT_DOMAIN)?.kind !== "root") return new NextResponse("Not found", { status: 404 });
  const cookie = req.cookies.get(ssoCookieName())?.value;
  const callbackUrl = new URL(rootUrl(`/sso/callback${req.nextUrl.search}`));
  let res: NextResponse;
  try {
    const done = await completeSsoSignIn(getDb(), { cookie, callbackUrl, userAgent: req.headers.get("user-agent") });
    res = NextResponse.redirect(tenantUrl(done.tenantSlug, "/"), 303);
    // The root family's session cookie, exactly as a password sign-in here sets it.
    res.cookies.set(sessionCookieName(host), done.jwt, { httpOnly: true, sameSite: "lax", secure: secureCookies(), path: "/", domain: env().ROOT_DOMAIN, maxAge: SESSION_TTL_S });
  } catch (error) {
    if (!(error instanceof SsoError)) throw error;
    console.warn(`[sso] sign-in refused (${error.code}): ${error.detail}`);
    res = NextResponse.redirect(rootUrl(`/signin?sso_error=${error.code}`), 303);
  }
  // Single use either way: the attempt is spent, so is the cookie naming it.
  res.cookies.set(ssoCookieName(), "", { httpOnly: true, sameSite: "lax", secure: secureCookies(), path: "/sso", domain: env().ROOT_DOMAIN, maxAge: 0 });
  // The code and state are in this URL; keep them out of any Referer.
  res.headers.set("referrer-policy", "no-referrer");
  return res;
}
