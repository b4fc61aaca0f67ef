"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { createCustomerInput, type CreateCustomerInput, type CustomerFormValues } from "@/lib/schemas/customer";
import { currencyCodes } from "@/lib/schemas/invoice";
import { useTRPC } from "@/lib/trpc/react";
import { FormError, InputField, SelectField, TextareaField } from "../_components/form";
import { showServerErrors } from "../_components/trpc-errors";
import { buttonClass } from "../_components/ui";

export type CustomerRow = { id: string; name: string; email: string | null; billingAddress: string | null; taxId: string | null; defaultCurrency: string | null; archivedAt: Date | null };

const fields = ["name", "email", "billingAddress", "taxId", "defaultCurrency"] as const;

/** Create or edit. Validated with the API's own schema; a refusal keeps what was typed. */
export function CustomerForm({ customer, onDone }: { customer?: CustomerRow; onDone: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const form = useForm<CustomerFormValues, unknown, CreateCustomerInput>({
    resolver: zodResolver(createCustomerInput),
    defaultValues: {
      name: customer?.name ?? "",
      email: customer?.email ?? "",
      billingAddress: customer?.billingAddress ?? "",
      taxId: customer?.taxId ?? "",
      defaultCurrency: (customer?.defaultCurrency ?? "") as CustomerFormValues["defaultCurrency"],
    },
    mode: "onTouched",
  });
  const onSettled = {
    onSuccess: async (saved: { name: string }) => {
      toast.success(customer ? `Saved “${saved.name}”` : `Added “${saved.name}”`);
      await queryClient.invalidateQueries(trpc.customer.pathFilter());
      router.refresh();
      onDone();
    },
    onError: (error: unknown) => showServerErrors(form, error, fields),
  };
  const create = useMutation(trpc.customer.create.mutationOptions(onSettled));
  const update = useMutation(trpc.customer.update.mutationOptions(onSettled));
  const pending = create.isPending || update.isPending;
  const { errors } = form.formState;

  return (
    <form
      noValidate
      className="space-y-4"
      onSubmit={form.handleSubmit((values) => (customer ? update.mutate({ id: customer.id, ...values }) : create.mutate(values)))}
    >
      <FormError message={errors.root?.server?.message} />
      <InputField label="Name" autoComplete="organization" error={errors.name?.message} {...form.register("name")} />
      <InputField label="Email" type="email" autoComplete="email" hint="Where invoices are sent" error={errors.email?.message} {...form.register("email")} />
      <TextareaField label="Billing address" rows={4} autoComplete="street-address" hint="As it should appear on invoices, one line per line" error={errors.billingAddress?.message} {...form.register("billingAddress")} />
      <div className="grid gap-4 sm:grid-cols-2">
        <InputField label="Tax ID" autoComplete="off" hint="VAT or other tax number" error={errors.taxId?.message} {...form.register("taxId")} />
        <SelectField label="Default currency" hint="New invoices for this customer start in it" error={errors.defaultCurrency?.message} {...form.register("defaultCurrency")}>
          <option value="">No default</option>
          {currencyCodes.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </SelectField>
      </div>
      <p className="text-xs text-slate-600">Changes apply to drafts and future invoices; invoices already sent keep the details they were sent with.</p>
      <div className="flex justify-end gap-2">
        <button type="button" className={buttonClass("secondary")} onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className={buttonClass()} disabled={pending}>
          {pending ? "Saving…" : customer ? "Save customer" : "Add customer"}
        </button>
      </div>
    </form>
  );
}
