"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { Controller, useFieldArray, useForm, useWatch, type Control } from "react-hook-form";
import type { z } from "zod";
import { toast } from "sonner";
import { formatInvoiceNumber } from "@/lib/invoice-number";
import { currencyDigits, formatMoney, invoiceTotals } from "@/lib/money";
import { currencyCodes, type createInvoiceInput, type updateInvoiceInput } from "@/lib/schemas/invoice";
import { formatLocaleDecimal } from "@/lib/locale-number";
import { createInvoiceResolver, emptyLine, parseLine, updateInvoiceResolver, type InvoiceApiInput, type InvoiceFormValues } from "@/lib/schemas/invoice-form";
import { useTRPC } from "@/lib/trpc/react";
import { FormError, InputField, SelectField } from "../_components/form";
import type { CustomerChoice, CustomerChoices } from "../_components/customer-choices";
import { CustomerPicker } from "../_components/customer-picker";
import type { ProjectChoices } from "../_components/project-choices";
import { ProjectPicker } from "../_components/project-picker";
import { describeError } from "../_components/trpc-errors";
import { buttonClass } from "../_components/ui";
import { useHydrated } from "@/lib/use-hydrated";

type CreateInput = z.input<typeof createInvoiceInput>;
type UpdateInput = z.input<typeof updateInvoiceInput>;

type FormControl = Control<InvoiceFormValues, unknown, InvoiceApiInput>;

/**
 * What a line's typed numbers will be saved as, in words the user can check before saving
 * ("1.5 × €12.50, 20 % tax"): the same parser as the validation, so the two never disagree.
 */
function LineReading({ control, index, locale }: { control: FormControl; index: number; locale: string }) {
  const [item, currency] = useWatch({ control, name: [`items.${index}`, "currency"] });
  const line = parseLine(item, { digits: currencyDigits[currency] ?? 2, currency, locale });
  if (line.unitPrice === null || line.quantityMilli === null || line.taxRateBp === null) return null;
  const tax = line.taxRateBp > 0 ? `, ${formatLocaleDecimal(BigInt(line.taxRateBp), 2, locale)} % tax` : "";
  return (
    <p className="text-xs text-slate-600 sm:col-span-5" data-testid={`line-${index + 1}-reading`}>
      Reads as {formatLocaleDecimal(line.quantityMilli, 3, locale)} × {formatMoney(line.unitPrice, currency, locale)}
      {tax}
    </p>
  );
}

/** An estimate while typing; the server computes the real totals from the lines when it saves. */
function TotalsPreview({ control, locale }: { control: FormControl; locale: string }) {
  const [items, currency] = useWatch({ control, name: ["items", "currency"] });
  const digits = currencyDigits[currency] ?? 2;
  let totals: ReturnType<typeof invoiceTotals> | null = null;
  try {
    // Lines that do not read yet count as zero, exactly as they would not be saved.
    totals = invoiceTotals(
      items.map((item) => {
        const line = parseLine(item, { digits, currency, locale });
        return { quantityMilli: line.quantityMilli ?? 0n, unitPrice: line.unitPrice ?? 0n, taxRateBp: line.taxRateBp ?? 0 };
      }),
    );
  } catch {
    totals = null;
  }
  if (!totals) return null;
  return (
    <dl className="ml-auto w-full max-w-xs space-y-1 text-sm" aria-live="polite">
      <div className="flex justify-between">
        <dt className="text-slate-600">Subtotal</dt>
        <dd className="tabular-nums">{formatMoney(totals.subtotal, currency, locale)}</dd>
      </div>
      <div className="flex justify-between">
        <dt className="text-slate-600">Tax</dt>
        <dd className="tabular-nums">{formatMoney(totals.taxTotal, currency, locale)}</dd>
      </div>
      <div className="flex justify-between border-t border-slate-200 pt-1 font-semibold">
        <dt>Total</dt>
        <dd className="tabular-nums">{formatMoney(totals.total, currency, locale)}</dd>
      </div>
    </dl>
  );
}

/** `locale`: the user's (from Accept-Language), which decides how amounts are typed and shown. */
export function InvoiceForm({
  invoiceId,
  defaults,
  projects,
  customers,
  locale,
}: {
  invoiceId?: string;
  defaults: InvoiceFormValues;
  projects: ProjectChoices;
  customers: CustomerChoices;
  locale: string;
}) {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const router = useRouter();
  const queryClient = useQueryClient();
  const form = useForm<InvoiceFormValues, unknown, InvoiceApiInput>({
    resolver: invoiceId ? updateInvoiceResolver(invoiceId, locale) : createInvoiceResolver(locale),
    defaultValues: defaults,
    mode: "onTouched",
  });
  const { fields, append, remove } = useFieldArray({ control: form.control, name: "items" });
  const { errors, isSubmitting } = form.formState;
  const linked = useWatch({ control: form.control, name: "customerId" }) !== "";
  const pickCustomer = (customer: CustomerChoice | null) => {
    form.setValue("customerId", customer?.id ?? "", { shouldDirty: true });
    if (!customer) return;
    // The saved details fill the fields; they are copied onto the invoice for good when it is sent.
    const opts = { shouldDirty: true, shouldValidate: true };
    form.setValue("customerName", customer.name, opts);
    form.setValue("customerEmail", customer.email ?? "", opts);
    const currency = currencyCodes.find((c) => c === customer.defaultCurrency);
    if (currency) form.setValue("currency", currency, opts);
  };

  const onError = (error: unknown) => {
    const { message, fieldErrors } = describeError(error);
    for (const [field, messages] of Object.entries(fieldErrors)) {
      const first = messages?.[0];
      if (!first) continue;
      const name = field === "items" ? "items.root" : field;
      form.setError(name as keyof InvoiceFormValues, { message: first });
    }
    form.setError("root.server", { message });
    toast.error(message);
  };
  const onSaved = async (saved: { id: string; number: number; numberPrefix: string }) => {
    toast.success(`Saved ${formatInvoiceNumber(saved.number, saved.numberPrefix)}`);
    await queryClient.invalidateQueries(trpc.invoice.pathFilter());
    router.push(`/invoices/${saved.id}`);
    router.refresh();
  };
  const create = useMutation(trpc.invoice.create.mutationOptions({ onSuccess: onSaved, onError }));
  const update = useMutation(trpc.invoice.update.mutationOptions({ onSuccess: onSaved, onError }));
  const pending = isSubmitting || create.isPending || update.isPending;

  return (
    <form
      noValidate
      className="space-y-6"
      onSubmit={form.handleSubmit(async (input) => {
        // The resolver picked the schema by invoiceId, so the input has that schema's shape.
        if (invoiceId) await update.mutateAsync(input as UpdateInput).catch(() => undefined);
        else await create.mutateAsync(input as CreateInput).catch(() => undefined);
      })}
    >
      <FormError message={errors.root?.server?.message} />
      <fieldset className="grid gap-4 rounded-md border border-slate-200 bg-white p-4 sm:grid-cols-2">
        <legend className="px-1 text-sm font-semibold">Customer</legend>
        <Controller
          control={form.control}
          name="customerId"
          render={({ field }) => (
            <CustomerPicker
              className="sm:col-span-2"
              choices={customers}
              name={field.name}
              value={field.value}
              onPick={pickCustomer}
              onBlur={field.onBlur}
              selectRef={field.ref}
              error={errors.customerId?.message}
            />
          )}
        />
        {/* A saved customer's details come from the customer (edit them there); a one-off customer is typed here. */}
        <InputField
          label="Customer name"
          autoComplete="organization"
          readOnly={linked}
          hint={linked ? "From the saved customer" : undefined}
          error={errors.customerName?.message}
          {...form.register("customerName")}
        />
        <InputField label="Customer email" type="email" autoComplete="email" error={errors.customerEmail?.message} {...form.register("customerEmail")} />
        <Controller
          control={form.control}
          name="projectId"
          render={({ field }) => (
            <ProjectPicker
              label="Project"
              emptyLabel="No project"
              hint="Optional"
              choices={projects}
              status="active"
              name={field.name}
              value={field.value}
              onChange={field.onChange}
              onBlur={field.onBlur}
              selectRef={field.ref}
              error={errors.projectId?.message}
            />
          )}
        />
        <SelectField label="Currency" error={errors.currency?.message} {...form.register("currency")}>
          {currencyCodes.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </SelectField>
        <InputField label="Issue date" type="date" error={errors.issueDate?.message} {...form.register("issueDate")} />
        <InputField label="Due date" type="date" error={errors.dueDate?.message} {...form.register("dueDate")} />
      </fieldset>

      <fieldset className="rounded-md border border-slate-200 bg-white p-4">
        <legend className="px-1 text-sm font-semibold">Line items</legend>
        {errors.items?.root?.message ? (
          <p role="alert" className="mb-2 text-sm text-red-700">
            {errors.items.root.message}
          </p>
        ) : null}
        <ol className="space-y-4">
          {fields.map((field, i) => {
            const e = errors.items?.[i];
            return (
              <li key={field.id} className="grid gap-3 border-b border-slate-100 pb-4 sm:grid-cols-[1fr_6rem_8rem_6rem_auto] sm:items-start" aria-label={`Line ${i + 1}`}>
                <InputField label={`Line ${i + 1} description`} error={e?.description?.message} {...form.register(`items.${i}.description`)} />
                <InputField label="Quantity" inputMode="decimal" error={e?.quantity?.message} {...form.register(`items.${i}.quantity`)} />
                <InputField label="Unit price" inputMode="decimal" error={e?.unitPrice?.message} {...form.register(`items.${i}.unitPrice`)} />
                <InputField label="Tax %" inputMode="decimal" error={e?.taxRate?.message} {...form.register(`items.${i}.taxRate`)} />
                <button
                  type="button"
                  className={buttonClass("ghost", "text-red-700 sm:mt-6")}
                  onClick={() => remove(i)}
                  disabled={fields.length === 1}
                  aria-label={`Remove line ${i + 1}`}
                >
                  Remove
                </button>
                <LineReading control={form.control} index={i} locale={locale} />
              </li>
            );
          })}
        </ol>
        <div className="mt-4 flex flex-col gap-4 sm:flex-row sm:items-start">
          <button type="button" className={buttonClass("secondary")} onClick={() => append(emptyLine, { shouldFocus: true })} disabled={fields.length >= 100}>
            Add line
          </button>
          <TotalsPreview control={form.control} locale={locale} />
        </div>
      </fieldset>

      <div className="flex flex-wrap justify-end gap-2">
        <button type="button" className={buttonClass("secondary")} onClick={() => router.back()}>
          Cancel
        </button>
        <button type="submit" className={buttonClass()} disabled={!hydrated || pending}>
          {pending ? "Saving…" : invoiceId ? "Save draft" : "Create draft"}
        </button>
      </div>
    </form>
  );
}
