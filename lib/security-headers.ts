/**
 * Security headers, in one place for next.config.ts (static, build time) and the middleware (per request).
 * Pure code: runs on the Edge runtime, in Node and in unit tests.
 */

/** Same on every response, so next.config.ts sets them at build time for every path. */
export const STATIC_SECURITY_HEADERS = [
  // MIME sniffing would let an uploaded or reflected body run as script or style.
  { key: "X-Content-Type-Options", value: "nosniff" },
  // Paths and query strings (invoice ids, tokens) stay on our origin; other sites see the origin only.
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  // Clickjacking, for browsers too old for frame-ancestors.
  { key: "X-Frame-Options", value: "DENY" },
] as const;

/**
 * For responses that are not our HTML pages (JSON, PDF, CSV, health, static files): nothing may load
 * and nothing may frame them, so a reflected body opened as a document can do nothing.
 */
export const BASE_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * next.config.ts `headers()`. Next keeps a header that next.config or the middleware already set over the
 * same header from a route handler, so a route's own stricter value must be repeated here (a later rule wins).
 */
export function nextConfigHeaders() {
  return [
    { source: "/:path*", headers: [...STATIC_SECURITY_HEADERS, { key: "Content-Security-Policy", value: BASE_CSP }] },
    // Its URL holds the one-time hand-off token: no Referer to anything the next page loads.
    { source: "/handoff/complete", headers: [{ key: "Referrer-Policy", value: "no-referrer" }] },
    // A public invoice's URL is its bearer token: no Referer may carry it to anything the page links or
    // loads, and no search engine may index (or list) a page that anyone holding the link can open.
    {
      source: "/i/:path*",
      headers: [
        { key: "Referrer-Policy", value: "no-referrer" },
        { key: "X-Robots-Tag", value: "noindex, nofollow, noarchive" },
      ],
    },
  ];
}

/** Two years, every subdomain: each tenant subdomain is served over TLS once secure cookies are on. */
export const HSTS = "max-age=63072000; includeSubDomains";

export type PageCspOptions = {
  nonce: string;
  dev: boolean;
  secure: boolean;
  /** Origins a form on this page may end up at (form-action also governs the redirects after a POST). */
  formTargets?: string[];
};

/**
 * The policy for HTML pages. Scripts need the per-request nonce (Next puts it on its own inline and
 * chunk scripts) and 'strict-dynamic' lets those load the rest; nothing inline without it runs.
 * Styles keep 'unsafe-inline': React renders style attributes (recharts sizes its SVG with them) and
 * sonner injects a <style> element; a nonce in style-src would disable 'unsafe-inline'.
 */
export function pageCsp({ nonce, dev, secure, formTargets = [] }: PageCspOptions): string {
  const directives = [
    "default-src 'self'",
    // next dev: React refresh and server-error stacks use eval; never in a production build.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    ["form-action 'self'", ...formTargets].join(" "),
    "frame-ancestors 'none'",
  ];
  if (secure) directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}

/** Per-request headers the middleware adds: the CSP (the page policy for HTML, else the base one) and HSTS. */
export function dynamicSecurityHeaders(opts: { page: PageCspOptions | null; secure: boolean }): { "Content-Security-Policy": string; "Strict-Transport-Security"?: string } {
  const csp = opts.page ? pageCsp(opts.page) : BASE_CSP;
  return opts.secure ? { "Content-Security-Policy": csp, "Strict-Transport-Security": HSTS } : { "Content-Security-Policy": csp };
}

/** 128 random bits, base64: what Next's nonce parser accepts ([A-Za-z0-9+/_-]+={0,2}). */
export function createNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}
