import type { FieldError, Resolver } from "react-hook-form";
import { toNestErrors } from "@hookform/resolvers";
import type { z } from "zod";
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
  customerName: string;
  customerEmail: string;
  currency: Currency;
  issueDate: string;
  dueDate: string;
  items: { description: string; quantity: string; unitPrice: string; taxRate: string }[];
};

export const emptyLine = { description: "", quantity: "1", unitPrice: "", taxRate: "0" };

export function newInvoiceDefaults(today: string, due: string, currency: Currency = "USD", projectId = ""): InvoiceFormValues {
  return { projectId, customerName: "", customerEmail: "", currency, issueDate: today, dueDate: due, items: [{ ...emptyLine }] };
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

/** Thousandths → "1.5". */
export const formatQuantity = (milli: bigint) => formatDecimal(milli, 3).replace(/\.?0+$/, "");
/** Basis points → "20" or "8.25". */
export const formatTaxRate = (bp: number) => formatDecimal(BigInt(bp), 2).replace(/\.?0+$/, "");

type Issue = { path: (string | number)[]; message: string };

export function toApiInput(values: InvoiceFormValues): { input: Record<string, unknown>; issues: Issue[] } {
  const issues: Issue[] = [];
  const digits = currencyDigits[values.currency] ?? 2;
  const items = values.items.map((item, i) => {
    const unitPrice = parseDecimal(item.unitPrice, digits);
    if (unitPrice === null) {
      issues.push({
        path: ["items", i, "unitPrice"],
        message: digits === 0 ? `Enter a whole amount (${values.currency} has no minor units)` : `Enter an amount with at most ${digits} decimals`,
      });
    }
    const taxRate = item.taxRate.trim() === "" ? 0n : parseDecimal(item.taxRate, 2);
    if (taxRate === null) issues.push({ path: ["items", i, "taxRate"], message: "Enter a percentage with at most 2 decimals" });
    return {
      description: item.description,
      quantity: item.quantity,
      unitPrice: unitPrice ?? 0n,
      taxRateBp: taxRate === null ? 0 : Number(taxRate),
    };
  });
  return {
    input: {
      projectId: values.projectId || null,
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
function apiResolver<S extends z.ZodType>(schema: S, extra: Record<string, unknown>): Resolver<InvoiceFormValues, unknown, z.input<S>> {
  return async (values, _context, options) => {
    const { input, issues } = toApiInput(values);
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

export const createInvoiceResolver = () => apiResolver(createInvoiceInput, {});
export const updateInvoiceResolver = (id: string) => apiResolver(updateInvoiceInput, { id });
