import { and, asc, count, desc, eq, getTableColumns, gte, ilike, lte, sql, type SQL } from "drizzle-orm";
import { invoices } from "@/db/schema/invoices";
import { projects } from "@/db/schema/projects";
import { overdueColumn } from "@/server/modules/invoice/get-invoice";
import type { ListInvoicesInput } from "@/lib/schemas/invoice";
import type { TenantScope } from "@/server/tenancy/enter-tenant";

/**
 * The project's name, by its key (the tenant is part of it; RLS scopes projects too). A scalar
 * sub-select rather than a join: it runs only for the rows the LIMIT keeps, where a join makes the
 * planner hash all of the tenant's projects first (the plans are compared in docs/performance.md).
 */
const projectNameColumn = sql<string | null>`(select ${projects.name} from ${projects} where ${projects.tenantId} = ${invoices.tenantId} and ${projects.id} = ${invoices.projectId})`;

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

const sortColumns = {
  createdAt: invoices.createdAt,
  number: invoices.number,
  issueDate: invoices.issueDate,
  dueDate: invoices.dueDate,
  total: invoices.total,
} as const;

/**
 * Offset pagination: the list sorts by several columns, and a page of at most 100 rows over one
 * tenant's invoices is cheap. The id tie-breaker keeps pages stable when sort values repeat.
 */
export async function listInvoices({ tenantId, data }: Pick<TenantScope, "tenantId" | "data">, input: ListInvoicesInput) {
  const filters: (SQL | undefined)[] = [eq(invoices.tenantId, tenantId)];
  // "overdue" is not stored: sent and past due by the database's date (the same rule as the badge).
  if (input.status === "overdue") filters.push(eq(invoices.status, "sent"), sql`${invoices.dueDate} < current_date`);
  else if (input.status) filters.push(eq(invoices.status, input.status));
  if (input.customer) filters.push(ilike(invoices.customerName, `%${escapeLike(input.customer)}%`));
  if (input.projectId) filters.push(eq(invoices.projectId, input.projectId));
  if (input.issueDateFrom) filters.push(gte(invoices.issueDate, input.issueDateFrom));
  if (input.issueDateTo) filters.push(lte(invoices.issueDate, input.issueDateTo));
  const where = and(...filters);
  const order = input.direction === "asc" ? asc : desc;

  // Both statements are issued at once: with prepared statements postgres.js pipelines them on the
  // transaction's connection (one round trip instead of two). Unprepared (PgBouncer), it queues the
  // count behind the rows, which is the same as awaiting them in turn. Either way the server runs
  // them in this order, in this transaction.
  const [rows, [counted]] = await Promise.all([
    data
      .select({ ...getTableColumns(invoices), overdue: overdueColumn, projectName: projectNameColumn })
      .from(invoices)
      .where(where)
      // Totals in different currencies are not comparable: by total means by currency, then total within it.
      .orderBy(...(input.sort === "total" ? [asc(invoices.currency)] : []), order(sortColumns[input.sort]), order(invoices.id))
      .limit(input.limit)
      .offset(input.offset),
    data.select({ n: count() }).from(invoices).where(where),
  ]);
  const total = counted?.n ?? 0;
  const next = input.offset + rows.length;
  return { items: rows, total, nextOffset: next < total ? next : null };
}
