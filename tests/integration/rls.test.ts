import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appDb, closeDb, createTenant, type TenantFixture } from "../support/fixtures";

const TENANT_TABLES = [
  "tenant_domains",
  "memberships",
  "projects",
  "invoices",
  "invoice_items",
  "invoice_counters",
  "tenant_settings",
  "audit_log",
  "invitations",
  "api_keys",
  "auth_handoffs",
  "email_outbox",
  "tenant_sso",
  "sso_domains",
  "sso_identities",
  "sso_sign_ins",
  "customers",
  "invoice_public_links",
];
/** Platform tables carry a tenant_id for reference, but belong to platform admins (own policies). */
const PLATFORM_TABLES = ["platform_audit_log", "tenant_exports", "support_sessions", "tenant_moves"];

let app: postgres.Sql;
let owner: postgres.Sql;
let a: TenantFixture;
let b: TenantFixture;

beforeAll(async () => {
  a = await createTenant(appDb());
  b = await createTenant(appDb());
  // Through PgBouncer in transaction mode, named prepared statements cannot be used.
  app = postgres(process.env.DATABASE_URL!, { max: 2, onnotice: () => undefined, prepare: process.env.DB_PREPARE !== "false" });
  owner = postgres(process.env.MIGRATION_DATABASE_URL!, { max: 1, onnotice: () => undefined });
});
afterAll(async () => {
  await app.end();
  await owner.end();
  await closeDb();
});

async function sqlState(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "ok";
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
}

/** Runs `fn` as the app role inside a transaction scoped to `tenantId`. */
function asTenant<T>(tenantId: string, fn: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> {
  return app.begin(async (tx) => {
    await tx`select set_config('app.tenant_id', ${tenantId}, true)`;
    return fn(tx);
  }) as Promise<T>;
}

describe("the catalog", () => {
  it("every table with tenant_id has ENABLE + FORCE RLS and a tenant policy with USING and WITH CHECK", async () => {
    const rows = await owner<{ table: string; rls: boolean; force: boolean; policies: number }[]>`
      select c.relname as table, c.relrowsecurity as rls, c.relforcerowsecurity as force,
        (select count(*)::int from pg_policies p where p.tablename = c.relname and p.policyname = 'tenant_isolation'
           and p.qual like '%app.tenant_id%' and p.with_check like '%app.tenant_id%') as policies
      from pg_class c join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id'
      where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' and c.relname <> all(${PLATFORM_TABLES})`;
    expect(rows.map((r) => r.table).sort()).toEqual([...TENANT_TABLES].sort());
    for (const r of rows) expect(r, r.table).toMatchObject({ rls: true, force: true, policies: 1 });
  });

  it("every table in the schema has RLS forced (directory tables included)", async () => {
    const rows = await owner<{ relname: string }[]>`
      select relname from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r'
        and relname not like '__drizzle%' and not (relrowsecurity and relforcerowsecurity)`;
    expect(rows).toEqual([]);
  });

  it("the app role is no superuser, cannot bypass RLS and owns nothing", async () => {
    const [role] = await app<{ rolsuper: boolean; rolbypassrls: boolean; owned: number }[]>`
      select rolsuper, rolbypassrls,
        (select count(*)::int from pg_class c where c.relowner = r.oid) as owned
      from pg_roles r where rolname = current_user`;
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false, owned: 0 });
  });

  it("every tenant table's primary key leads with tenant_id", async () => {
    const rows = await owner<{ table: string; first: string }[]>`
      select c.relname as table, a.attname as first from pg_index i
      join pg_class c on c.oid = i.indrelid join pg_attribute a on a.attrelid = c.oid and a.attnum = i.indkey[0]
      where i.indisprimary and c.relname in ${owner(TENANT_TABLES)}`;
    expect(rows).toHaveLength(TENANT_TABLES.length);
    for (const r of rows) expect(r.first, r.table).toBe("tenant_id");
  });
});

describe("as the app role with no tenant setting", () => {
  for (const table of [...TENANT_TABLES, ...PLATFORM_TABLES, "tenants", "users", "user_sessions"]) {
    it(`${table}: zero rows`, async () => {
      const [row] = await app<{ n: number }[]>`select count(*)::int as n from ${app(table)}`;
      expect(row?.n).toBe(0);
    });
  }

  it("writes are rejected", async () => {
    expect(await sqlState(app`insert into projects (tenant_id, name) values (${a.id}, 'sneaky')`)).toBe("42501");
    const updated = await app`update projects set name = 'x'`;
    expect(updated.count).toBe(0);
    const deleted = await app`delete from invoices`;
    expect(deleted.count).toBe(0);
  });

  it("sign-in throttling counters are out of the app role's reach", async () => {
    expect(await sqlState(app`select * from auth_attempts`)).toBe("42501");
  });

  it("the owner role is bound by the policies too (FORCE)", async () => {
    const [row] = await owner<{ n: number }[]>`select count(*)::int as n from projects`;
    expect(row?.n).toBe(0);
  });

  it("a transaction-local setting is gone when the transaction ends (pooled connection)", async () => {
    const solo = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => undefined, prepare: process.env.DB_PREPARE !== "false" });
    try {
      await solo.begin(async (tx) => {
        await tx`select set_config('app.tenant_id', ${a.id}, true)`;
        const [inside] = await tx<{ n: number }[]>`select count(*)::int as n from projects`;
        expect(inside?.n).toBe(a.projectIds.length);
      });
      const [after] = await solo<{ n: number; setting: string }[]>`
        select count(*)::int as n, current_setting('app.tenant_id', true) as setting from projects`;
      expect(after).toEqual({ n: 0, setting: "" });
    } finally {
      await solo.end();
    }
  });
});

describe("as the app role scoped to tenant A", () => {
  it("B's rows are invisible, even when asked for by id", async () => {
    const rows = await asTenant(a.id, (tx) => tx<{ tenant_id: string }[]>`select tenant_id from projects`);
    expect(rows.length).toBe(a.projectIds.length);
    expect(rows.every((r) => r.tenant_id === a.id)).toBe(true);
    const byId = await asTenant(a.id, (tx) => tx`select * from invoices where id = ${b.invoiceIds[0]!}`);
    expect(byId).toHaveLength(0);
  });

  it("an insert carrying B's tenant_id is rejected", async () => {
    expect(await sqlState(asTenant(a.id, (tx) => tx`insert into projects (tenant_id, name) values (${b.id}, 'planted')`))).toBe("42501");
  });

  it("an update of B's rows changes nothing, and moving A's row to B is rejected", async () => {
    const count = await asTenant(a.id, async (tx) => (await tx`update projects set name = 'x' where tenant_id = ${b.id}`).count);
    expect(count).toBe(0);
    expect(await sqlState(asTenant(a.id, (tx) => tx`update projects set tenant_id = ${b.id} where id = ${a.projectIds[0]!}`))).toBe("42501");
  });

  it("an invoice cannot reference B's project (composite foreign key)", async () => {
    const state = await sqlState(
      asTenant(a.id, (tx) => tx`
        insert into invoices (tenant_id, number, project_id, customer_name, currency, issue_date, due_date)
        values (${a.id}, 99999, ${b.projectIds[0]!}, 'x', 'USD', '2026-01-01', '2026-01-31')`),
    );
    expect(state).toBe("23503");
  });

  it("an item cannot be attached to B's invoice", async () => {
    const state = await sqlState(
      asTenant(a.id, (tx) => tx`
        insert into invoice_items (tenant_id, invoice_id, position, description, quantity_milli, unit_price, amount)
        values (${a.id}, ${b.invoiceIds[0]!}, 1, 'x', 1000, 1, 1)`),
    );
    expect(state).toBe("23503");
  });

  it("the audit log is append-only for the app role", async () => {
    expect(await sqlState(asTenant(a.id, (tx) => tx`delete from audit_log`))).toBe("42501");
    expect(await sqlState(asTenant(a.id, (tx) => tx`update audit_log set action = 'x'`))).toBe("42501");
  });

  it("a tenant cannot change its own status, and a user cannot make themselves platform admin", async () => {
    expect(await sqlState(asTenant(a.id, (tx) => tx`update tenants set status = 'active'`))).toBe("42501");
    const state = await sqlState(
      app.begin(async (tx) => {
        await tx`select set_config('app.user_id', ${a.users.owner.id}, true)`;
        await tx`update users set is_platform_admin = true where id = ${a.users.owner.id}`;
      }),
    );
    expect(state).toBe("42501");
  });

  it("a tenant cannot move itself: no grant on placement, new tenants start shared, moves are the mover's", async () => {
    expect(await sqlState(asTenant(a.id, (tx) => tx`update tenants set placement = 'elsewhere'`))).toBe("42501");
    const id = crypto.randomUUID();
    expect(await sqlState(asTenant(id, (tx) => tx`insert into tenants (id, slug, name, placement) values (${id}, ${`p-${id.slice(0, 8)}`}, 'Placed', 'elsewhere')`))).toBe("42501");
    expect(await sqlState(asTenant(a.id, (tx) => tx`insert into tenant_moves (tenant_id, source, target, phase) values (${a.id}, 'shared', 'elsewhere', 'done')`))).toBe("42501");
  });
});

describe("directory functions", () => {
  it("resolve a slug and a verified domain, and nothing else", async () => {
    const [bySlug] = await app`select id from app_tenant_by_slug(${a.slug})`;
    const [byDomain] = await app`select id from app_tenant_by_domain(${a.domain})`;
    expect(bySlug?.id).toBe(a.id);
    expect(byDomain?.id).toBe(a.id);
    expect(await app`select id from app_tenant_by_domain('unverified.nowhere.test')`).toHaveLength(0);
  });

  it("my workspaces lists only the user of the transaction", async () => {
    const rows = await app.begin(async (tx) => {
      await tx`select set_config('app.user_id', ${a.users.member.id}, true)`;
      return tx<{ tenant_id: string }[]>`select tenant_id from app_my_workspaces()`;
    });
    expect(rows.map((r) => r.tenant_id)).toEqual([a.id]);
    expect(await app`select * from app_my_workspaces()`).toHaveLength(0);
  });

  it("the app role cannot call anything else with definer rights, nor read the directory tables directly", async () => {
    const [row] = await app<{ n: number }[]>`select count(*)::int as n from memberships`;
    expect(row?.n).toBe(0);
  });
});
