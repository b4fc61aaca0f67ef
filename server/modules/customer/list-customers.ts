import { and, asc, eq, gt, ilike, isNull, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { customers } from "@/db/schema/customers";
import type { ListCustomersQuery } from "@/lib/schemas/customer";
import type { TenantScope } from "@/server/tenancy/enter-tenant";

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
const sortName = sql<string>`lower(${customers.name})`;

const cursorShape = z.tuple([z.string().max(200), z.uuid()]);
const encodeCursor = (name: string, id: string) => Buffer.from(JSON.stringify([name.toLowerCase(), id])).toString("base64url");
/** A malformed cursor reads as "from the start": cursors are opaque to clients. */
function decodeCursor(cursor: string): [string, string] | null {
  try {
    return cursorShape.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
  } catch {
    return null;
  }
}

/**
 * A–Z by name, keyset-paginated on (lower(name), id), read from an index (see the order below).
 * Search is a substring match on name or email; a tenant's customers are few enough that the
 * tenant-leading index plus a filter beats a trigram index the extension list would have to carry.
 */
export async function listCustomers({ tenantId, data }: Pick<TenantScope, "tenantId" | "data">, input: ListCustomersQuery) {
  const filters: (SQL | undefined)[] = [eq(customers.tenantId, tenantId)];
  if (!input.includeArchived) filters.push(isNull(customers.archivedAt));
  if (input.search) {
    const pattern = `%${escapeLike(input.search)}%`;
    filters.push(or(ilike(customers.name, pattern), ilike(customers.email, pattern)));
  }
  const cursor = input.cursor ? decodeCursor(input.cursor) : null;
  if (cursor) {
    const [name, id] = cursor;
    filters.push(or(gt(sortName, name), and(eq(sortName, name), gt(customers.id, id))));
  }
  const rows = await data
    .select()
    .from(customers)
    .where(and(...filters))
    // Active names are unique (customers_tenant_active_name_key), so the name alone orders them and
    // that partial index serves the page; with archived rows, the id breaks ties.
    .orderBy(...(input.includeArchived ? [asc(sortName), asc(customers.id)] : [asc(sortName)]))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return { items: page, nextCursor: rows.length > input.limit && last ? encodeCursor(last.name, last.id) : null };
}
