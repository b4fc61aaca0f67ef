"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMemo } from "react";
import { useForm } from "react-hook-form";
import { localToday } from "@/lib/calendar-day";
import { markPaidForm, paymentMethodLabels, paymentMethods, type MarkPaidInput } from "@/lib/schemas/invoice";
import { FormError, InputField, SelectField } from "../../_components/form";
import { Modal } from "../../_components/modal";
import { buttonClass } from "../../_components/ui";

type Values = { paidOn: string; method: NonNullable<MarkPaidInput["method"]> };

/** Records when and how the customer paid: today by default, never in the future or before the issue date. */
export function MarkPaidDialog({
  open,
  label,
  issueDate,
  pending,
  serverError,
  onSave,
  onClose,
}: {
  open: boolean;
  label: string;
  issueDate: string;
  pending: boolean;
  serverError: { message: string; fieldErrors: Record<string, string[] | undefined> } | null;
  onSave: (values: Values) => void;
  onClose: () => void;
}) {
  // The browser's today: the person recording the payment counts days where they are.
  const today = useMemo(() => localToday(), []);
  const form = useForm<{ paidOn: string; method: string }, unknown, Values>({
    resolver: zodResolver(markPaidForm({ issueDate, today })),
    defaultValues: { paidOn: today, method: "" },
  });
  const { errors } = form.formState;
  const paidOnError = errors.paidOn?.message ?? serverError?.fieldErrors.paidOn?.[0];
  const methodError = errors.method?.message ?? serverError?.fieldErrors.method?.[0];
  return (
    <Modal open={open} title={`Mark ${label} paid`} onClose={onClose}>
      <form noValidate className="space-y-4" onSubmit={(e) => void form.handleSubmit(onSave)(e)}>
        <div className="grid gap-4 sm:grid-cols-2">
          <InputField label="Payment date" type="date" min={issueDate} max={today} required error={paidOnError} {...form.register("paidOn")} />
          <SelectField label="Payment method" required error={methodError} {...form.register("method")}>
            <option value="">Choose…</option>
            {paymentMethods.map((m) => (
              <option key={m} value={m}>
                {paymentMethodLabels[m]}
              </option>
            ))}
          </SelectField>
        </div>
        <p className="text-xs text-slate-500">You can undo this while the payment date is in the current month.</p>
        <FormError message={serverError && !paidOnError && !methodError ? serverError.message : null} />
        <div className="flex flex-wrap justify-end gap-2">
          <button type="button" className={buttonClass("secondary")} onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className={buttonClass()} disabled={pending}>
            {pending ? "Saving…" : "Mark paid"}
          </button>
        </div>
      </form>
    </Modal>
  );
}
