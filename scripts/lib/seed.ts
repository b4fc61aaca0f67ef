import { sql } from "drizzle-orm";
import postgres from "postgres";
import { createDatabase } from "@/db/client";
import { invoiceItems, invoices } from "@/db/schema/invoices";
import { projects } from "@/db/schema/projects";
import { tenantDomains, tenants } from "@/db/schema/tenants";
import { memberships, users, type MemberRole } from "@/db/schema/users";
import { withTenant, withUser } from "@/db/tenant-transaction";
import { invoiceTotals } from "@/lib/money";
import { hashPassword } from "@/lib/password";
import { allocateInvoiceNumber } from "@/server/modules/invoice/allocate-number";

export const DEMO_PASSWORD = "canopy-demo";

type DemoInvoice = { customer: string; status: "draft" | "sent" | "paid" | "void"; currency: "USD" | "EUR"; dueInDays: number; project?: number; items: [string, number, number, number][] };
type DemoTenant = {
  slug: string;
  name: string;
  owner: [string, string];
  member: [string, string];
  domain?: string;
  projects: [string, string, "active" | "archived"][];
  invoices: DemoInvoice[];
};

const demo: DemoTenant[] = [
  {
    slug: "acme",
    name: "Acme Corp",
    owner: ["owner@acme.test", "Ada Acme"],
    member: ["member@acme.test", "Milo Acme"],
    domain: "billing.acme.test",
    projects: [
      ["Website redesign", "New marketing site and blog", "active"],
      ["Rocket skates", "Prototype and field tests", "active"],
      ["Anvil logistics", "Delivery partner integration", "archived"],
    ],
    invoices: [
      { customer: "Road Runner Ltd", status: "paid", currency: "USD", dueInDays: -20, project: 0, items: [["Design sprint", 5000, 120000, 2000], ["Copywriting", 2000, 45000, 2000]] },
      { customer: "Coyote Supplies", status: "sent", currency: "USD", dueInDays: 14, project: 1, items: [["Skate prototype", 2000, 250000, 2000]] },
      { customer: "Coyote Supplies", status: "sent", currency: "USD", dueInDays: -5, project: 1, items: [["Field test day", 3000, 80000, 0]] },
      { customer: "Desert Media", status: "draft", currency: "EUR", dueInDays: 30, items: [["Retainer", 1000, 300000, 1900]] },
      { customer: "Old Client", status: "void", currency: "USD", dueInDays: 10, items: [["Cancelled work", 1000, 10000, 0]] },
    ],
  },
  {
    slug: "globex",
    name: "Globex Inc",
    owner: ["owner@globex.test", "Hank Scorpio"],
    member: ["member@globex.test", "Homer Globex"],
    projects: [
      ["Fusion reactor", "Cypress Creek campus power", "active"],
      ["Quarterly audit", "Q3 compliance review", "active"],
    ],
    invoices: [
      { customer: "Springfield Power", status: "sent", currency: "USD", dueInDays: 7, project: 0, items: [["Consulting", 10000, 95000, 825]] },
      { customer: "Capital City Bank", status: "paid", currency: "EUR", dueInDays: -3, project: 1, items: [["Audit fee", 1000, 750000, 2000]] },
      { customer: "Shelbyville Co", status: "draft", currency: "USD", dueInDays: 21, items: [["Advisory", 4000, 60000, 0]] },
    ],
  },
];

const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

/**
 * The demo data, written through the application role and the same tenant transactions the
 * API uses (RLS applies to the seed too). Idempotent: a tenant that exists is left alone.
 */
export async function seedDemo(urls: { appUrl: string; migrationUrl?: string }): Promise<{ created: boolean }> {
  const { db, client } = createDatabase(urls.appUrl, { max: 2 });
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  let created = false;
  try {
    const ensureUser = async (email: string, name: string) => {
      const found = await db.execute<{ id: string }>(sql`select id from app_user_for_sign_in(${email})`);
      const existing = found[0]?.id;
      if (existing) return existing;
      const id = crypto.randomUUID();
      await withUser(db, id, (tx) => tx.insert(users).values({ id, email, name, passwordHash }));
      return id;
    };
    for (const t of demo) {
      const exists = await db.execute(sql`select 1 from app_tenant_by_slug(${t.slug})`);
      if (exists.length > 0) continue;
      created = true;
      const ownerId = await ensureUser(...t.owner);
      const memberId = await ensureUser(...t.member);
      const tenantId = crypto.randomUUID();
      await withTenant(db, { tenantId, userId: ownerId }, async (tx) => {
        await tx.insert(tenants).values({ id: tenantId, slug: t.slug, name: t.name });
        const roles: [string, MemberRole][] = [[ownerId, "owner"], [memberId, "member"]];
        await tx.insert(memberships).values(roles.map(([userId, role]) => ({ tenantId, userId, role })));
        if (t.domain) await tx.insert(tenantDomains).values({ tenantId, domain: t.domain, verifiedAt: new Date() });
        const projectIds: string[] = [];
        for (const [name, description, status] of t.projects) {
          const [p] = await tx
            .insert(projects)
            .values({ tenantId, name, description, status, createdBy: ownerId, archivedAt: status === "archived" ? new Date() : null })
            .returning({ id: projects.id });
          if (p) projectIds.push(p.id);
        }
        for (const inv of t.invoices) {
          const lines = inv.items.map(([, q, price, tax]) => ({ quantityMilli: BigInt(q), unitPrice: BigInt(price), taxRateBp: tax }));
          const totals = invoiceTotals(lines);
          const number = await allocateInvoiceNumber({ tenantId, data: tx });
          const now = new Date();
          const [row] = await tx
            .insert(invoices)
            .values({
              tenantId,
              number,
              projectId: inv.project === undefined ? null : (projectIds[inv.project] ?? null),
              customerName: inv.customer,
              // Every demo customer has an address, so any demo draft can be sent.
              customerEmail: `billing@${inv.customer.toLowerCase().replace(/[^a-z0-9]+/g, "-")}.test`,
              currency: inv.currency,
              status: inv.status,
              issueDate: isoDay(inv.dueInDays - 30),
              dueDate: isoDay(inv.dueInDays),
              subtotal: totals.subtotal,
              taxTotal: totals.taxTotal,
              total: totals.total,
              sentAt: inv.status === "draft" ? null : now,
              paidAt: inv.status === "paid" ? now : null,
              paidOn: inv.status === "paid" ? isoDay(0) : null,
              paymentMethod: inv.status === "paid" ? "bank_transfer" : null,
              voidedAt: inv.status === "void" ? now : null,
            })
            .returning({ id: invoices.id });
          if (!row) throw new Error("invoice insert returned no row");
          await tx.insert(invoiceItems).values(
            inv.items.map(([description], i) => ({
              tenantId,
              invoiceId: row.id,
              position: i + 1,
              description,
              quantityMilli: lines[i]!.quantityMilli,
              unitPrice: lines[i]!.unitPrice,
              taxRateBp: lines[i]!.taxRateBp,
              amount: totals.lines[i]!.amount,
            })),
          );
        }
      });
    }
    const adminId = await ensureUser("admin@canopy.test", "Platform Admin");
    // Every demo user, also those of an earlier seed (made before addresses had to be proven).
    const demoIds = [adminId];
    for (const [email] of demo.flatMap((t) => [t.owner, t.member])) {
      const [row] = await db.execute<{ id: string }>(sql`select id from app_user_for_sign_in(${email})`);
      if (row) demoIds.push(row.id);
    }
    if (urls.migrationUrl) await markDemoAccounts(urls.migrationUrl, { adminId, userIds: demoIds });
    return { created };
  } finally {
    await client.end();
  }
}

/**
 * What the app role cannot do (column grants): make the demo admin a platform admin, and mark the
 * demo users' addresses as proven (they are `.test` addresses no link could ever reach).
 */
async function markDemoAccounts(migrationUrl: string, opts: { adminId: string; userIds: string[] }): Promise<void> {
  const sqlOwner = postgres(migrationUrl, { max: 1, onnotice: () => undefined });
  try {
    for (const userId of new Set(opts.userIds)) {
      await sqlOwner.begin(async (tx) => {
        await tx`select set_config('app.user_id', ${userId}, true)`;
        await tx`update users set email_verified_at = coalesce(email_verified_at, now()), is_platform_admin = is_platform_admin or ${userId === opts.adminId} where id = ${userId}`;
      });
    }
  } finally {
    await sqlOwner.end();
  }
}
