/**
 * A cookie name with the prefix its scope allows when cookies are Secure. `__Host-` (Secure, no
 * Domain, Path=/) is the strongest: the browser refuses such a cookie from any other host, so a
 * sibling subdomain (or another tenant's custom domain under the same parent) cannot plant or
 * overwrite it. A cookie that must carry a Domain or a narrower Path can only be `__Secure-`,
 * which still makes the browser refuse it unless it was set over HTTPS.
 */
export function cookieName(base: string, scope: { secure: boolean; hostOnly: boolean }): string {
  if (!scope.secure) return base;
  return `${scope.hostOnly ? "__Host-" : "__Secure-"}${base}`;
}
