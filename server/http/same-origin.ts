/**
 * A state-changing form POST must come from a page of the same origin: browsers send `Origin` on
 * every POST, so a missing or foreign one (a form on another site) is refused. Stops CSRF where
 * SameSite=Lax cookies alone would not (a top-level POST navigation from another Canopy host).
 */
export function isSameOriginPost(req: Request): boolean {
  if (req.method !== "POST") return false;
  const site = req.headers.get("sec-fetch-site");
  if (site && site !== "same-origin") return false;
  const origin = req.headers.get("origin");
  if (!origin) return false;
  try {
    return new URL(origin).host === req.headers.get("host");
  } catch {
    return false;
  }
}
