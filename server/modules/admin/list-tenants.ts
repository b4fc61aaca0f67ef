import { count, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { SHARED_PLACEMENT } from "@/db/placements";
import { invoices } from "@/db/schema/invoices";
import { projects } from "@/db/schema/projects";
import { withUser } from "@/db/tenant-transaction";
import { enterTenant } from "@/server/tenancy/enter-tenant";
import type { listTenantsInput } from "@/lib/schemas/admin";
import type { z } from "zod";
import type { PlatformScope } from "@/server/modules/admin/platform-scope";
import { log } from "@/lib/log.mjs";

type TenantListRow = {
  id: string;
  slug: string;
  name: string;
  status: "active" | "suspended";
  plan: string;
  placement: string;
  created_at: string | Date;
  deleted_at: string | Date | null;
  purge_after: string | Date | null;
  members: string | number;
  projects: string | number | null;
  invoices: string | number | null;
  total: string | number;
  [k: string]: unknown;
};

const date = (v: string | Date | null) => (v === null ? null : new Date(v));
const num = (v: string | number | null) => (v === null ? null : Number(v));

/**
 * Projects and invoices of a tenant in a dedicated database, counted there in the tenant's own
 * transaction (RLS and the move fence apply). Null when that database does not answer: the list
 * still renders, with the counts marked unknown.
 */
async function countInPlacement(directory: Database, tenantId: string, placement: string): Promise<{ projects: number | null; invoices: number | null }> {
  try {
    return await enterTenant(directory, { tenant: { id: tenantId, placement } }, async ({ data }) => {
      // Issued together, like invoice.list's rows and count: pipelined on the transaction's connection.
      const [[p], [i]] = await Promise.all([
        data.select({ n: count() }).from(projects).where(eq(projects.tenantId, tenantId)),
        data.select({ n: count() }).from(invoices).where(eq(invoices.tenantId, tenantId)),
      ]);
      return { projects: p?.n ?? 0, invoices: i?.n ?? 0 };
    });
  } catch (error) {
    log.warn("tenant counts unavailable in its placement", { tenantId, placement, error: error instanceof Error ? error.message : error });
    return { projects: null, invoices: null };
  }
}

/**
 * The tenants table. Search, sort and pagination happen inside app_admin_list_tenants, which
 * returns directory rows and count(*) per tenant: no row of a tenant table reaches this process.
 * Tenants in a dedicated database come back without project and invoice counts (sorting by those
 * puts them last); the page's few are counted in their own database.
 */
export async function listTenants({ userId, directory }: PlatformScope, input: z.output<typeof listTenantsInput>) {
  const offset = (input.page - 1) * input.pageSize;
  const rows = await withUser(directory, userId, (tx) =>
    tx.execute<TenantListRow>(
      sql`select * from app_admin_list_tenants(${input.search}, ${input.status}, ${input.sort}, ${input.dir === "desc"}, ${input.pageSize}, ${offset})`,
    ),
  );
  const items = await Promise.all(
    rows.map(async (r) => ({
      id: r.id,
      slug: r.slug,
      name: r.name,
      status: r.status,
      plan: r.plan,
      placement: r.placement,
      createdAt: new Date(r.created_at),
      deletedAt: date(r.deleted_at),
      purgeAfter: date(r.purge_after),
      members: Number(r.members),
      ...(r.placement === SHARED_PLACEMENT ? { projects: num(r.projects), invoices: num(r.invoices) } : await countInPlacement(directory, r.id, r.placement)),
    })),
  );
  // The window total is on every row; an empty page past the end still needs it.
  let total = Number(rows[0]?.total ?? 0);
  if (rows.length === 0 && offset > 0) {
    const first = await withUser(directory, userId, (tx) =>
      tx.execute<TenantListRow>(sql`select * from app_admin_list_tenants(${input.search}, ${input.status}, ${input.sort}, ${input.dir === "desc"}, 1, 0)`),
    );
    total = Number(first[0]?.total ?? 0);
  }
  return { items, total, page: input.page, pageSize: input.pageSize, pageCount: Math.max(1, Math.ceil(total / input.pageSize)) };
}

type StatsRow = Record<"tenants" | "active" | "suspended" | "deleted" | "users" | "memberships" | "projects" | "invoices" | "verified_domains", string | number> & {
  [k: string]: unknown;
};

export async function platformStats({ userId, directory }: PlatformScope) {
  const [row] = await withUser(directory, userId, (tx) => tx.execute<StatsRow>(sql`select * from app_admin_stats()`));
  if (!row) throw new Error("app_admin_stats returned no row");
  return {
    tenants: Number(row.tenants),
    active: Number(row.active),
    suspended: Number(row.suspended),
    deleted: Number(row.deleted),
    users: Number(row.users),
    memberships: Number(row.memberships),
    projects: Number(row.projects),
    invoices: Number(row.invoices),
    verifiedDomains: Number(row.verified_domains),
  };
}
