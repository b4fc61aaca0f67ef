"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { toast } from "sonner";
import { planIds, plans, type PlanId } from "@/lib/plans";
import { useHydrated } from "@/lib/use-hydrated";
import { useTRPC } from "@/lib/trpc/react";
import { ConfirmButton } from "../../_components/confirm-button";

/** Picks another plan and asks before applying it: budgets and quotas change for every member at once. */
export function ChangePlan({ tenant }: { tenant: { id: string; name: string; plan: PlanId } }) {
  const trpc = useTRPC();
  const router = useRouter();
  const selectId = useId();
  const [choice, setChoice] = useState<PlanId>(tenant.plan);
  // A choice made before hydration would be reset by it without a change event: wait until it counts.
  const hydrated = useHydrated();
  const change = useMutation(
    trpc.admin.tenants.changePlan.mutationOptions({
      onSuccess: (r) => {
        toast.success(`${tenant.name} is on the ${plans[r.plan].label} plan`);
        router.refresh();
      },
      onError: (e) => void toast.error(e.message),
    }),
  );
  const next = plans[choice];
  const smaller = planIds.indexOf(choice) < planIds.indexOf(tenant.plan);
  return (
    <div className="mt-4 flex flex-wrap items-end gap-2 border-t border-slate-100 pt-3">
      <div>
        <label htmlFor={selectId} className="block text-sm font-medium text-slate-700">
          Change plan
        </label>
        <select id={selectId} value={choice} disabled={!hydrated} onChange={(e) => setChoice(e.target.value as PlanId)} className="mt-1 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm">
          {planIds.map((id) => (
            <option key={id} value={id}>
              {plans[id].label}
              {id === tenant.plan ? " (current)" : ""}
            </option>
          ))}
        </select>
      </div>
      {choice !== tenant.plan ? (
        <ConfirmButton
          label={`Move to ${next.label}`}
          title={`Move ${tenant.name} to the ${next.label} plan?`}
          confirmLabel={`Move to ${next.label}`}
          tone={smaller ? "danger" : "primary"}
          onConfirm={async () => void (await change.mutateAsync({ id: tenant.id, plan: choice }).catch(() => undefined))}
        >
          Its API budget and quotas change on every server at once.
          {smaller ? " Nothing is removed if it is over the smaller quotas, but new members, projects or invoices are refused until it is back under them." : null}
        </ConfirmButton>
      ) : null}
    </div>
  );
}
