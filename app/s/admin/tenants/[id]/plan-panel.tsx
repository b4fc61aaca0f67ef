import { planOf } from "@/lib/plans";
import { ChangePlan } from "./change-plan";

const limit = (n: number | null, unit = "") => (n === null ? "No limit" : `${n.toLocaleString("en-US")}${unit}`);

/** What the tenant's plan allows (lib/plans.ts), and the change to another plan. */
export function PlanPanel({ tenant }: { tenant: { id: string; name: string; plan: string; deleted: boolean } }) {
  const planId = tenant.plan;
  const plan = planOf(planId);
  const rows: [string, string][] = [
    ["API calls", `${plan.rate.perSecond.toLocaleString("en-US")} per second, bursts of ${plan.rate.burst.toLocaleString("en-US")}`],
    ["Members", `${limit(plan.maxMembers)}${plan.maxMembers === null ? "" : " (pending invitations included)"}`],
    ["Projects", `${limit(plan.maxProjects)}${plan.maxProjects === null ? "" : " (archived included)"}`],
    ["Invoices", limit(plan.maxInvoicesPerMonth, " a month")],
  ];
  return (
    <section aria-labelledby="plan-heading" className="rounded-md border border-slate-200 bg-white p-4">
      <h2 id="plan-heading" className="font-semibold">
        Plan: {plan.label}
      </h2>
      <dl className="mt-2 grid grid-cols-1 gap-x-6 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
        {rows.map(([term, value]) => (
          <div key={term} className="contents">
            <dt className="font-medium text-slate-700">{term}</dt>
            <dd className="mb-1 text-slate-600 sm:mb-0">{value}</dd>
          </div>
        ))}
      </dl>
      {tenant.deleted ? null : <ChangePlan tenant={{ id: tenant.id, name: tenant.name, plan: plan.id }} />}
    </section>
  );
}
