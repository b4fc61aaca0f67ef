"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { useTRPC } from "@/lib/trpc/react";
import { ConfirmButton } from "../../_components/confirm-button";

type Props = { tenant: { id: string; name: string; status: string; purgeAfter: string | null } };

export function TenantActions({ tenant }: Props) {
  const trpc = useTRPC();
  const router = useRouter();
  const done = (message: string) => () => {
    toast.success(message);
    router.refresh();
  };
  const fail = (error: { message: string }) => void toast.error(error.message);
  const suspend = useMutation(trpc.admin.tenants.suspend.mutationOptions({ onSuccess: done(`${tenant.name} is suspended`), onError: fail }));
  const reactivate = useMutation(trpc.admin.tenants.reactivate.mutationOptions({ onSuccess: done(`${tenant.name} is active again`), onError: fail }));
  const remove = useMutation(trpc.admin.tenants.delete.mutationOptions({ onSuccess: done(`${tenant.name} is deleted; it can be restored for 30 days`), onError: fail }));
  const restore = useMutation(trpc.admin.tenants.restore.mutationOptions({ onSuccess: done(`${tenant.name} is restored`), onError: fail }));
  const purge = useMutation(trpc.admin.tenants.purge.mutationOptions({ onSuccess: () => (toast.success(`${tenant.name} is purged`), router.push("/")), onError: fail }));
  const id = { id: tenant.id };
  const run = (m: { mutateAsync: (input: typeof id) => Promise<unknown> }) => async () => void (await m.mutateAsync(id).catch(() => undefined));

  return (
    <section aria-labelledby="actions-heading" className="rounded-md border border-slate-200 bg-white p-4">
      <h2 id="actions-heading" className="font-semibold">
        Lifecycle
      </h2>
      <div className="mt-3 flex flex-wrap gap-2">
        {tenant.status === "active" ? (
          <ConfirmButton label="Suspend" title={`Suspend ${tenant.name}?`} confirmLabel="Suspend tenant" onConfirm={run(suspend)}>
            Its pages show a suspended notice and its API refuses every call until it is reactivated. Jobs skip it.
          </ConfirmButton>
        ) : null}
        {tenant.status === "suspended" ? (
          <ConfirmButton label="Reactivate" title={`Reactivate ${tenant.name}?`} confirmLabel="Reactivate tenant" tone="primary" onConfirm={run(reactivate)}>
            Its members can use it again.
          </ConfirmButton>
        ) : null}
        {tenant.status !== "deleted" ? (
          <ConfirmButton label="Delete" title={`Delete ${tenant.name}?`} confirmLabel="Delete tenant" onConfirm={run(remove)}>
            The tenant stops answering at once. It can be restored for 30 days; after that it can be purged.
          </ConfirmButton>
        ) : (
          <>
            <ConfirmButton label="Restore" title={`Restore ${tenant.name}?`} confirmLabel="Restore tenant" tone="primary" onConfirm={run(restore)}>
              The tenant answers at its address again, with all its data.
            </ConfirmButton>
            <ConfirmButton label="Purge" title={`Purge ${tenant.name}?`} confirmLabel="Purge every row" onConfirm={run(purge)}>
              Every row of this tenant is removed for good. Export it first if you may need it.
              {tenant.purgeAfter ? ` Possible after ${tenant.purgeAfter.slice(0, 16).replace("T", " ")} UTC.` : null}
            </ConfirmButton>
          </>
        )}
      </div>
    </section>
  );
}
