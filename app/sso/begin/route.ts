import { NextResponse, type NextRequest } from "next/server";
import { ssoBeginInput } from "@/lib/schemas/sso";
import { sessionCookieDomain, secureCookies } from "@/server/auth";
import { getDb } from "@/server/tenancy/pools";
import { isSameOriginPost } from "@/server/http/same-origin";
import { ssoCookieName } from "@/server/sso/sso-cookie";
import { SsoError, ssoErrorMessages } from "@/server/sso/sso-error";
import { beginSsoSignIn, SSO_ATTEMPT_TTL_S } from "@/server/sso/sso-sign-in";

export const dynamic = "force-dynamic";

/**
 * Root family only (the callback is on the root domain, where this cookie must arrive), by a
 * same-origin fetch from the sign-in page: answers the provider's authorization URL as JSON and
 * sets this browser's SSO cookie. The page then navigates there itself; a form redirect to the
 * provider would be blocked by the CSP's form-action, which cannot name every tenant's IdP.
 */
export async function POST(req: NextRequest) {
  // Undefined on a custom domain (host-only cookies there) and on unknown hosts.
  const domain = sessionCookieDomain(req.headers.get("host"));
  if (!domain) return NextResponse.json({ error: "Single sign-on starts from the Canopy sign-in page" }, { status: 404 });
  if (!isSameOriginPost(req)) return NextResponse.json({ error: "Cross-site request refused" }, { status: 403 });
  const parsed = ssoBeginInput.safeParse(await req.json().catch(() => null));
  if (!parsed.success) return NextResponse.json({ error: "Enter your work email address", field: "email" }, { status: 400 });
  try {
    const began = await beginSsoSignIn(getDb(), parsed.data.email);
    const res = NextResponse.json({ url: began.authorizationUrl });
    // HttpOnly: no script reads the browser's secret. Path=/sso: sent to the callback only. Lax: the
    // provider's redirect back is a top-level GET, which Lax lets the cookie ride; cross-site POSTs never carry it.
    res.cookies.set(ssoCookieName(), began.cookie, { httpOnly: true, sameSite: "lax", secure: secureCookies(), path: "/sso", domain, maxAge: SSO_ATTEMPT_TTL_S });
    return res;
  } catch (error) {
    if (error instanceof SsoError) {
      if (error.code === "discovery") console.warn(`[sso] sign-in could not start: ${error.detail}`);
      return NextResponse.json({ error: ssoErrorMessages[error.code], code: error.code, field: error.code === "not_configured" ? "email" : undefined }, { status: 400 });
    }
    throw error;
  }
}
