import { describe, expect, it } from "vitest";
import { divRound, formatMoney, invoiceTotals, lineTotals } from "@/lib/money";

describe("money", () => {
  it("rounds half away from zero", () => {
    expect(divRound(5n, 10n)).toBe(1n);
    expect(divRound(4n, 10n)).toBe(0n);
    expect(divRound(-5n, 10n)).toBe(-1n);
    expect(divRound(15n, 10n)).toBe(2n);
  });

  it("computes a line with fractional quantity and tax", () => {
    // 1.5 × 12.34 = 18.51, tax 20% = 3.702 → 3.70
    expect(lineTotals({ quantityMilli: 1500n, unitPrice: 1234n, taxRateBp: 2000 })).toEqual({ amount: 1851n, tax: 370n });
  });

  it("sums rounded lines so the printed lines add up", () => {
    const totals = invoiceTotals([
      { quantityMilli: 1000n, unitPrice: 333n, taxRateBp: 1000 },
      { quantityMilli: 1000n, unitPrice: 333n, taxRateBp: 1000 },
      { quantityMilli: 1000n, unitPrice: 334n, taxRateBp: 1000 },
    ]);
    // Tax is rounded per line (33 + 33 + 33), not on the sum (100): the lines shown add up to the total.
    expect(totals).toMatchObject({ subtotal: 1000n, taxTotal: 99n, total: 1099n });
  });

  it("refuses totals beyond bigint storage", () => {
    expect(() => invoiceTotals([{ quantityMilli: 1000n * 10n ** 6n, unitPrice: 2n ** 62n, taxRateBp: 0 }])).toThrow(RangeError);
  });

  it("formats currencies with and without minor units, without float drift", () => {
    expect(formatMoney(123456n, "USD")).toBe("$1,234.56");
    expect(formatMoney(1234n, "JPY")).toBe("¥1,234");
    expect(formatMoney(1234n, "BHD")).toBe("BHD\u00a01.234");
    expect(formatMoney(900719925474099312n, "USD")).toBe("$9,007,199,254,740,993.12");
  });
});
