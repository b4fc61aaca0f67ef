import { and, count, eq, gte, isNull, sql } from "drizzle-orm";
import type { Transaction } from "@/db/client";
import { invitations } from "@/db/schema/accounts";
import { invoices } from "@/db/schema/invoices";
import { projects } from "@/db/schema/projects";
import { memberships } from "@/db/schema/users";
import { planOf, type Plan } from "@/lib/plans";
import { AppError } from "@/server/errors";

export type PlanResource = "members" | "projects" | "invoices";

const nouns: Record<PlanResource, (limit: number) => string> = {
  members: (n) => `${n.toLocaleString("en-US")} member${n === 1 ? "" : "s"} (pending invitations included)`,
  projects: (n) => `${n.toLocaleString("en-US")} project${n === 1 ? "" : "s"} (archived ones included)`,
  invoices: (n) => `${n.toLocaleString("en-US")} new invoice${n === 1 ? "" : "s"} a month`,
};

/** A create refused by the tenant's plan (lib/plans.ts): PAYMENT_REQUIRED, with the limit in the message. */
export class PlanLimitError extends AppError {
  constructor(
    readonly plan: Plan,
    readonly resource: PlanResource,
    readonly limit: number,
  ) {
    super("PLAN_LIMIT", `Your plan (${plan.label}) allows ${nouns[resource](limit)}. Remove one, or ask Canopy to move this workspace to a larger plan.`);
    this.name = "PlanLimitError";
  }
}

type TenantPlan = { id: string; plan: string };

/**
 * Counting and creating are two statements: without this lock two concurrent creates could both
 * see one slot left. Transaction-level, so it holds until the create commits or rolls back.
 */
const lockQuota = (db: Transaction, tenantId: string, resource: PlanResource) =>
  db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`plan:${resource}:${tenantId}`}, 0))`);

async function assertBelow(db: Transaction, tenant: TenantPlan, resource: PlanResource, limit: number | null, used: () => Promise<number>) {
  if (limit === null) return;
  await lockQuota(db, tenant.id, resource);
  if ((await used()) >= limit) throw new PlanLimitError(planOf(tenant.plan), resource, limit);
}

/** Before a project is created, in the tenant's data transaction. */
export function assertProjectQuota(db: Transaction, tenant: TenantPlan): Promise<void> {
  return assertBelow(db, tenant, "projects", planOf(tenant.plan).maxProjects, async () => {
    const [row] = await db.select({ n: count() }).from(projects).where(eq(projects.tenantId, tenant.id));
    return row?.n ?? 0;
  });
}

/** Before an invoice is created: invoices created since the start of this calendar month (UTC). */
export function assertInvoiceQuota(db: Transaction, tenant: TenantPlan): Promise<void> {
  return assertBelow(db, tenant, "invoices", planOf(tenant.plan).maxInvoicesPerMonth, async () => {
    const [row] = await db
      .select({ n: count() })
      .from(invoices)
      .where(and(eq(invoices.tenantId, tenant.id), gte(invoices.createdAt, sql`date_trunc('month', now() at time zone 'UTC') at time zone 'UTC'`)));
    return row?.n ?? 0;
  });
}

/** Before an invitation is sent, in the directory transaction: members plus live invitations hold seats. */
export function assertMemberQuota(db: Transaction, tenant: TenantPlan): Promise<void> {
  return assertBelow(db, tenant, "members", planOf(tenant.plan).maxMembers, async () => {
    const [members] = await db.select({ n: count() }).from(memberships).where(eq(memberships.tenantId, tenant.id));
    const [pending] = await db
      .select({ n: count() })
      .from(invitations)
      .where(and(eq(invitations.tenantId, tenant.id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), sql`${invitations.expiresAt} > now()`));
    return (members?.n ?? 0) + (pending?.n ?? 0);
  });
}
