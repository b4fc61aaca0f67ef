import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";

/**
 * Citus readiness, read from the catalog (Citus itself is not installed here). A table with a
 * `tenant_id` column would be distributed by it, and Citus can enforce a primary key or unique
 * constraint on a distributed table only when it contains the distribution column, and a foreign
 * key between distributed tables only when both sides carry it. RLS must keep filtering on
 * tenant_id, which on Citus also lets the router send a tenant's statements to one shard.
 * docs/scaling.md ("Citus") says how every table would be distributed.
 */

const sql = postgres(process.env.MIGRATION_DATABASE_URL!, { max: 1, onnotice: () => undefined });
afterAll(() => sql.end());

/**
 * Tables with a tenant_id column that would stay on the coordinator (Citus local tables), never
 * distributed: their keys and foreign keys are not held to the distribution rules.
 */
const LOCAL_TABLES: Record<string, string> = {
  "public.platform_audit_log": "the platform's own log: entries about a tenant (or none), written and read by platform admins across tenants",
  "public.support_sessions": "control plane: a platform admin's time-boxed access to a tenant, looked up by its own id from the admin console",
  "public.tenant_exports": "control plane: export jobs the admin console lists and fetches by id across tenants",
  "public.tenant_moves": "control plane: placement moves the admin console lists and fetches by id across tenants",
  "telemetry.tenant_load": "operational counters about tenants (no tenant data), written by every app server and read across tenants by the admin console",
};

/** Tenant tables without RLS: not tenant data, and out of the app role's reach but through its group. */
const RLS_EXCEPTIONS: Record<string, string> = {
  "telemetry.tenant_load": "request counts and timings per tenant, reachable only by canopy_telemetry and the admin console's reader",
};

/** Keys that omit tenant_id on a tenant table, by constraint or index name. */
const KEY_EXCEPTIONS: Record<string, string> = {
  tenant_domains_verified_domain_key:
    "a verified domain routes to exactly one tenant, so it is unique across tenants (partial index); tenant_domains is a directory table, a reference table on Citus, where a global unique index holds",
  sso_domains_verified_domain_key:
    "a verified email domain signs in to exactly one tenant's identity provider, so it is unique across tenants (partial index); sso_domains is a directory table, a reference table on Citus, where a global unique index holds",
};

/** Foreign keys that do not carry tenant_id on both sides. */
const FOREIGN_KEY_EXCEPTIONS: Record<string, string> = {};

/**
 * Roles whose policies on tenant tables need not filter on tenant_id: they are not the app's login
 * and act only through narrow paths that name the tenant themselves.
 */
const POLICY_ROLE_EXCEPTIONS: Record<string, string> = {
  canopy_directory:
    "owner of the SECURITY DEFINER directory and admin functions (host → tenant, member counts); each function filters by the tenant it is given and returns directory rows or counts only",
  canopy_owner: "the migration role, which moves a tenant between placements (tenant_moves) and runs no request",
};

/** Single policies on tenant tables that do not filter on tenant_id, as table.policy. */
const POLICY_EXCEPTIONS: Record<string, string> = {};

type TableRow = { oid: number; name: string; tenant_attnum: number };

async function tenantTables(): Promise<TableRow[]> {
  return sql<TableRow[]>`
    select c.oid::int as oid, format('%I.%I', n.nspname, c.relname) as name, a.attnum::int as tenant_attnum
    from pg_catalog.pg_class c
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
    where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_%'
      and n.nspname not in ('pgboss')
    order by 2`;
}

describe("Citus readiness (catalog)", () => {
  it("finds the tenant tables", async () => {
    const names = (await tenantTables()).map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(["public.projects", "public.invoices", "public.invoice_items", "public.memberships", "public.audit_log"]));
  });

  it("every primary key and unique constraint or index of a tenant table includes tenant_id", async () => {
    const rows = await sql<{ table: string; name: string; kind: string; definition: string }[]>`
      with tenant as (
        select c.oid, format('%I.%I', n.nspname, c.relname) as name, a.attnum
        from pg_catalog.pg_class c
        join pg_catalog.pg_namespace n on n.oid = c.relnamespace
        join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
        where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema', 'pgboss') and n.nspname not like 'pg_%'
      )
      select t.name as table, ic.relname as name,
        case when i.indisprimary then 'primary key' when con.oid is not null then 'unique constraint' else 'unique index' end as kind,
        pg_catalog.pg_get_indexdef(i.indexrelid) as definition
      from tenant t
      join pg_catalog.pg_index i on i.indrelid = t.oid and i.indisunique
      join pg_catalog.pg_class ic on ic.oid = i.indexrelid
      left join pg_catalog.pg_constraint con on con.conindid = i.indexrelid and con.contype in ('p', 'u')
      where not (t.attnum = any (i.indkey::int2[]))
      order by 1, 2`;
    const violations = rows.filter((r) => !(r.name in KEY_EXCEPTIONS) && !(r.table in LOCAL_TABLES)).map((r) => `${r.table}: ${r.kind} ${r.name} (${r.definition})`);
    expect(violations).toEqual([]);
  });

  it("every foreign key between tenant tables carries tenant_id on both sides, and none points into a tenant table from outside", async () => {
    const rows = await sql<{ name: string; from_table: string; to_table: string; definition: string; from_tenant: boolean; to_tenant: boolean; paired: boolean }[]>`
      with tenant as (
        select c.oid, a.attnum
        from pg_catalog.pg_class c
        join pg_catalog.pg_namespace n on n.oid = c.relnamespace
        join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
        where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema', 'pgboss') and n.nspname not like 'pg_%'
      )
      select con.conname as name, con.conrelid::regclass::text as from_table, con.confrelid::regclass::text as to_table,
        pg_catalog.pg_get_constraintdef(con.oid) as definition,
        ft.oid is not null as from_tenant, tt.oid is not null as to_tenant,
        -- tenant_id of the referencing table matched to tenant_id of the referenced one, at the same position.
        coalesce(exists (
          select 1 from unnest(con.conkey, con.confkey) as k(src, dst)
          where k.src = ft.attnum and k.dst = tt.attnum
        ), false) as paired
      from pg_catalog.pg_constraint con
      left join tenant ft on ft.oid = con.conrelid
      left join tenant tt on tt.oid = con.confrelid
      where con.contype = 'f' and (ft.oid is not null or tt.oid is not null)
      order by 1`;
    const violations = rows
      .filter((r) => !(r.name in FOREIGN_KEY_EXCEPTIONS) && !(r.from_table in LOCAL_TABLES) && !(r.to_table in LOCAL_TABLES))
      .filter((r) => (r.from_tenant && r.to_tenant && !r.paired) || (!r.from_tenant && r.to_tenant))
      .map((r) => `${r.name}: ${r.from_table} → ${r.to_table} (${r.definition})`);
    expect(violations).toEqual([]);
  });

  it("every tenant table forces RLS, and every policy of a distributed one filters on tenant_id", async () => {
    const tables = await sql<{ table: string; enabled: boolean; forced: boolean; policies: number }[]>`
      select format('%I.%I', n.nspname, c.relname) as table, c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
        (select count(*)::int from pg_catalog.pg_policy p where p.polrelid = c.oid) as policies
      from pg_catalog.pg_class c
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
      where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema', 'pgboss') and n.nspname not like 'pg_%'
      order by 1`;
    const unprotected = tables.filter((t) => !(t.table in RLS_EXCEPTIONS) && !(t.enabled && t.forced && t.policies > 0)).map((t) => t.table);
    expect(unprotected).toEqual([]);

    const policies = await sql<{ table: string; name: string; roles: string; command: string; using: string | null; check: string | null }[]>`
      select format('%I.%I', n.nspname, c.relname) as table, p.polname as name,
        coalesce((select string_agg(r.rolname, ',' order by r.rolname) from pg_catalog.pg_roles r where r.oid = any (p.polroles)), 'public') as roles,
        p.polcmd::text as command,
        pg_catalog.pg_get_expr(p.polqual, p.polrelid) as using,
        pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) as check
      from pg_catalog.pg_policy p
      join pg_catalog.pg_class c on c.oid = p.polrelid
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
      order by 1, 2`;
    const filters = (expr: string | null) => expr === null || /\btenant_id\b/.test(expr);
    const violations = policies
      .filter((p) => !(`${p.table}.${p.name}` in POLICY_EXCEPTIONS) && !(p.table in LOCAL_TABLES))
      .filter((p) => !p.roles.split(",").every((role) => role in POLICY_ROLE_EXCEPTIONS))
      .filter((p) => !filters(p.using) || !filters(p.check) || (p.using === null && p.check === null))
      .map((p) => `${p.table}.${p.name} [${p.roles} ${p.command}] using ${p.using ?? "-"} check ${p.check ?? "-"}`);
    expect(violations).toEqual([]);
  });

  it("lists no exception that no longer exists", async () => {
    const tables = new Set((await tenantTables()).map((t) => t.name));
    for (const name of [...Object.keys(LOCAL_TABLES), ...Object.keys(RLS_EXCEPTIONS)]) expect(tables, `an exception names ${name}`).toContain(name);
    const indexes = new Set((await sql<{ name: string }[]>`select relname as name from pg_catalog.pg_class where relkind = 'i'`).map((r) => r.name));
    for (const name of Object.keys(KEY_EXCEPTIONS)) expect(indexes, `KEY_EXCEPTIONS names ${name}`).toContain(name);
    const fks = new Set((await sql<{ name: string }[]>`select conname as name from pg_catalog.pg_constraint where contype = 'f'`).map((r) => r.name));
    for (const name of Object.keys(FOREIGN_KEY_EXCEPTIONS)) expect(fks, `FOREIGN_KEY_EXCEPTIONS names ${name}`).toContain(name);
    const policies = new Set(
      (await sql<{ name: string }[]>`select format('%I.%I', n.nspname, c.relname) || '.' || p.polname as name from pg_catalog.pg_policy p join pg_catalog.pg_class c on c.oid = p.polrelid join pg_catalog.pg_namespace n on n.oid = c.relnamespace`).map((r) => r.name),
    );
    for (const name of Object.keys(POLICY_EXCEPTIONS)) expect(policies, `POLICY_EXCEPTIONS names ${name}`).toContain(name);
    const roles = new Set((await sql<{ name: string }[]>`select rolname as name from pg_catalog.pg_roles`).map((r) => r.name));
    for (const name of Object.keys(POLICY_ROLE_EXCEPTIONS)) expect(roles, `POLICY_ROLE_EXCEPTIONS names ${name}`).toContain(name);
  });
});
