import { secureCookies } from "@/server/auth";
import { cookieName } from "@/server/cookie-name";
import { SSO_COOKIE } from "./sso-sign-in";

/** Domain=<root> and Path=/sso, so over HTTPS it can be `__Secure-` but not `__Host-`. */
export const ssoCookieName = () => cookieName(SSO_COOKIE, { secure: secureCookies(), hostOnly: false });
