import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LINE_BOX, PAGE, drawInvoicePdf, layoutInvoice, type PlacedLine } from "@/server/documents/draw-invoice-pdf";
import { invoicePdfModel, type InvoiceForPdf } from "@/server/documents/invoice-pdf";
import { layoutText } from "@/server/documents/text-layout";
import { extractPdf } from "../support/pdf-text";
import { longWord, worstCaseDescriptions } from "../support/worst-case-invoice";

const prose = (seed: number, length: number) => {
  let text = "";
  for (let i = 0; text.length < length; i++) text += `${longWord(seed * 100 + i, 3 + ((seed + i) % 9))} `;
  return text.slice(0, length);
};

// Long values everywhere: a 120-character tenant and project, a 200-character customer, 500-character
// descriptions as prose, as one word, and in several scripts; enough items for several pages.
const tenantName = prose(1, 120);
const projectName = `${longWord(2, 60)} ${prose(3, 59)}`;
const customerName = `${prose(4, 100)}${longWord(5, 100)}`;
const descriptions = Array.from({ length: 36 }, (_, i) =>
  i % 3 === 0 ? prose(10 + i, 500) : i % 3 === 1 ? worstCaseDescriptions[i]! : `株式会社テスト مرحبا بالعالم ${"Ελληνικά Русский עברית ".repeat(20)}`.slice(0, 500),
);
const longInvoice: InvoiceForPdf = {
  number: 123456,
  status: "sent",
  customerName,
  customerEmail: `${"a".repeat(64)}@${"b".repeat(60)}.example.test`,
  currency: "EUR",
  issueDate: "2026-09-30",
  dueDate: "2026-12-31",
  subtotal: 9_999_999_999_99n,
  taxTotal: 1_999_999_999_99n,
  total: 11_999_999_999_98n,
  overdue: true,
  items: descriptions.map((description, i) => ({ description, quantityMilli: 1_234_567n + BigInt(i), unitPrice: 99_999_999_99n, taxRateBp: 2125, amount: 12_345_678_901_23n })),
};
const model = invoicePdfModel(longInvoice, { name: tenantName }, projectName);

const box = (l: PlacedLine) => ({ left: l.x, right: l.x + l.line.width, bottom: l.y - LINE_BOX.below * l.size, top: l.y + LINE_BOX.above * l.size });
const text = (l: PlacedLine) => l.line.runs.map((r) => r.text).join("");

describe("invoice PDF layout with long values", () => {
  const layout = layoutInvoice(model);

  it("keeps every line inside the page margins", () => {
    expect(layout.pages).toBeGreaterThan(3);
    for (const line of layout.lines) {
      const b = box(line);
      expect(b.left).toBeGreaterThanOrEqual(PAGE.margin);
      expect(b.right).toBeLessThanOrEqual(PAGE.width - PAGE.margin + 1e-6);
      expect(b.bottom).toBeGreaterThanOrEqual(PAGE.margin);
      expect(b.top).toBeLessThanOrEqual(PAGE.height - PAGE.margin + 1e-6);
    }
  });

  it("never lets two lines overlap", () => {
    for (let page = 0; page < layout.pages; page++) {
      const boxes = layout.lines.filter((l) => l.page === page && l.line.width > 0).map((l) => ({ ...box(l), text: text(l) }));
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const [a, b] = [boxes[i]!, boxes[j]!];
          const overlaps = a.left < b.right && b.left < a.right && a.bottom < b.top && b.bottom < a.top;
          if (overlaps) expect.fail(`page ${page + 1}: "${a.text.slice(0, 40)}" overlaps "${b.text.slice(0, 40)}"`);
        }
      }
    }
  });

  it("wraps the long names in their blocks and repeats the table header on every page of items", () => {
    const firstPage = layout.lines.filter((l) => l.page === 0);
    const due = firstPage.find((l) => text(l).startsWith("Due:"))!;
    expect(due).toBeDefined();
    // The customer's lines end left of the dates' column.
    const customerLines = firstPage.filter((l) => l.size === 11 && l.weight === "bold" && l.y < due.y + 30 && l.x === PAGE.margin);
    expect(customerLines.length).toBeGreaterThan(2);
    expect(customerLines.map(text).join("").replaceAll(" ", "")).toBe(customerName.replaceAll(" ", ""));
    for (const line of customerLines) expect(line.x + line.line.width).toBeLessThan(Math.min(...firstPage.filter((l) => /^(Issued|Due|Currency):/.test(text(l))).map((l) => l.x)));
    const headerPages = new Set(layout.lines.filter((l) => text(l) === "Description").map((l) => l.page));
    const quantities = new Set(model.items.map((item) => item.quantity));
    const itemPages = new Set(layout.lines.filter((l) => quantities.has(text(l))).map((l) => l.page));
    expect(itemPages.size).toBeGreaterThan(2);
    for (const page of itemPages) expect(headerPages.has(page)).toBe(true);
    // Every Latin description comes back whole, in order (spaces at line breaks are not drawn).
    const all = layout.lines.map(text).join("").replaceAll(" ", "");
    let at = 0;
    for (const description of descriptions.filter((_, i) => i % 3 !== 2)) {
      at = all.indexOf(description.replaceAll(" ", ""), at);
      expect(at).toBeGreaterThanOrEqual(0);
    }
  });

  it("draws the PDF where the layout says: every extracted piece of text is inside the margins", { timeout: 60_000 }, async () => {
    const { pages, items } = await extractPdf(await drawInvoicePdf(model));
    expect(pages).toBe(layout.pages);
    for (const item of items.filter((i) => i.str.trim())) {
      expect(item.x).toBeGreaterThanOrEqual(PAGE.margin - 0.01);
      expect(item.x + item.width).toBeLessThanOrEqual(PAGE.width - PAGE.margin + 0.01);
      expect(item.y).toBeGreaterThanOrEqual(PAGE.margin);
      expect(item.y).toBeLessThanOrEqual(PAGE.height - PAGE.margin);
    }
  });
});

describe("layoutText wrapping", () => {
  const latin = fc.array(fc.constantFrom(..."AVToTyLTP.r,WMmiIl1 '-\"ÄéßØ0123456789abcdefXYZ", " ", " "), { maxLength: 160 }).map((c) => c.join(""));

  it("fills each line as far as it goes, within the width, losing no character", () => {
    fc.assert(
      fc.property(latin, fc.constantFrom(9, 10, 11, 22), fc.integer({ min: 4, max: 320 }), (value, size, width) => {
        const lines = layoutText(value, "regular", size, width);
        const texts = lines.map((l) => l.runs.map((r) => r.text).join(""));
        expect(texts.join("").replaceAll(" ", "")).toBe(value.replaceAll(" ", ""));
        const collapsed = Array.from(value.split(/\s+/).filter(Boolean).join(" "));
        let at = 0;
        lines.forEach((line, i) => {
          const chars = Array.from(texts[i]!);
          if (chars.length > 1) expect(line.width).toBeLessThanOrEqual(width + 1e-9);
          at += chars.length;
          const next = texts[i + 1];
          if (next === undefined) return;
          // Greedy: the next line's first word (or, after a cut, its first character) did not fit.
          const atSpace = collapsed[at] === " ";
          if (atSpace) at++;
          // A word moves to the next line whole when it does not fit, even where a cut piece of it would.
          const space = collapsed.indexOf(" ", at);
          const nextWord = collapsed.slice(at, space < 0 ? undefined : space).join("");
          const extended = atSpace ? `${texts[i]} ${nextWord}` : `${texts[i]}${Array.from(next)[0]}`;
          expect(layoutText(extended, "regular", size, Infinity)[0]!.width).toBeGreaterThan(width);
        });
      }),
      { numRuns: 1500 },
    );
  });

  it("cuts a 500-character word into lines that each fill the column", () => {
    const word = worstCaseDescriptions[0]!;
    const lines = layoutText(word, "regular", 10, 242);
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.map((l) => l.runs.map((r) => r.text).join("")).join("")).toBe(word);
    for (const line of lines) expect(line.width).toBeLessThanOrEqual(242);
    for (const line of lines.slice(0, -1)) expect(line.width).toBeGreaterThan(242 - 20);
  });

  it("puts a character wider than the column on a line of its own", () => {
    expect(layoutText("WWW", "regular", 10, 5).map((l) => l.runs.map((r) => r.text).join(""))).toEqual(["W", "W", "W"]);
    expect(layoutText("", "regular", 10, 100)).toEqual([{ runs: [], width: 0 }]);
  });
});
