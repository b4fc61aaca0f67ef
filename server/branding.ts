import "server-only";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { tenantSettings } from "@/db/schema/tenant-settings";
import type { ClassifiedHost } from "@/lib/host";
import { resolveTenant, type TenantRef } from "@/server/tenancy/directory";
import { enterTenant } from "@/server/tenancy/enter-tenant";
import { logoPath } from "@/server/modules/tenant/get-tenant-settings";

/**
 * What a tenant shows before anyone signs in, on its own hosts only: its display name and logo
 * (DESIGN: nothing else about a tenant is public). Read for the Host's own tenant, never for a
 * tenant named by the request, so no host can show another tenant's branding.
 */
export type TenantBranding = { name: string; logoUrl: string | null };

type Entry = { value: { logoSha256: string | null }; expires: number };
const cache = new Map<string, Entry>();
const TTL_MS = 10_000;
const MAX_ENTRIES = 10_000;

/** The logo's hash, cached briefly: the sign-in page is public, so a flood of it must not reach the tenant's database each time. */
async function logoHashOf(db: Database, tenant: TenantRef): Promise<string | null> {
  const tenantId = tenant.id;
  const now = Date.now();
  const hit = cache.get(tenantId);
  if (hit && hit.expires > now) return hit.value.logoSha256;
  const logoSha256 = await enterTenant(db, { tenant }, async ({ data: tx }) => {
    const [row] = await tx.select({ sha: tenantSettings.logoSha256 }).from(tenantSettings).where(eq(tenantSettings.tenantId, tenantId));
    return row?.sha ?? null;
  });
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(tenantId, { value: { logoSha256 }, expires: now + TTL_MS });
  return logoSha256;
}

/** Called once a logo change has committed, so this process shows the new logo at once. */
export function clearBrandingCache(tenantId: string): void {
  cache.delete(tenantId);
}

/** Branding for the request's Host: null on the root, admin and unknown hosts, and for a suspended tenant. */
export async function hostBranding(db: Database, host: ClassifiedHost | null): Promise<TenantBranding | null> {
  const tenant = await resolveTenant(db, host);
  if (!tenant || tenant.status !== "active") return null;
  const sha = await logoHashOf(db, tenant);
  return { name: tenant.name, logoUrl: sha ? logoPath(sha) : null };
}

/** The Host's tenant's logo, only when `sha256` is its current one (an old or foreign hash is not found). */
export async function hostLogo(db: Database, host: ClassifiedHost | null, sha256: string): Promise<{ bytes: Buffer; contentType: string } | null> {
  if (!/^[0-9a-f]{64}$/.test(sha256)) return null;
  const tenant = await resolveTenant(db, host);
  if (!tenant || tenant.status !== "active") return null;
  return enterTenant(db, { tenant }, async ({ data: tx }) => {
    const [row] = await tx
      .select({ bytes: tenantSettings.logo, contentType: tenantSettings.logoContentType })
      .from(tenantSettings)
      .where(and(eq(tenantSettings.tenantId, tenant.id), eq(tenantSettings.logoSha256, sha256)));
    return row?.bytes && row.contentType ? { bytes: row.bytes, contentType: row.contentType } : null;
  });
}
