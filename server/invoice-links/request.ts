import "server-only";
import { requestClientAddress } from "@/lib/client-address.mjs";
import { env } from "@/lib/env";
import { classifyHost, normalizeHost, type ClassifiedHost } from "@/lib/host";

/** The request's Host as Canopy classifies it (the tenant is derived from it, never from a middleware header). */
export function requestHost(headers: Headers): ClassifiedHost | null {
  const host = normalizeHost(headers.get("host"));
  return host ? classifyHost(host, env().ROOT_DOMAIN) : null;
}

export const requestAddress = (headers: Headers) => requestClientAddress(headers);
