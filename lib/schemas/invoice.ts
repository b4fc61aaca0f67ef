import { z } from "zod";
import type { InvoiceStatus, PaymentMethod } from "@/db/schema/invoices";
import { formatDay } from "@/lib/calendar-day";
import { currencyDigits, type Currency } from "@/lib/money";
import type { SameMembers } from "./same";

export const invoiceStatuses = ["draft", "sent", "paid", "void"] as const;
const _statusesMatch: SameMembers<(typeof invoiceStatuses)[number], InvoiceStatus> = true;

export const paymentMethods = ["bank_transfer", "card", "cash", "cheque", "other"] as const;
const _methodsMatch: SameMembers<(typeof paymentMethods)[number], PaymentMethod> = true;
export const paymentMethodLabels: Record<PaymentMethod, string> = {
  bank_transfer: "Bank transfer",
  card: "Card",
  cash: "Cash",
  cheque: "Cheque",
  other: "Other",
};

const MAX_UNIT_PRICE = 10n ** 15n;
/** A billion units: keeps quantity × price far from the bigint limit for realistic prices. */
const MAX_QUANTITY_MILLI = 10n ** 12n;
const decimalQuantity = /^(\d{1,10})(?:\.(\d{1,3}))?$/;

export const currencyCodes = Object.keys(currencyDigits) as [Currency, ...Currency[]];

/** "1.5" or 1.5 → 1500n thousandths. Parsed from text so no float rounding creeps in. */
const quantity = z.union([z.string().trim(), z.number()]).transform((value, ctx) => {
  const match = decimalQuantity.exec(typeof value === "number" ? String(value) : value);
  if (!match) {
    ctx.addIssue({ code: "custom", message: "Quantity must be a positive number with at most 3 decimals" });
    return z.NEVER;
  }
  const milli = BigInt(match[1]!) * 1000n + BigInt((match[2] ?? "").padEnd(3, "0"));
  if (milli <= 0n || milli > MAX_QUANTITY_MILLI) {
    ctx.addIssue({ code: "custom", message: "Quantity must be greater than 0 and at most 1,000,000,000" });
    return z.NEVER;
  }
  return milli;
});

/** Minor units (cents). A bigint or a safe integer; both become bigint. */
const unitPrice = z.union([z.bigint(), z.number().int("Unit price must be whole minor units")]).transform((value, ctx) => {
  const minor = BigInt(value);
  if (minor < 0n || minor > MAX_UNIT_PRICE) {
    ctx.addIssue({ code: "custom", message: "Unit price must be between 0 and 10^15 minor units" });
    return z.NEVER;
  }
  return minor;
});

export const lineItemInput = z.strictObject({
  description: z.string().trim().min(1, "Description is required").max(500, "At most 500 characters"),
  quantity,
  unitPrice,
  // Basis points on the wire; the messages speak of percent, as people write tax rates.
  taxRateBp: z
    .number({ error: "Enter a tax rate" })
    .int("Use at most 2 decimals in the tax rate")
    .min(0, "Tax cannot be negative")
    .max(10000, "Tax rate must be at most 100 %")
    .default(0),
});
export type LineItemInput = z.infer<typeof lineItemInput>;

const items = z.array(lineItemInput).min(1, "At least one line item").max(100, "At most 100 line items");
const customerName = z.string().trim().min(1, "Customer name is required").max(200, "At most 200 characters");
const customerEmail = z.email("Enter an email address like name@example.com").max(320, "At most 320 characters").nullable().optional();
/** A calendar day as YYYY-MM-DD, within the years invoices are written in (no 9999-12-31 by a slip of the keyboard). */
const invoiceDate = (what: string) =>
  z
    .string({ error: `Enter ${what}` })
    .trim()
    .min(1, `Enter ${what}`)
    .pipe(z.iso.date(`Enter ${what} as a date`))
    .refine((d) => d >= "2000-01-01" && d <= "2099-12-31", `Enter ${what} between 2000 and 2099`);
const isoDate = z.iso.date();
const issueDate = invoiceDate("an issue date");
const dueDate = invoiceDate("a due date");

const dueNotBeforeIssue = (v: { issueDate?: string; dueDate?: string }) => !v.issueDate || !v.dueDate || v.dueDate >= v.issueDate;
const dueDateMessage = { message: "Due date cannot be before the issue date", path: ["dueDate"] };

export const createInvoiceInput = z
  .strictObject({
    projectId: z.uuid().nullable().optional(),
    /** A saved customer; without one, the name and email typed here are a one-off customer. */
    customerId: z.uuid().nullable().optional(),
    customerName,
    customerEmail,
    currency: z.enum(currencyCodes),
    issueDate,
    dueDate,
    items,
  })
  .refine(dueNotBeforeIssue, dueDateMessage);
export type CreateInvoiceInput = z.infer<typeof createInvoiceInput>;

/** Omitted fields keep their value; `items`, when given, replaces every line. */
export const updateInvoiceInput = z
  .strictObject({
    id: z.uuid(),
    projectId: z.uuid().nullable().optional(),
    customerId: z.uuid().nullable().optional(),
    customerName: customerName.optional(),
    customerEmail,
    currency: z.enum(currencyCodes).optional(),
    issueDate: issueDate.optional(),
    dueDate: dueDate.optional(),
    items: items.optional(),
  })
  .refine(dueNotBeforeIssue, dueDateMessage);
export type UpdateInvoiceInput = z.infer<typeof updateInvoiceInput>;

export const invoiceIdInput = z.strictObject({ id: z.uuid() });

/** `customerEmail`, when given, is saved on the invoice in the same transaction that sends it. */
export const sendInvoiceInput = z.strictObject({
  id: z.uuid(),
  customerEmail: z.email("Enter an email address like name@example.com").max(320, "At most 320 characters").optional(),
});
export type SendInvoiceInput = z.infer<typeof sendInvoiceInput>;

/**
 * The day the customer paid and how. Both optional for API clients written before they existed:
 * no date means today (the database's), no method means not recorded. The workspace asks for both.
 * "Not in the future" and "not before the issue date" need the clock and the invoice: the server checks them.
 */
export const markPaidInput = z.strictObject({
  id: z.uuid(),
  paidOn: invoiceDate("the payment date").optional(),
  method: z.enum(paymentMethods, { error: "Choose how the invoice was paid" }).optional(),
});
export type MarkPaidInput = z.infer<typeof markPaidInput>;

/** The workspace's mark-paid form: both fields required, and the day checked against the browser's today. */
export const markPaidForm = ({ issueDate, today }: { issueDate: string; today: string }) =>
  z.strictObject({
    paidOn: invoiceDate("the payment date")
      .refine((d) => d <= today, "The payment date cannot be in the future")
      .refine((d) => d >= issueDate, `The payment date cannot be before the issue date (${formatDay(issueDate)})`),
    // A string first: the select's "Choose…" option is an empty string, answered with the enum's message.
    method: z.string().pipe(z.enum(paymentMethods, { error: "Choose how the invoice was paid" })),
  });

/** The send dialog asks for the address only when the invoice has none. */
export const sendInvoiceForm = z.strictObject({
  customerEmail: z.string().trim().min(1, "Enter the address to send this invoice to").pipe(z.email("Enter an email address like name@example.com").max(320, "At most 320 characters")),
});

export const invoiceStatsInput = z.strictObject({ projectId: z.uuid().optional() }).optional();

export const invoiceSortFields = ["createdAt", "number", "issueDate", "dueDate", "total"] as const;

/** The list's status filter: the stored states, and "overdue" (sent and past due by the database's date). */
export const invoiceListStatuses = [...invoiceStatuses, "overdue"] as const;

export const listInvoicesInput = z
  .strictObject({
    status: z.enum(invoiceListStatuses).optional(),
    customer: z.string().trim().min(1).max(200).optional(),
    projectId: z.uuid().optional(),
    issueDateFrom: isoDate.optional(),
    issueDateTo: isoDate.optional(),
    sort: z.enum(invoiceSortFields).default("createdAt"),
    direction: z.enum(["asc", "desc"]).default("desc"),
    limit: z.number().int().min(1).max(100).default(20),
    offset: z.number().int().min(0).max(100_000).default(0),
  })
  .refine((v) => !v.issueDateFrom || !v.issueDateTo || v.issueDateFrom <= v.issueDateTo, {
    message: "The range ends before it starts",
    path: ["issueDateTo"],
  });
export type ListInvoicesInput = z.infer<typeof listInvoicesInput>;
