import { sql } from "drizzle-orm";
import { withUser } from "@/db/tenant-transaction";
import { quantileOf } from "@/server/observability/tenant-load";
import type { PlatformScope } from "@/server/modules/admin/platform-scope";

export type TenantLoadRow = {
  tenantId: string;
  slug: string | null;
  name: string | null;
  requests: number;
  errors: number;
  /** Null when no call was counted (cannot happen for a listed tenant; kept honest for the type). */
  p95Ms: number | null;
  dbMs: number;
  durationMs: number;
};

/** How many tenants the console lists: the heaviest, which is what a noisy neighbour is. */
export const TENANT_LOAD_LIMIT = 50;

type Aggregate = { tenant_id: string; requests: number; errors: number; duration_ms: number; db_ms: number; buckets: number[]; [k: string]: unknown };

/**
 * The last hour of `telemetry.tenant_load`, summed per tenant (the histogram bucket by bucket) in
 * PostgreSQL, heaviest first by database time, then by calls. Tenants are named through
 * app_admin_tenant_names (platform admins only); a purged tenant's rows keep its id alone.
 */
export async function loadByTenant({ userId, directory }: PlatformScope): Promise<{ since: Date; tenants: TenantLoadRow[] }> {
  return withUser(directory, userId, async (tx) => {
    const [window] = await tx.execute<{ since: Date | string }>(sql`select date_trunc('minute', now()) - interval '59 minutes' as since`);
    const since = new Date(window!.since);
    const rows = await tx.execute<Aggregate>(sql`
      with recent as (
        select * from telemetry.tenant_load where minute >= ${since.toISOString()}::timestamptz
      ), totals as (
        select tenant_id, sum(requests)::int as requests, sum(errors)::int as errors,
          sum(duration_ms)::float8 as duration_ms, sum(db_ms)::float8 as db_ms
        from recent group by tenant_id
        order by db_ms desc, requests desc, tenant_id
        limit ${TENANT_LOAD_LIMIT}
      ), buckets as (
        select r.tenant_id, u.i, sum(u.n)::int as n
        from recent r join totals using (tenant_id), unnest(r.duration_buckets) with ordinality as u(n, i)
        group by r.tenant_id, u.i
      )
      select t.*, (select array_agg(b.n order by b.i) from buckets b where b.tenant_id = t.tenant_id) as buckets
      from totals t
      order by t.db_ms desc, t.requests desc, t.tenant_id`);
    const ids = rows.map((r) => r.tenant_id);
    const names = new Map<string, { slug: string; name: string }>();
    if (ids.length > 0) {
      const named = await tx.execute<{ id: string; slug: string; name: string }>(sql`select * from app_admin_tenant_names(${`{${ids.join(",")}}`}::uuid[])`);
      for (const n of named) names.set(n.id, { slug: n.slug, name: n.name });
    }
    const tenants = rows.map((r) => ({
      tenantId: r.tenant_id,
      slug: names.get(r.tenant_id)?.slug ?? null,
      name: names.get(r.tenant_id)?.name ?? null,
      requests: Number(r.requests),
      errors: Number(r.errors),
      p95Ms: quantileOf(r.buckets.map(Number), 0.95),
      dbMs: Number(r.db_ms),
      durationMs: Number(r.duration_ms),
    }));
    return { since, tenants };
  });
}
