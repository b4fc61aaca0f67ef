/**
 * What each plan allows (`tenants.plan`). The API rate is the tenant's budget (server/rate-limit.ts);
 * the quotas are checked where the rows are created (server/plan-limits.ts). `null`: no limit.
 *
 * | Plan       | API calls            | Members | Projects | Invoices per month |
 * | ---------- | -------------------- | ------- | -------- | ------------------ |
 * | free       | 50/s, burst 100      | 10      | 50       | 500                |
 * | pro        | 200/s, burst 400     | 100     | 1,000    | 10,000             |
 * | enterprise | 1,000/s, burst 2,000 | no limit| no limit | no limit           |
 */
export const planIds = ["free", "pro", "enterprise"] as const;
export type PlanId = (typeof planIds)[number];

export type Plan = {
  id: PlanId;
  label: string;
  rate: { perSecond: number; burst: number };
  /** Members, pending invitations included (an invitation holds its seat until it is accepted or revoked). */
  maxMembers: number | null;
  /** Projects, archived ones included (restoring one must not go past the limit). */
  maxProjects: number | null;
  /** Invoices created per calendar month (UTC). */
  maxInvoicesPerMonth: number | null;
};

export const plans: Record<PlanId, Plan> = {
  free: { id: "free", label: "Free", rate: { perSecond: 50, burst: 100 }, maxMembers: 10, maxProjects: 50, maxInvoicesPerMonth: 500 },
  pro: { id: "pro", label: "Pro", rate: { perSecond: 200, burst: 400 }, maxMembers: 100, maxProjects: 1000, maxInvoicesPerMonth: 10_000 },
  enterprise: { id: "enterprise", label: "Enterprise", rate: { perSecond: 1000, burst: 2000 }, maxMembers: null, maxProjects: null, maxInvoicesPerMonth: null },
};

const isPlanId = (value: string): value is PlanId => (planIds as readonly string[]).includes(value);

/** The plan a tenant row names; the database's check constraint keeps it to `planIds`, free if ever not. */
export const planOf = (id: string): Plan => (isPlanId(id) ? plans[id] : plans.free);
