import { and, eq, sql } from "drizzle-orm";
import type { Resolver } from "node:dns/promises";
import type { Database } from "@/db/client";
import { tenantDomains } from "@/db/schema/tenants";
import { env } from "@/lib/env";
import { writeAudit } from "@/server/audit/write-audit";
import { enterTenant } from "@/server/tenancy/enter-tenant";
import { clearDirectoryCache } from "@/server/tenancy/directory";
import { checkDomainRecords, domainResolver } from "@/server/modules/domain/dns-check";

type DueDomain = { tenant_id: string; id: string; domain: string; verification_token: string; [k: string]: unknown };

export type ReverifyOptions = {
  now?: Date;
  /** Failing longer than this stops routing; DOMAIN_GRACE_HOURS (72) by default. */
  graceHours?: number;
  /** Checks domains last checked before this time (default: now, so every verified domain). */
  checkedBefore?: Date;
  limit?: number;
  /** Only this tenant's domains (a tenant's "re-check now"; tests). */
  tenantId?: string;
  resolver?: Resolver;
};

export type ReverifySummary = { checked: number; ok: number; failing: number; disabled: number; recovered: number; inconclusive: number };

/**
 * Re-checks verified domains over DNS. A failure marks `failing_since` (the tenant sees a warning);
 * still failing after the grace period sets `disabled_at`, and app_tenant_by_domain stops routing
 * it. A success clears both. Lookups that time out or SERVFAIL are inconclusive and change nothing,
 * so a resolver outage never takes a customer's domain down. Each domain is updated in its own
 * tenant's scope; the list comes from app_domains_to_recheck (ids, names and tokens only). DNS is
 * asked with no transaction open; the short one after it locks the row and re-checks it.
 */
export async function reverifyDomains(directory: Database, opts: ReverifyOptions = {}): Promise<ReverifySummary> {
  const now = opts.now ?? new Date();
  const graceMs = (opts.graceHours ?? env().DOMAIN_GRACE_HOURS) * 3_600_000;
  const resolver = opts.resolver ?? domainResolver();
  const due = await directory.execute<DueDomain>(
    sql`select tenant_id, id, domain, verification_token from app_domains_to_recheck(${(opts.checkedBefore ?? now).toISOString()}::timestamptz, ${opts.limit ?? 1000})`,
  );
  const summary: ReverifySummary = { checked: 0, ok: 0, failing: 0, disabled: 0, recovered: 0, inconclusive: 0 };
  let routingChanged = false;
  for (const d of due) {
    if (opts.tenantId && d.tenant_id !== opts.tenantId) continue;
    const check = await checkDomainRecords(d.domain, d.verification_token, resolver);
    summary.checked++;
    if (!check.verified && check.inconclusive) {
      summary.inconclusive++;
      continue;
    }
    await enterTenant(directory, { tenant: d.tenant_id }, async ({ data, directory: tx }) => {
      const where = and(eq(tenantDomains.tenantId, d.tenant_id), eq(tenantDomains.id, d.id));
      const [row] = await tx.select().from(tenantDomains).where(where).for("update");
      // Removed, unverified or re-issued while DNS was asked (no transaction is open during the look-up).
      if (!row?.verifiedAt || row.verificationToken !== d.verification_token || row.domain !== d.domain) return;
      if (check.verified) {
        summary.ok++;
        await tx.update(tenantDomains).set({ lastCheckedAt: now, failingSince: null, disabledAt: null }).where(where);
        if (row.disabledAt) {
          summary.recovered++;
          routingChanged = true;
          await writeAudit(data, { tenantId: d.tenant_id, actorUserId: null, action: "domain.reenable", entityType: "domain", entityId: d.id, after: { domain: d.domain } });
        }
        return;
      }
      const failingSince = row.failingSince ?? now;
      const disable = !row.disabledAt && now.getTime() - failingSince.getTime() >= graceMs;
      await tx
        .update(tenantDomains)
        .set({ lastCheckedAt: now, failingSince, disabledAt: disable ? now : row.disabledAt })
        .where(where);
      if (disable) {
        summary.disabled++;
        routingChanged = true;
        await writeAudit(data, { tenantId: d.tenant_id, actorUserId: null, action: "domain.disable", entityType: "domain", entityId: d.id, after: { domain: d.domain, failingSince, problems: check.problems } });
      } else {
        summary.failing++;
      }
    });
  }
  if (routingChanged) clearDirectoryCache();
  return summary;
}
