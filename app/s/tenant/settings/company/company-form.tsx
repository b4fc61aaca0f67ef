"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useForm, useWatch } from "react-hook-form";
import { toast } from "sonner";
import { formatInvoiceNumber } from "@/lib/invoice-number";
import { currencyCodes } from "@/lib/schemas/invoice";
import { MAX_PAYMENT_TERMS_DAYS, updateTenantSettingsInput, type TenantSettingsFormValues, type UpdateTenantSettingsInput } from "@/lib/schemas/tenant-settings";
import { useTRPC } from "@/lib/trpc/react";
import { useHydrated } from "@/lib/use-hydrated";
import { FormError, InputField, SelectField, TextareaField } from "../../_components/form";
import { showServerErrors } from "../../_components/trpc-errors";
import { buttonClass } from "../../_components/ui";

type Settings = {
  legalName: string | null;
  postalAddress: string | null;
  taxId: string | null;
  invoicePrefix: string;
  defaultCurrency: UpdateTenantSettingsInput["defaultCurrency"];
  paymentTermsDays: number;
};

const fields = ["legalName", "postalAddress", "taxId", "invoicePrefix", "defaultCurrency", "paymentTermsDays"] as const;

function PrefixPreview({ control }: { control: ReturnType<typeof useForm<TenantSettingsFormValues, unknown, UpdateTenantSettingsInput>>["control"] }) {
  const prefix = useWatch({ control, name: "invoicePrefix" });
  return <>Letters, digits and dashes, up to 10. The next invoice reads {formatInvoiceNumber(42, prefix?.trim() || "…")}; invoices already issued keep their number.</>;
}

export function CompanyForm({ settings, editable, workspaceName }: { settings: Settings; editable: boolean; workspaceName: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const hydrated = useHydrated();
  const form = useForm<TenantSettingsFormValues, unknown, UpdateTenantSettingsInput>({
    resolver: zodResolver(updateTenantSettingsInput),
    defaultValues: {
      legalName: settings.legalName ?? "",
      postalAddress: settings.postalAddress ?? "",
      taxId: settings.taxId ?? "",
      invoicePrefix: settings.invoicePrefix,
      defaultCurrency: settings.defaultCurrency,
      paymentTermsDays: settings.paymentTermsDays,
    },
    mode: "onTouched",
  });
  const save = useMutation(
    trpc.tenant.settings.update.mutationOptions({
      onSuccess: (saved) => {
        toast.success("Company details saved");
        form.reset({ ...saved, legalName: saved.legalName ?? "", postalAddress: saved.postalAddress ?? "", taxId: saved.taxId ?? "" });
        router.refresh();
      },
      onError: (error) => showServerErrors(form, error, fields),
    }),
  );
  const { errors, isDirty } = form.formState;
  const disabled = !editable;

  return (
    <form noValidate onSubmit={form.handleSubmit((values) => save.mutate(values))} className="space-y-6" aria-label="Company details">
      <FormError message={errors.root?.server?.message} />
      <fieldset className="grid gap-4 rounded-md border border-slate-200 bg-white p-4 sm:grid-cols-2" disabled={disabled}>
        <legend className="px-1 text-sm font-semibold">Company</legend>
        <InputField
          label="Legal name"
          autoComplete="organization"
          placeholder={workspaceName}
          hint="As registered; printed as the seller on invoices. Blank uses the workspace name."
          error={errors.legalName?.message}
          className="sm:col-span-2"
          {...form.register("legalName")}
        />
        <TextareaField
          label="Postal address"
          rows={4}
          autoComplete="street-address"
          hint="One line per row, as it should appear on an invoice."
          error={errors.postalAddress?.message}
          {...form.register("postalAddress")}
        />
        <InputField label="Tax ID" hint="VAT number, EIN or similar; printed on invoices." autoComplete="off" spellCheck={false} error={errors.taxId?.message} {...form.register("taxId")} />
      </fieldset>
      <fieldset className="grid gap-4 rounded-md border border-slate-200 bg-white p-4 sm:grid-cols-3" disabled={disabled}>
        <legend className="px-1 text-sm font-semibold">Invoices</legend>
        <InputField
          label="Invoice number prefix"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={10}
          hint={<PrefixPreview control={form.control} />}
          error={errors.invoicePrefix?.message}
          {...form.register("invoicePrefix")}
        />
        <SelectField label="Default currency" hint="New invoices start in this currency." error={errors.defaultCurrency?.message} {...form.register("defaultCurrency")}>
          {currencyCodes.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </SelectField>
        <InputField
          label="Payment terms (days)"
          type="number"
          inputMode="numeric"
          min={0}
          max={MAX_PAYMENT_TERMS_DAYS}
          step={1}
          hint="Days from the issue date to the due date on new invoices."
          error={errors.paymentTermsDays?.message}
          {...form.register("paymentTermsDays", { valueAsNumber: true })}
        />
      </fieldset>
      {editable ? (
        <div className="flex justify-end">
          <button type="submit" className={buttonClass()} disabled={!hydrated || save.isPending || !isDirty}>
            {save.isPending ? "Saving…" : "Save company details"}
          </button>
        </div>
      ) : null}
    </form>
  );
}
