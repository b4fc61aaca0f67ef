/**
 * Money in integer minor units (bigint). Quantities are thousandths, tax rates basis points.
 * Rounding is half away from zero, applied per line, so printed lines add up to the total.
 */
export function divRound(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError("denominator must be positive");
  const negative = numerator < 0n;
  const abs = negative ? -numerator : numerator;
  const q = (abs * 2n + denominator) / (denominator * 2n);
  return negative ? -q : q;
}

export type LineInput = { quantityMilli: bigint; unitPrice: bigint; taxRateBp: number };
export type LineTotals = { amount: bigint; tax: bigint };

export function lineTotals(line: LineInput): LineTotals {
  const amount = divRound(line.quantityMilli * line.unitPrice, 1000n);
  const tax = divRound(amount * BigInt(line.taxRateBp), 10000n);
  return { amount, tax };
}

export const MAX_MONEY = 2n ** 63n - 1n;

export function invoiceTotals(lines: LineInput[]): { subtotal: bigint; taxTotal: bigint; total: bigint; lines: LineTotals[] } {
  const computed = lines.map(lineTotals);
  const subtotal = computed.reduce((s, l) => s + l.amount, 0n);
  const taxTotal = computed.reduce((s, l) => s + l.tax, 0n);
  const total = subtotal + taxTotal;
  if (total > MAX_MONEY || total < -MAX_MONEY) throw new RangeError("total exceeds the storable range");
  return { subtotal, taxTotal, total, lines: computed };
}

/** ISO 4217 minor-unit digits for the currencies Canopy accepts. */
export const currencyDigits = { USD: 2, EUR: 2, GBP: 2, CHF: 2, CAD: 2, AUD: 2, SEK: 2, NOK: 2, DKK: 2, JPY: 0, KRW: 0, BHD: 3, KWD: 3 } as const;
export type Currency = keyof typeof currencyDigits;

/** Building an Intl.NumberFormat costs far more than using one (about a tenth of a PDF render). */
const moneyFormats = new Map<string, Intl.NumberFormat>();
function moneyFormat(locale: string, currency: Currency, digits: number): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let format = moneyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: "currency", currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
    if (moneyFormats.size > 500) moneyFormats.clear();
    moneyFormats.set(key, format);
  }
  return format;
}

export function formatMoney(minor: bigint, currency: Currency, locale = "en-US"): string {
  const digits = currencyDigits[currency];
  const negative = minor < 0n;
  const abs = negative ? -minor : minor;
  const scale = 10n ** BigInt(digits);
  const whole = abs / scale;
  const frac = abs % scale;
  // A decimal string keeps full precision; Intl formats it without a float round-trip.
  const decimal = `${negative ? "-" : ""}${whole}${digits > 0 ? `.${frac.toString().padStart(digits, "0")}` : ""}`;
  return moneyFormat(locale, currency, digits).format(decimal as unknown as number);
}
