import { sql } from "drizzle-orm";
import type { TenantScope } from "@/server/tenancy/enter-tenant";

/**
 * Next invoice number of the tenant. The upsert takes a row lock on the tenant's counter that
 * is held until the transaction ends: concurrent creators queue, and a rolled-back creation
 * gives its number back, so numbers stay unique and gap-free.
 */
export async function allocateInvoiceNumber({ tenantId, data }: Pick<TenantScope, "tenantId" | "data">): Promise<number> {
  const rows = await data.execute<{ last_number: number }>(sql`
    insert into invoice_counters (tenant_id, last_number) values (${tenantId}, 1)
    on conflict (tenant_id) do update set last_number = invoice_counters.last_number + 1
    returning last_number`);
  const n = rows[0]?.last_number;
  if (typeof n !== "number") throw new Error("invoice counter returned no row");
  return n;
}

export { formatInvoiceNumber } from "@/lib/invoice-number";
