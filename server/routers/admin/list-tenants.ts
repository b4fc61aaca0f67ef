import { sql } from "drizzle-orm";
import { withUser } from "@/db/tenant-transaction";
import type { listTenantsInput } from "@/lib/schemas/admin";
import type { z } from "zod";
import type { AdminScope } from "./platform-audit";

type TenantListRow = {
  id: string;
  slug: string;
  name: string;
  status: "active" | "suspended";
  plan: string;
  created_at: string | Date;
  deleted_at: string | Date | null;
  purge_after: string | Date | null;
  members: string | number;
  projects: string | number;
  invoices: string | number;
  total: string | number;
  [k: string]: unknown;
};

const date = (v: string | Date | null) => (v === null ? null : new Date(v));

/**
 * The tenants table. Search, sort and pagination happen inside app_admin_list_tenants, which
 * returns directory rows and count(*) per tenant: no row of a tenant table reaches this process.
 */
export async function listTenants({ userId, db }: AdminScope, input: z.output<typeof listTenantsInput>) {
  const offset = (input.page - 1) * input.pageSize;
  const rows = await withUser(db, userId, (tx) =>
    tx.execute<TenantListRow>(
      sql`select * from app_admin_list_tenants(${input.search}, ${input.status}, ${input.sort}, ${input.dir === "desc"}, ${input.pageSize}, ${offset})`,
    ),
  );
  const items = rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    name: r.name,
    status: r.status,
    plan: r.plan,
    createdAt: new Date(r.created_at),
    deletedAt: date(r.deleted_at),
    purgeAfter: date(r.purge_after),
    members: Number(r.members),
    projects: Number(r.projects),
    invoices: Number(r.invoices),
  }));
  // The window total is on every row; an empty page past the end still needs it.
  let total = Number(rows[0]?.total ?? 0);
  if (rows.length === 0 && offset > 0) {
    const first = await withUser(db, userId, (tx) =>
      tx.execute<TenantListRow>(sql`select * from app_admin_list_tenants(${input.search}, ${input.status}, ${input.sort}, ${input.dir === "desc"}, 1, 0)`),
    );
    total = Number(first[0]?.total ?? 0);
  }
  return { items, total, page: input.page, pageSize: input.pageSize, pageCount: Math.max(1, Math.ceil(total / input.pageSize)) };
}

type StatsRow = Record<"tenants" | "active" | "suspended" | "deleted" | "users" | "memberships" | "projects" | "invoices" | "verified_domains", string | number> & {
  [k: string]: unknown;
};

export async function platformStats({ userId, db }: AdminScope) {
  const [row] = await withUser(db, userId, (tx) => tx.execute<StatsRow>(sql`select * from app_admin_stats()`));
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
