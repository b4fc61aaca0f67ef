"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { Field } from "@/app/field";
import { startSupportSessionInput } from "@/lib/schemas/admin";
import { useTRPC } from "@/lib/trpc/react";
import { button } from "../../_components/ui";
import { useHydrated } from "@/lib/use-hydrated";

const formSchema = z.object({ reason: startSupportSessionInput.shape.reason, minutes: z.coerce.number<string>().int().min(5).max(240) });

export function SupportForm({ tenantId }: { tenantId: string }) {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const start = useMutation(trpc.admin.support.start.mutationOptions());
  const form = useForm<z.input<typeof formSchema>, unknown, z.output<typeof formSchema>>({ resolver: zodResolver(formSchema), defaultValues: { reason: "", minutes: "30" } });
  const onSubmit = form.handleSubmit(async ({ reason, minutes }) => {
    try {
      const session = await start.mutateAsync({ tenantId, reason, minutes, readOnly: true });
      toast.success("Support session started");
      window.open(session.url, "_blank", "noopener");
    } catch (error) {
      toast.error((error as Error).message);
    }
  });
  return (
    <section aria-labelledby="support-heading" className="rounded-md border border-slate-200 bg-white p-4">
      <h2 id="support-heading" className="font-semibold">
        View as tenant
      </h2>
      <p className="mt-1 text-sm text-slate-600">Read-only and time-boxed. The reason is written to the tenant&apos;s own audit log, and its pages show a banner while you look.</p>
      <form onSubmit={(e) => void onSubmit(e)} noValidate className="mt-3 flex flex-wrap items-end gap-3">
        <Field label="Reason" className="min-w-64 flex-1" error={form.formState.errors.reason?.message} {...form.register("reason")} />
        <div>
          <label htmlFor="support-minutes" className="block text-sm font-medium">
            Duration
          </label>
          <select id="support-minutes" className="mt-1 rounded-md border border-slate-300 bg-white px-3 py-2" {...form.register("minutes")}>
            <option value="15">15 minutes</option>
            <option value="30">30 minutes</option>
            <option value="60">1 hour</option>
          </select>
        </div>
        <button type="submit" className={button("secondary")} disabled={!hydrated || form.formState.isSubmitting}>
          Start support view
        </button>
      </form>
    </section>
  );
}
