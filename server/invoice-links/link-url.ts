import "server-only";
import { and, asc, eq, isNotNull, isNull } from "drizzle-orm";
import type { Transaction } from "@/db/client";
import { tenantDomains, tenants } from "@/db/schema/tenants";
import { hostUrl, tenantUrl } from "@/server/urls";

/**
 * An absolute URL on the tenant's own host: its verified custom domain when it has a healthy one
 * (the address its customers know), else its subdomain. `directory`: a transaction on the shared
 * database with the tenant set (tenants and tenant_domains are directory tables).
 */
export async function tenantPublicUrl(directory: Transaction, tenantId: string, path: string): Promise<string> {
  const [tenant] = await directory.select({ slug: tenants.slug }).from(tenants).where(eq(tenants.id, tenantId));
  if (!tenant) throw new Error(`tenant ${tenantId} not found`);
  const [domain] = await directory
    .select({ domain: tenantDomains.domain })
    .from(tenantDomains)
    .where(and(eq(tenantDomains.tenantId, tenantId), isNotNull(tenantDomains.verifiedAt), isNull(tenantDomains.failingSince), isNull(tenantDomains.disabledAt)))
    .orderBy(asc(tenantDomains.verifiedAt))
    .limit(1);
  return domain ? hostUrl(domain.domain, path) : tenantUrl(tenant.slug, path);
}
