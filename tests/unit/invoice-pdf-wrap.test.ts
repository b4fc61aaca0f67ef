import fc from "fast-check";
import { PDFDocument, StandardFonts, type PDFFont } from "pdf-lib";
import { beforeAll, describe, expect, it } from "vitest";
import { wrap } from "@/server/documents/draw-invoice-pdf";
import { worstCaseDescriptions } from "../support/worst-case-invoice";

/** The previous implementation, which measured every prefix again (quadratic per word): the oracle for short text. */
function wrapByPrefixes(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    const candidate = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(candidate, size) <= width) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    let rest = word;
    while (font.widthOfTextAtSize(rest, size) > width && rest.length > 1) {
      let cut = rest.length - 1;
      while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut--;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    line = rest;
  }
  if (line) lines.push(line);
  return lines.length ? lines : [""];
}

let regular: PDFFont;
let bold: PDFFont;
beforeAll(async () => {
  const doc = await PDFDocument.create();
  regular = await doc.embedFont(StandardFonts.Helvetica);
  bold = await doc.embedFont(StandardFonts.HelveticaBold);
});

// Kerning pairs (AV, To, Ty, LT, P., r,), punctuation, digits, Latin-1 and spaces.
const alphabet = [..."AVToTyLTP.r,WMmiIl1 '-\"ÄéßØ0123456789abcdefXYZ"];
const text = fc.array(fc.constantFrom(...alphabet, " ", " ", "  "), { maxLength: 120 }).map((chars) => chars.join(""));

describe("wrap", () => {
  it("breaks lines exactly where measuring every prefix did", () => {
    fc.assert(
      fc.property(text, fc.constantFrom(9, 10, 11, 22), fc.integer({ min: 4, max: 320 }), fc.boolean(), (value, size, width, useBold) => {
        const font = useBold ? bold : regular;
        expect(wrap(value, font, size, width)).toEqual(wrapByPrefixes(value, font, size, width));
      }),
      { numRuns: 2000 },
    );
  });

  it("keeps every line within the width, loses no character and cuts long words", () => {
    for (const description of worstCaseDescriptions.slice(0, 10)) {
      const lines = wrap(description, regular, 10, 242);
      expect(lines.length).toBeGreaterThan(10);
      expect(lines.join("")).toBe(description);
      for (const line of lines) expect(regular.widthOfTextAtSize(line, 10)).toBeLessThanOrEqual(242);
    }
    const prose = `${"Consulting services for the quarter, as agreed. ".repeat(20)}${worstCaseDescriptions[0]!.slice(0, 300)} end`;
    const lines = wrap(prose, regular, 10, 242);
    expect(lines.join("").replaceAll(" ", "")).toBe(prose.replaceAll(" ", ""));
    for (const line of lines) expect(regular.widthOfTextAtSize(line, 10)).toBeLessThanOrEqual(242);
  });

  it("puts a character wider than the column on a line of its own", () => {
    expect(wrap("WWW", regular, 10, 5)).toEqual(["W", "W", "W"]);
    expect(wrap("", regular, 10, 100)).toEqual([""]);
  });
});
