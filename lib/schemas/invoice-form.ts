import type { FieldError, Resolver } from "react-hook-form";
import { toNestErrors } from "@hookform/resolvers";
import type { z } from "zod";
import { formatLocaleDecimal, parseLocaleDecimal, type ParsedDecimal } from "@/lib/locale-number";
import { currencyDigits, type Currency } from "@/lib/money";
import { createInvoiceInput, updateInvoiceInput } from "./invoice";

export type InvoiceApiInput = z.input<typeof createInvoiceInput> | z.input<typeof updateInvoiceInput>;

/**
 * What the invoice form holds: text, as typed, so nothing is lost or reformatted while editing.
 * Prices are in major units ("12.50") and tax in percent ("20"); `toApiInput` turns them into the
 * API's minor units and basis points, and the API's own schema then validates the result.
 */
export type InvoiceFormValues = {
  projectId: string;
  /** A saved customer's id, or "" for a one-off customer typed into the fields below. */
  customerId: string;
  customerName: string;
  customerEmail: string;
  currency: Currency;
  issueDate: string;
  dueDate: string;
  items: { description: string; quantity: string; unitPrice: string; taxRate: string }[];
};

export const emptyLine = { description: "", quantity: "1", unitPrice: "", taxRate: "0" };

export function newInvoiceDefaults(
  today: string,
  due: string,
  currency: Currency = "USD",
  projectId = "",
  customer?: { id: string; name: string; email: string | null },
): InvoiceFormValues {
  return {
    projectId,
    customerId: customer?.id ?? "",
    customerName: customer?.name ?? "",
    customerEmail: customer?.email ?? "",
    currency,
    issueDate: today,
    dueDate: due,
    items: [{ ...emptyLine }],
  };
}

/** "12.5" with 2 digits → 1250n; null when it is not a plain non-negative decimal with at most `digits` decimals. */
export function parseDecimal(text: string, digits: number): bigint | null {
  const match = /^(\d{1,16})(?:\.(\d*))?$/.exec(text.trim().replace(/,/g, ""));
  if (!match) return null;
  const frac = match[2] ?? "";
  if (frac.length > digits) return null;
  return BigInt(match[1]!) * 10n ** BigInt(digits) + BigInt(frac.padEnd(digits, "0") || "0");
}

/** 1250n with 2 digits → "12.50". */
export function formatDecimal(value: bigint, digits: number): string {
  if (digits === 0) return value.toString();
  const scale = 10n ** BigInt(digits);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  return `${negative ? "-" : ""}${abs / scale}.${(abs % scale).toString().padStart(digits, "0")}`;
}

/** Thousandths → "1.5" (the API's plain notation). */
export const formatQuantity = (milli: bigint) => formatDecimal(milli, 3).replace(/\.?0+$/, "");
/** Basis points → "20" or "8.25". */
export const formatTaxRate = (bp: number) => formatDecimal(BigInt(bp), 2).replace(/\.?0+$/, "");

/** A stored line as the form shows it, in the user's locale ("12,50" in Germany), so it parses back the same. */
export function lineToFormText(item: { quantityMilli: bigint; unitPrice: bigint; taxRateBp: number }, digits: number, locale: string) {
  return {
    quantity: formatLocaleDecimal(item.quantityMilli, 3, locale),
    unitPrice: formatLocaleDecimal(item.unitPrice, digits, locale, { minDigits: digits }),
    taxRate: formatLocaleDecimal(BigInt(item.taxRateBp), 2, locale),
  };
}

type Issue = { path: (string | number)[]; message: string };

const MAX_TAX_BP = 10_000n;

/** The line fields as the form reads them, in the user's locale; messages speak of what was typed. */
export function parseLine(item: { quantity: string; unitPrice: string; taxRate: string }, opts: { digits: number; currency: Currency; locale: string }) {
  const unreadable = (p: Extract<ParsedDecimal, { ok: false }>) => `Write a number like ${p.example}`;
  const price = parseLocaleDecimal(item.unitPrice, opts.digits, opts.locale);
  const quantity = parseLocaleDecimal(item.quantity, 3, opts.locale);
  const tax = item.taxRate.trim() === "" ? ({ ok: true, value: 0n } as const) : parseLocaleDecimal(item.taxRate, 2, opts.locale);
  const errors: { unitPrice?: string; quantity?: string; taxRate?: string } = {};
  if (!price.ok) {
    errors.unitPrice = {
      empty: "Enter a unit price",
      negative: "A unit price cannot be negative",
      format: unreadable(price),
      decimals: opts.digits === 0 ? `${opts.currency} has no minor units: enter a whole amount` : `Use at most ${opts.digits} decimals`,
      too_large: "That amount is too large",
    }[price.reason];
  }
  if (!quantity.ok) {
    errors.quantity = {
      empty: "Enter a quantity",
      negative: "Quantity must be more than 0",
      format: unreadable(quantity),
      decimals: "Use at most 3 decimals",
      too_large: "Quantity is too large",
    }[quantity.reason];
  } else if (quantity.value === 0n) errors.quantity = "Quantity must be more than 0";
  if (!tax.ok) {
    errors.taxRate = { empty: "", negative: "Tax cannot be negative", format: unreadable(tax), decimals: "Use at most 2 decimals", too_large: "Tax rate must be at most 100 %" }[
      tax.reason
    ];
  } else if (tax.value > MAX_TAX_BP) errors.taxRate = "Tax rate must be at most 100 %";
  return {
    unitPrice: price.ok ? price.value : null,
    quantityMilli: quantity.ok && quantity.value > 0n ? quantity.value : null,
    taxRateBp: tax.ok && tax.value <= MAX_TAX_BP ? Number(tax.value) : null,
    errors,
  };
}

export function toApiInput(values: InvoiceFormValues, locale = "en-US"): { input: Record<string, unknown>; issues: Issue[] } {
  const issues: Issue[] = [];
  const digits = currencyDigits[values.currency] ?? 2;
  const items = values.items.map((item, i) => {
    const line = parseLine(item, { digits, currency: values.currency, locale });
    for (const [field, message] of Object.entries(line.errors)) if (message) issues.push({ path: ["items", i, field], message });
    return {
      description: item.description,
      // The API's own notation, so the server reads exactly what the form showed.
      quantity: line.quantityMilli === null ? item.quantity : formatQuantity(line.quantityMilli),
      unitPrice: line.unitPrice ?? 0n,
      taxRateBp: line.taxRateBp ?? 0,
    };
  });
  return {
    input: {
      projectId: values.projectId || null,
      customerId: values.customerId || null,
      customerName: values.customerName,
      customerEmail: values.customerEmail.trim() || null,
      currency: values.currency,
      issueDate: values.issueDate,
      dueDate: values.dueDate,
      items,
    },
    issues,
  };
}

/** API paths → form paths: the form edits tax as a percentage in `taxRate`. */
function formPath(path: PropertyKey[]): string {
  const parts = path.map(String);
  if (parts.at(-1) === "taxRateBp") parts[parts.length - 1] = "taxRate";
  // An error about the list itself (too few or too many lines) sits on items.root, beside the lines' own errors.
  if (parts.length === 1 && parts[0] === "items") parts.push("root");
  return parts.join(".");
}

/**
 * A react-hook-form resolver that validates with the API's schema (create, or update with the
 * invoice id), after converting the form's text. All messages come back in one pass.
 */
function apiResolver<S extends z.ZodType>(schema: S, extra: Record<string, unknown>, locale: string): Resolver<InvoiceFormValues, unknown, z.input<S>> {
  return async (values, _context, options) => {
    const { input, issues } = toApiInput(values, locale);
    const candidate = { ...extra, ...input };
    const parsed = await schema.safeParseAsync(candidate);
    const all: Issue[] = [...issues, ...(parsed.success ? [] : parsed.error.issues.map((i) => ({ path: i.path as (string | number)[], message: i.message })))];
    // The API parses again on its side, so the form hands over the input, not the parsed output.
    if (all.length === 0 && parsed.success) return { values: candidate as z.input<S>, errors: {} };
    const flat: Record<string, FieldError> = {};
    for (const issue of all) {
      const key = formPath(issue.path);
      flat[key] ??= { type: "validation", message: issue.message };
    }
    return { values: {}, errors: toNestErrors<InvoiceFormValues>(flat, options) };
  };
}

export const createInvoiceResolver = (locale: string) => apiResolver(createInvoiceInput, {}, locale);
export const updateInvoiceResolver = (id: string, locale: string) => apiResolver(updateInvoiceInput, { id }, locale);
