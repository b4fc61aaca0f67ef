import { createHash } from "node:crypto";
import postgres from "postgres";

export type SeedShape = { projectsPerTenant: number; invoicesPerTenant: number };

/**
 * Deterministic ids, so every table can be filled by one set-based statement that knows its
 * parents' ids: an md5 shaped as a version-4 UUID (the app's zod schemas accept only valid versions).
 */
const asUuid = (hex: string) => `overlay(overlay(${hex} placing '4' from 13) placing '8' from 17)::uuid`;
const id = (kind: string, ...parts: string[]) => asUuid(`md5('bench-${kind}-' || ${parts.join(" || '-' || ")})`);
const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;
export const benchSlug = (i: number) => `bench-${String(i).padStart(6, "0")}`;

/** Ids of seeded tenant `i`: the same md5 → uuid that the seed computes in SQL. */
export function benchIds(i: number) {
  const uuid = (text: string) => {
    const h = createHash("md5").update(text).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20)}`;
  };
  return { tenantId: uuid(`bench-tenant-${i}`), userId: uuid(`bench-user-${i}`), sessionId: uuid(`bench-session-${i}`) };
}

/**
 * Seeds tenants from..to (inclusive) with set-based SQL as the owner role.
 *
 * Every table is FORCE ROW LEVEL SECURITY, so even the owner sees and writes nothing without
 * app.tenant_id, and setting it per tenant would mean thousands of statements. Inside this one
 * transaction the bench lifts FORCE (the owner then bypasses its own policies), seeds, and puts
 * FORCE back before committing. ALTER TABLE is transactional and holds ACCESS EXCLUSIVE until
 * commit, so no other session can ever observe the tables without FORCE. This runs only against
 * the bench's own database (never the app's); the caller re-checks the catalog afterwards.
 */
export async function seedTenants(ownerUrl: string, range: { from: number; to: number }, shape: SeedShape): Promise<void> {
  const sql = postgres(ownerUrl, { max: 1, onnotice: () => undefined });
  try {
    await sql.begin(async (tx) => {
      const forced = await tx<{ name: string }[]>`
        select c.relname as name from pg_class c
        where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' and c.relforcerowsecurity`;
      for (const { name } of forced) await tx.unsafe(`alter table ${quoteIdent(name)} no force row level security`);
      const { from, to } = range;
      const P = shape.projectsPerTenant;
      const N = shape.invoicesPerTenant;
      await tx.unsafe(
        `insert into tenants (id, slug, name, created_at)
         select ${id("tenant", "i")}, 'bench-' || lpad(i::text, 6, '0'), 'Bench tenant ' || i, now() - interval '400 days'
         from generate_series($1::int, $2::int) i`,
        [from, to],
      );
      await tx.unsafe(
        `insert into users (id, email, name) select ${id("user", "i")}, 'owner-' || i || '@bench.test', 'Owner ' || i
         from generate_series($1::int, $2::int) i`,
        [from, to],
      );
      await tx.unsafe(
        `insert into memberships (tenant_id, user_id, role) select ${id("tenant", "i")}, ${id("user", "i")}, 'owner'
         from generate_series($1::int, $2::int) i`,
        [from, to],
      );
      await tx.unsafe(
        `insert into user_sessions (id, user_id, expires_at) select ${id("session", "i")}, ${id("user", "i")}, now() + interval '7 days'
         from generate_series($1::int, $2::int) i`,
        [from, to],
      );
      await tx.unsafe(
        `insert into projects (tenant_id, id, name, description, status, created_by, created_at)
         select ${id("tenant", "i")}, ${id("project", "i", "p")}, 'Project ' || p || ' of tenant ' || i, 'Seeded by the bench',
                case when p % 4 = 0 then 'archived' else 'active' end, ${id("user", "i")}, now() - (p || ' days')::interval
         from generate_series($1::int, $2::int) i cross join generate_series(1, $3::int) p`,
        [from, to, P],
      );
      // Interleaved (invoice number outer, tenant inner), as if tenants invoiced over the same year:
      // one tenant's rows are spread over the heap instead of sitting on a few adjacent pages.
      await tx.unsafe(
        `insert into invoices (tenant_id, id, number, project_id, customer_name, customer_email, currency, status,
                               issue_date, due_date, subtotal, tax_total, total, sent_at, paid_at, voided_at, created_at, updated_at)
         select ${id("tenant", "i")}, ${id("invoice", "i", "n")}, n,
                case when n % 3 = 0 then null else ${id("project", "i", "(1 + n % $3::int)")} end,
                'Customer ' || (n % 17), 'billing' || (n % 17) || '@customer.test',
                case when n % 5 = 0 then 'EUR' else 'USD' end,
                s.status, (d.at)::date, (d.at + interval '30 days')::date,
                a.amount, a.amount / 5, a.amount + a.amount / 5,
                case when s.status in ('sent', 'paid') then d.at end,
                case when s.status = 'paid' then d.at + interval '10 days' end,
                case when s.status = 'void' then d.at + interval '1 day' end,
                d.at, d.at
         from generate_series(1, $4::int) n
         cross join generate_series($1::int, $2::int) i
         cross join lateral (select (array['draft', 'sent', 'paid', 'paid', 'sent', 'void', 'paid'])[1 + (n + i) % 7] as status) s
         cross join lateral (select now() - ((($4::int - n) * 365 / $4::int) || ' days')::interval - ((i % 1440) || ' minutes')::interval as at) d
         cross join lateral (select (10000 + ((n * 7919 + i * 104729) % 500000))::bigint as amount) a
         order by n, i`,
        [from, to, P, N],
      );
      await tx.unsafe(
        `insert into invoice_items (tenant_id, id, invoice_id, position, description, quantity_milli, unit_price, tax_rate_bp, amount)
         select v.tenant_id, ${asUuid("md5('bench-item-' || v.id::text)")}, v.id, 1, 'Services', 1000, v.subtotal, 2000, v.subtotal
         from invoices v where v.tenant_id in (select ${id("tenant", "i")} from generate_series($1::int, $2::int) i)`,
        [from, to],
      );
      await tx.unsafe(
        `insert into invoice_counters (tenant_id, last_number) select ${id("tenant", "i")}, $3::int from generate_series($1::int, $2::int) i`,
        [from, to, N],
      );
      for (const { name } of forced) await tx.unsafe(`alter table ${quoteIdent(name)} force row level security`);
    });
    await sql`vacuum analyze`;
  } finally {
    await sql.end();
  }
}

/** Tables with RLS enabled but not forced: must be none before anything is measured. */
export async function unforcedTables(ownerUrl: string): Promise<string[]> {
  const sql = postgres(ownerUrl, { max: 1, onnotice: () => undefined });
  try {
    const rows = await sql<{ name: string }[]>`
      select relname as name from pg_class
      where relnamespace = 'public'::regnamespace and relkind = 'r' and relrowsecurity and not relforcerowsecurity`;
    return rows.map((r) => r.name);
  } finally {
    await sql.end();
  }
}
