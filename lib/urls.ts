/** Absolute URLs for Canopy's hosts, as a browser should see them (scheme and public port). */
export function publicUrl(host: string, path = "/", opts: { secure: boolean; port?: string | undefined } = { secure: false }): string {
  const port = opts.port && !["80", "443"].includes(opts.port) ? `:${opts.port}` : "";
  return `${opts.secure ? "https" : "http"}://${host}${port}${path.startsWith("/") ? path : `/${path}`}`;
}

/** A name that can never resolve (RFC 2606), used only to see whether a candidate keeps the origin. */
const DUMMY_ORIGIN = "http://next-path.invalid";
const MAX_NEXT_PATH = 2000;
/**
 * Browsers drop tab/CR/LF from URLs and read `\` as `/`, so `/\t/evil.example` becomes `//evil.example`.
 * Any whitespace, control, format (zero-width, bidi) or unassigned character, and any backslash, is refused
 * rather than repaired: no legitimate path of ours contains one.
 */
const SUSPICIOUS = /[\s\p{C}\\]/u;

/**
 * A same-site path (pathname + search + hash, normalised by the WHATWG URL parser), or `/`.
 * Used for every redirect target that comes from a request (`callbackUrl`, the hand-off's `next`).
 * The path is also checked once percent-decoded, so a layer that decodes again (`/%2F%2Fevil`,
 * `/%5Cevil`, `/%09/evil`) cannot turn it into another origin.
 */
export function safeNextPath(value: unknown): string {
  // `?callbackUrl=a&callbackUrl=b` reaches a page as an array, whatever its searchParams type says.
  if (typeof value !== "string" || value.length > MAX_NEXT_PATH || !value.startsWith("/") || SUSPICIOUS.test(value)) return "/";
  let url: URL;
  try {
    url = new URL(value, DUMMY_ORIGIN);
  } catch {
    return "/";
  }
  if (url.origin !== DUMMY_ORIGIN || !sameSitePathname(url.pathname)) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}

function sameSitePathname(pathname: string): boolean {
  // `/..//evil` normalises to `//evil`: a protocol-relative URL once it is used as a Location.
  if (pathname.startsWith("//")) return false;
  try {
    const decoded = decodeURIComponent(pathname);
    return !decoded.startsWith("//") && !SUSPICIOUS.test(decoded) && new URL(decoded, DUMMY_ORIGIN).origin === DUMMY_ORIGIN;
  } catch {
    return false;
  }
}

/**
 * For next-auth's `callbacks.redirect`: keeps `url` only if it is a safe path or an absolute URL on
 * `baseUrl`'s own origin, and always answers with an absolute URL on `baseUrl`.
 */
export function sameOriginRedirect(url: string, baseUrl: string): string {
  const base = new URL(baseUrl);
  let path = url;
  if (!url.startsWith("/")) {
    try {
      const absolute = new URL(url);
      if (absolute.origin !== base.origin) return base.origin;
      path = `${absolute.pathname}${absolute.search}${absolute.hash}`;
    } catch {
      return base.origin;
    }
  }
  return `${base.origin}${safeNextPath(path)}`;
}
