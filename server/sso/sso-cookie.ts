import { secureCookies } from "@/server/auth";
import { SSO_COOKIE } from "./sso-sign-in";

/** __Secure- makes the browser refuse the cookie unless it was set over HTTPS. */
export const ssoCookieName = () => (secureCookies() ? `__Secure-${SSO_COOKIE}` : SSO_COOKIE);
