"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useForm } from "react-hook-form";
import { sendInvoiceForm } from "@/lib/schemas/invoice";
import { FormError, InputField } from "../../_components/form";
import { Modal } from "../../_components/modal";
import { buttonClass } from "../../_components/ui";

export type SendValues = { customerEmail?: string };

/**
 * Confirms a send and says where it goes. With no address on the invoice it asks for one; the
 * server saves it in the same transaction as the send.
 */
export function SendDialog({
  open,
  label,
  customerEmail,
  pending,
  serverError,
  onSend,
  onClose,
}: {
  open: boolean;
  label: string;
  customerEmail: string | null;
  pending: boolean;
  serverError: { message: string; fieldErrors: Record<string, string[] | undefined> } | null;
  onSend: (values: SendValues) => void;
  onClose: () => void;
}) {
  const form = useForm({ resolver: zodResolver(sendInvoiceForm), defaultValues: { customerEmail: "" } });
  const fieldError = form.formState.errors.customerEmail?.message ?? serverError?.fieldErrors.customerEmail?.[0];
  return (
    <Modal open={open} title={`Send ${label}?`} onClose={onClose}>
      <form
        noValidate
        className="space-y-4 text-sm text-slate-700"
        onSubmit={(e) => {
          e.preventDefault();
          if (customerEmail) onSend({});
          else void form.handleSubmit((values) => onSend(values))(e);
        }}
      >
        {customerEmail ? (
          <p>
            It will be emailed to <strong className="break-all text-slate-900">{customerEmail}</strong> with the PDF attached. A sent invoice can no longer
            be edited.
          </p>
        ) : (
          <>
            <p>This invoice has no customer email address yet. Enter the address to send it to; it is saved on the invoice.</p>
            <InputField label="Customer email" type="email" autoComplete="email" required autoFocus error={fieldError} {...form.register("customerEmail")} />
          </>
        )}
        <FormError message={serverError && !fieldError ? serverError.message : null} />
        <div className="flex flex-wrap justify-end gap-2">
          <button type="button" className={buttonClass("secondary")} onClick={onClose} autoFocus={Boolean(customerEmail)}>
            Cancel
          </button>
          <button type="submit" className={buttonClass()} disabled={pending}>
            {pending ? "Sending…" : "Send invoice"}
          </button>
        </div>
      </form>
    </Modal>
  );
}
