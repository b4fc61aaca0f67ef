/**
 * Host parsing shared by the Edge middleware and the Node server. Pure: no I/O.
 */
export type HostKind = "root" | "admin" | "tenant" | "custom";
export type ClassifiedHost =
  | { kind: "root" | "admin"; host: string }
  | { kind: "tenant"; host: string; slug: string }
  | { kind: "custom"; host: string };

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
export const SLUG = /^[a-z0-9]([a-z0-9-]{1,38})[a-z0-9]$/;

/**
 * Lowercases, drops the port and a trailing dot, converts IDN to punycode, and rejects
 * anything that is not a plain DNS name (userinfo, paths, IP literals with odd forms...).
 */
export function normalizeHost(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const value = raw.trim().toLowerCase();
  if (value.length === 0 || value.length > 260) return null;
  if (/[\s/\\@?#]/.test(value)) return null;
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(value);
  if (!match?.[1]) return null;
  if (match[2] !== undefined && Number(match[2]) > 65535) return null;
  let name = match[1];
  if (name.startsWith("[")) return null;
  if (name.endsWith(".")) name = name.slice(0, -1);
  let ascii: string;
  try {
    ascii = new URL(`http://${name}`).hostname;
  } catch {
    return null;
  }
  if (ascii.length === 0 || ascii.length > 253) return null;
  const labels = ascii.split(".");
  if (!labels.every((l) => LABEL.test(l))) return null;
  return ascii;
}

/** Reserved first labels that can never be tenant slugs. */
export const RESERVED_SLUGS = new Set(["www", "admin", "api", "app", "mail", "smtp", "static", "assets", "status", "docs", "help", "support", "billing", "internal", "root"]);

export function classifyHost(host: string, rootDomain: string): ClassifiedHost | null {
  if (host === rootDomain || host === `www.${rootDomain}`) return { kind: "root", host };
  if (host === `admin.${rootDomain}`) return { kind: "admin", host };
  if (host.endsWith(`.${rootDomain}`)) {
    const sub = host.slice(0, -(rootDomain.length + 1));
    // Deeper names (a.b.root) and reserved or malformed labels never reach a tenant.
    if (sub.includes(".") || !SLUG.test(sub) || sub.startsWith("xn--") || RESERVED_SLUGS.has(sub)) return null;
    return { kind: "tenant", host, slug: sub };
  }
  return { kind: "custom", host };
}
