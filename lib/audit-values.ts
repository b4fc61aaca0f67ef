import { currencyDigits, formatMoney, type Currency } from "@/lib/money";

/**
 * Values as the audit log stored them (JSON: bigints as strings, dates as ISO strings), written
 * the way people read them. Every helper takes `unknown` and never throws: an old or odd entry
 * still reads as a sentence.
 */

/** A piece of an audit sentence: plain words, or a named object that may link to its page. */
export type SentencePart = string | { text: string; href?: string | null; quote?: boolean };

export const isCurrency = (v: unknown): v is Currency => typeof v === "string" && Object.hasOwn(currencyDigits, v);

const asBigInt = (v: unknown): bigint | null => {
  if (typeof v === "bigint") return v;
  if (typeof v === "number" && Number.isInteger(v)) return BigInt(v);
  if (typeof v === "string" && /^-?\d+$/.test(v)) return BigInt(v);
  return null;
};

/** Minor units in the invoice's currency; without a known currency, the bare number. */
export function money(minor: unknown, currency: unknown): string {
  const n = asBigInt(minor);
  if (n === null) return "an unknown amount";
  return isCurrency(currency) ? formatMoney(n, currency) : n.toString();
}

const dayFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });
const momentFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** "2026-02-01" → "Feb 1, 2026"; an ISO timestamp → "Feb 1, 2026, 3:04 PM UTC". */
export function when(v: unknown): string {
  if (typeof v !== "string" && !(v instanceof Date)) return "an unknown date";
  if (typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v)) return dayFormat.format(new Date(`${v}T00:00:00Z`));
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? String(v) : `${momentFormat.format(d)} UTC`;
}

/** Thousandths → "2", "1.5", "0.125". */
export function quantity(milli: unknown): string {
  const n = asBigInt(milli);
  if (n === null) return "?";
  const negative = n < 0n;
  const abs = negative ? -n : n;
  const frac = (abs % 1000n).toString().padStart(3, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${abs / 1000n}${frac ? `.${frac}` : ""}`;
}

/** Basis points → "20%", "7.5%". */
export function percent(bp: unknown): string {
  const n = typeof bp === "number" ? bp : Number(bp);
  return Number.isFinite(n) ? `${n / 100}%` : "?";
}

/** An invoice line: "2 × Design work at €120.00 (20% tax)". */
export function itemLine(item: unknown, currency: unknown): string {
  if (!item || typeof item !== "object") return "a line";
  const i = item as Record<string, unknown>;
  const tax = typeof i.taxRateBp === "number" && i.taxRateBp > 0 ? ` (${percent(i.taxRateBp)} tax)` : "";
  const description = typeof i.description === "string" && i.description ? i.description : "an item";
  return `${quantity(i.quantityMilli)} × ${description} at ${money(i.unitPrice, currency)}${tax}`;
}

export const text = (v: unknown): string | null => (typeof v === "string" && v.trim() ? v : null);

/** Words for a list: "a", "a and b", "a, b and c". */
export function listWords(words: string[]): string {
  if (words.length <= 1) return words[0] ?? "";
  return `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}

/** Long free text shortened for a one-line sentence. */
export const clip = (s: string, max = 80) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** The parts joined as plain text (for titles, tests and screen-reader-free contexts). */
export const partsText = (parts: SentencePart[]) => parts.map((p) => (typeof p === "string" ? p : p.quote ? `‘${p.text}’` : p.text)).join("");
