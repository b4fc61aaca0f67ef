/**
 * Decimal numbers as people type them in their own locale ("12,5" in Germany, "1,500.00" in the
 * US), parsed to exact integers with Intl's own separators and never a float. Anything the locale
 * would read differently from another common convention is refused with a hint, not guessed at:
 * "12,5" in en-US could be twelve and a half or 125, so it is neither.
 */

/** `lakh`: thousands, then hundreds grouped in pairs (en-IN "1,00,000"). */
export type Separators = { decimal: string; group: string; lakh: boolean };

const cache = new Map<string, Separators>();

/** The locale's decimal and group separators, from Intl (falls back to en-US for an unknown tag). */
export function separatorsFor(locale: string): Separators {
  const hit = cache.get(locale);
  if (hit) return hit;
  let format: Intl.NumberFormat;
  try {
    format = new Intl.NumberFormat(locale);
  } catch {
    format = new Intl.NumberFormat("en-US");
  }
  const parts = format.formatToParts(12345.6);
  const integers = format.formatToParts(10_000_000).filter((p) => p.type === "integer");
  const found = {
    decimal: parts.find((p) => p.type === "decimal")?.value ?? ".",
    group: parts.find((p) => p.type === "group")?.value ?? ",",
    lakh: integers.length === 4 && integers[1]?.value.length === 2,
  };
  cache.set(locale, found);
  return found;
}

export type ParsedDecimal =
  | { ok: true; value: bigint }
  | { ok: false; reason: "empty" | "negative" | "format" | "decimals" | "too_large"; example: string };

const SPACES = /[\s\u00a0\u202f\u2009\u2007]/g;
/** The largest integer part accepted: 10^15, far beyond any invoice line, far below int64 in minor units. */
const MAX_INTEGER_DIGITS = 15;

/** A short example of a decimal in the locale's own notation, for messages ("12.5" or "12,5"). */
export function decimalExample(locale: string): string {
  return `12${separatorsFor(locale).decimal}5`;
}

/**
 * `text` in `locale` with at most `digits` decimals → the value × 10^digits. Group separators are
 * accepted only where they group thousands; a separator the locale does not use is refused.
 */
export function parseLocaleDecimal(text: string, digits: number, locale: string): ParsedDecimal {
  const example = decimalExample(locale);
  const trimmed = text.trim();
  if (trimmed === "") return { ok: false, reason: "empty", example };
  if (/^[-−‒–]/.test(trimmed)) return { ok: false, reason: "negative", example };
  const { decimal, group, lakh } = separatorsFor(locale);
  // Spaces (and the locale's own space-like or apostrophe group mark) only ever group digits.
  const groupIsSpace = SPACES.test(group);
  SPACES.lastIndex = 0;
  let compact = trimmed.replace(SPACES, groupIsSpace ? "\u0000" : "");
  if (!groupIsSpace && (group === "'" || group === "’")) compact = compact.replace(/['’]/g, "\u0000");
  const groupMark = groupIsSpace || group === "'" || group === "’" ? "\u0000" : group;
  if (!/^[0-9.,\u0000]+$/.test(compact)) return { ok: false, reason: "format", example };

  const decimalAt = compact.lastIndexOf(decimal);
  if (decimalAt !== compact.indexOf(decimal)) return { ok: false, reason: "format", example };
  const integerText = decimalAt >= 0 ? compact.slice(0, decimalAt) : compact;
  const fraction = decimalAt >= 0 ? compact.slice(decimalAt + 1) : "";
  if (!/^\d*$/.test(fraction)) return { ok: false, reason: "format", example };

  // The integer part: plain digits, or thousands grouped with the locale's group mark only.
  let integerDigits: string;
  if (/^\d+$/.test(integerText)) integerDigits = integerText;
  else {
    const groups = integerText.split(groupMark);
    const thousands = groups.length > 1 && /^\d{1,3}$/.test(groups[0]!) && groups.slice(1).every((g) => /^\d{3}$/.test(g));
    const indian = lakh && groups.length > 2 && /^\d{1,2}$/.test(groups[0]!) && groups.slice(1, -1).every((g) => /^\d{2}$/.test(g)) && /^\d{3}$/.test(groups.at(-1)!);
    const wellGrouped = thousands || indian;
    if (!wellGrouped) return { ok: false, reason: "format", example };
    integerDigits = groups.join("");
  }
  if (integerDigits === "" && fraction === "") return { ok: false, reason: "format", example };
  if (fraction.length > digits) return { ok: false, reason: "decimals", example };
  const significant = integerDigits.replace(/^0+/, "");
  if (significant.length > MAX_INTEGER_DIGITS) return { ok: false, reason: "too_large", example };
  const value = BigInt(significant || "0") * 10n ** BigInt(digits) + BigInt(fraction.padEnd(digits, "0") || "0");
  return { ok: true, value };
}

/** value × 10^-digits in the locale's notation ("1,234.5" / "1.234,5"), exactly (no float). */
export function formatLocaleDecimal(value: bigint, digits: number, locale: string, opts: { minDigits?: number } = {}): string {
  const scale = 10n ** BigInt(digits);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const whole = abs / scale;
  let fraction = digits > 0 ? (abs % scale).toString().padStart(digits, "0") : "";
  const min = opts.minDigits ?? 0;
  while (fraction.length > min && fraction.endsWith("0")) fraction = fraction.slice(0, -1);
  const decimalString = `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
  // Intl formats a decimal string exactly (no float round-trip) when given one.
  return new Intl.NumberFormat(locale, { minimumFractionDigits: fraction.length, maximumFractionDigits: fraction.length }).format(decimalString as unknown as number);
}

/** The first supported locale of an Accept-Language header, or `fallback`. */
export function localeFromAcceptLanguage(header: string | null | undefined, fallback = "en-US"): string {
  for (const part of (header ?? "").split(",")) {
    const tag = part.split(";")[0]?.trim();
    if (!tag || tag === "*") continue;
    try {
      const [supported] = Intl.NumberFormat.supportedLocalesOf([tag]);
      if (supported) return supported;
    } catch {
      // An invalid tag: try the next one.
    }
  }
  return fallback;
}
