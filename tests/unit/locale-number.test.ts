import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatLocaleDecimal, localeFromAcceptLanguage, parseLocaleDecimal } from "@/lib/locale-number";
import { parseLine, toApiInput, newInvoiceDefaults } from "@/lib/schemas/invoice-form";

const value = (text: string, digits: number, locale: string) => {
  const r = parseLocaleDecimal(text, digits, locale);
  return r.ok ? r.value : r.reason;
};

describe("amounts as people type them", () => {
  it("reads a comma as the decimal mark where the locale says so, and never reinterprets it elsewhere", () => {
    expect(value("12,5", 2, "de-DE")).toBe(1250n);
    expect(value("12,5", 2, "fr-FR")).toBe(1250n);
    // In en-US "12,5" could be 12.5 or 125: refused, not guessed (it used to be saved as 125).
    expect(value("12,5", 2, "en-US")).toBe("format");
    expect(value("12.5", 2, "en-US")).toBe(1250n);
    expect(value("12.5", 2, "de-DE")).toBe("format");
  });

  it("accepts thousands separators only where they group thousands", () => {
    expect(value("1,500.00", 2, "en-US")).toBe(150000n);
    expect(value("1.500,00", 2, "de-DE")).toBe(150000n);
    expect(value("1 500,25", 2, "fr-FR")).toBe(150025n);
    expect(value("1\u202f500,25", 2, "fr-FR")).toBe(150025n);
    expect(value("1'500.25", 2, "de-CH")).toBe(150025n);
    expect(value("1,500.00", 2, "de-DE")).toBe("format");
    expect(value("1,50,0", 2, "en-US")).toBe("format");
    expect(value("1.5.0", 2, "en-US")).toBe("format");
  });

  it("says what is wrong: empty, negative, too many decimals, too large, not a number", () => {
    expect(value("", 2, "en-US")).toBe("empty");
    expect(value("-50", 2, "en-US")).toBe("negative");
    expect(value("1.234", 2, "en-US")).toBe("decimals");
    expect(value("99999999999999999999", 2, "en-US")).toBe("too_large");
    expect(value("12e3", 2, "en-US")).toBe("format");
    expect(value(",", 2, "de-DE")).toBe("format");
  });

  it("parses back exactly what it formats, in every locale it knows", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 17n - 1n }), fc.constantFrom("en-US", "de-DE", "fr-FR", "de-CH", "en-IN", "ja-JP", "ar-EG"), (minor, locale) => {
        const text = formatLocaleDecimal(minor, 2, locale, { minDigits: 2 });
        const back = parseLocaleDecimal(text, 2, locale);
        // Locales with their own digits (ar-EG) are not typed that way here: skip what Intl writes in other scripts.
        if (/[^0-9.,\s\u00a0\u202f'’]/.test(text)) return;
        expect(back).toEqual({ ok: true, value: minor });
      }),
    );
  });

  it("takes the first usable Accept-Language tag", () => {
    expect(localeFromAcceptLanguage("de-DE,de;q=0.9,en;q=0.8")).toBe("de-DE");
    expect(localeFromAcceptLanguage("*")).toBe("en-US");
    expect(localeFromAcceptLanguage(null)).toBe("en-US");
  });
});

describe("the invoice form's line messages", () => {
  const opts = { digits: 2, currency: "EUR" as const, locale: "de-DE" };
  it("speaks in the user's terms for each wrong value", () => {
    expect(parseLine({ quantity: "1", unitPrice: "-50", taxRate: "0" }, opts).errors.unitPrice).toBe("A unit price cannot be negative");
    expect(parseLine({ quantity: "1", unitPrice: "", taxRate: "0" }, opts).errors.unitPrice).toBe("Enter a unit price");
    expect(parseLine({ quantity: "1", unitPrice: "99999999999999999999", taxRate: "0" }, opts).errors.unitPrice).toBe("That amount is too large");
    expect(parseLine({ quantity: "1", unitPrice: "12.5", taxRate: "0" }, opts).errors.unitPrice).toBe("Write a number like 12,5");
    expect(parseLine({ quantity: "1", unitPrice: "10", taxRate: "150" }, opts).errors.taxRate).toBe("Tax rate must be at most 100 %");
    expect(parseLine({ quantity: "0", unitPrice: "10", taxRate: "0" }, opts).errors.quantity).toBe("Quantity must be more than 0");
    expect(parseLine({ quantity: "1", unitPrice: "10", taxRate: "0" }, { ...opts, digits: 0, currency: "EUR" }).errors).toEqual({});
  });

  it("hands the API plain numbers: 1,5 × 12,5 in German is 1.5 × 1250 cents", () => {
    const values = { ...newInvoiceDefaults("2026-01-01", "2026-02-01", "EUR"), customerName: "Zoë", items: [{ description: "Work", quantity: "1,5", unitPrice: "12,5", taxRate: "19" }] };
    const { input, issues } = toApiInput(values, "de-DE");
    expect(issues).toEqual([]);
    expect(input.items).toEqual([{ description: "Work", quantity: "1.5", unitPrice: 1250n, taxRateBp: 1900 }]);
  });
});
