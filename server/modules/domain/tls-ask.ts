import type { Database } from "@/db/client";
import { env } from "@/lib/env";
import { classifyHost, normalizeHost } from "@/lib/host";
import { resolveTenant } from "@/server/tenancy/directory";

/**
 * For a TLS proxy's on-demand certificates: yes only for a custom domain that routes (verified,
 * not disabled, tenant not deleted), so nobody can make the proxy request certificates for
 * arbitrary names pointed at it. Canopy's own names are covered by its wildcard certificate.
 */
export async function tlsCertificateAllowed(directory: Database, rawDomain: string | null): Promise<boolean> {
  const host = normalizeHost(rawDomain);
  const classified = host ? classifyHost(host, env().ROOT_DOMAIN) : null;
  if (classified?.kind !== "custom") return false;
  return (await resolveTenant(directory, classified)) !== null;
}
