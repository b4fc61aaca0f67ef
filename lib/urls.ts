/** Absolute URLs for Canopy's hosts, as a browser should see them (scheme and public port). */
export function publicUrl(host: string, path = "/", opts: { secure: boolean; port?: string | undefined } = { secure: false }): string {
  const port = opts.port && !["80", "443"].includes(opts.port) ? `:${opts.port}` : "";
  return `${opts.secure ? "https" : "http"}://${host}${port}${path.startsWith("/") ? path : `/${path}`}`;
}

/** A same-site path only: anything absolute or protocol-relative would be an open redirect. */
export function safeNextPath(value: string | null | undefined): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/";
  return value;
}
