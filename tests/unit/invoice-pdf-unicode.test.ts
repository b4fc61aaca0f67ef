import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderInvoicePdf, type InvoiceForPdf } from "@/server/documents/invoice-pdf";
import { SHAPING_FEATURES, glyphsFor, loadFont, type Family } from "@/server/documents/pdf-fonts";
import { layoutText } from "@/server/documents/text-layout";
import { extractPdf } from "../support/pdf-text";

const SAMPLE = "Zoë Ærøskøbing 🚀 株式会社テスト مرحبا Łódź";

const invoice = (customerName: string, descriptions: string[]): InvoiceForPdf => ({
  number: 9,
  status: "sent",
  customerName,
  customerEmail: "ap@example.test",
  currency: "KRW",
  issueDate: "2026-02-01",
  dueDate: "2026-02-28",
  subtotal: 5000n,
  taxTotal: 0n,
  total: 5000n,
  overdue: false,
  items: descriptions.map((description) => ({ description, quantityMilli: 1000n, unitPrice: 2500n, taxRateBp: 0, amount: 2500n })),
});

describe("invoice PDF in any script", () => {
  it("prints names in Latin, CJK, Arabic, Hebrew, Greek and Cyrillic, and reads them back", { timeout: 60_000 }, async () => {
    // Through the render worker, whose heap limit must hold the CJK fonts.
    const pdf = await renderInvoicePdf(invoice(SAMPLE, ["Übersetzung 翻訳 번역 中文服务", "ترجمة العربية — עברית שלום", "Ελληνικά Русский"]), { name: "株式会社 Ünïcode" }, "Проект Ωmega");
    const { text } = await extractPdf(pdf);
    // The rocket has no glyph in any embedded font: the replacement character, never "?".
    expect(text).toContain("Zoë Ærøskøbing \uFFFD 株式会社テスト مرحبا Łódź");
    for (const part of ["株式会社 Ünïcode", "Project: Проект Ωmega", "Übersetzung 翻訳 번역 中文服务", "ترجمة العربية", "עברית שלום", "Ελληνικά Русский", "₩5,000"]) {
      expect(text).toContain(part);
    }
    expect(text).not.toContain("?");
  });

  it("shapes Arabic into joined forms and lays right-to-left runs out right to left", () => {
    const [line] = layoutText("abc مرحبا def", "regular", 10, 500);
    const words = line!.runs.filter((r) => r.text.trim());
    expect(words.map((r) => r.family)).toEqual(["latin", "arabic", "latin"]);
    const arabic = words[1]!;
    const { font } = loadFont("arabic", "regular");
    const glyphs = glyphsFor(font, arabic.text);
    // Drawn left to right, the first glyph is the word's last letter (alef), the last its first (meem).
    expect(glyphs[0]!.codePoints).toEqual([0x627]);
    expect(glyphs.at(-1)!.codePoints).toEqual([0x645]);
    // Joined: meem takes its initial form, not the isolated glyph the cmap maps it to.
    expect(glyphs.at(-1)!.id).not.toBe(font.glyphForCodePoint(0x645).id);

    // In a right-to-left paragraph the words themselves are ordered right to left.
    const [rtl] = layoutText("مرحبا بالعالم", "regular", 10, 500);
    expect(rtl!.runs).toHaveLength(1);
    expect(glyphsFor(font, rtl!.runs[0]!.text)[0]!.codePoints).toEqual([0x645]);
  });

  it("chooses each character's font by coverage", () => {
    const [line] = layoutText("Zoë 株式会社 한국어 中文 שלום Ωmega", "bold", 10, 1000);
    const runs = line!.runs.map((r) => [r.family, r.text.trim()]).filter(([, text]) => text);
    // Spaces stay in the font of the text before them; Han goes to the Japanese font (first with it),
    // Hangul to the Korean one.
    expect(runs).toEqual([
      ["latin", "Zoë"],
      ["jp", "株式会社"],
      ["kr", "한국어"],
      ["jp", "中文"],
      ["hebrew", "שלום"],
      ["latin", "Ωmega"],
    ]);
  });

  it("draws text that needs no shaping with the cmap's glyphs, exactly as shaping would", () => {
    const families: [Family, string][] = [
      ["latin", "AVToTyWMfiffl.,;:!?'\"()[]{}-–—0123456789 ÄéßØŁóźΩαβγПривет"],
      ["jp", "株式会社テストひらがなカタカナ漢字、。「」 0123"],
      ["sc", "中文服务简体字，。"],
      ["kr", "한국어번역서비스 "],
    ];
    for (const [family, alphabet] of families) {
      const { font } = loadFont(family, "regular");
      const chars = Array.from(alphabet).filter((ch) => font.hasGlyphForCodePoint(ch.codePointAt(0)!));
      fc.assert(
        fc.property(fc.array(fc.constantFrom(...chars), { maxLength: 40 }), (picked) => {
          const text = picked.join("");
          expect(glyphsFor(font, text).map((g) => g.id)).toEqual(font.layout(text, SHAPING_FEATURES).glyphs.map((g) => g.id));
        }),
        { numRuns: 300 },
      );
    }
  });
});
