import Bowser from "bowser";

/** At most this much of a User-Agent is stored: it is a client-sent header, and only a summary is shown. */
export const USER_AGENT_MAX = 400;

export const storedUserAgent = (ua: string | null | undefined): string | null => (ua ? ua.slice(0, USER_AGENT_MAX) : null);

/** "Chrome 131 on Linux": enough to tell one's sessions apart, from a header anyone can set. */
export function deviceSummary(ua: string | null | undefined): string {
  if (!ua) return "Unknown device";
  const parsed = Bowser.parse(ua);
  const major = parsed.browser.version?.split(".")[0];
  const browser = parsed.browser.name ? `${parsed.browser.name}${major ? ` ${major}` : ""}` : null;
  const os = parsed.os.name ?? null;
  if (browser && os) return `${browser} on ${os}`;
  return browser ?? os ?? "Unknown device";
}
