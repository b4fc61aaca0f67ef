import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

/** A piece of text as pdf.js reads it from the page: `x`, `y` of its baseline start, in points. */
export type PdfTextItem = { page: number; str: string; x: number; y: number; width: number; height: number };

/**
 * The text of a PDF as a reader extracts it (pdf.js: fonts' ToUnicode maps, bidi-ordered runs), with
 * each item's position; `text` is the items in order, a line break where pdf.js sees one.
 */
export async function extractPdf(bytes: Uint8Array): Promise<{ pages: number; items: PdfTextItem[]; text: string }> {
  const doc = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false }).promise;
  const items: PdfTextItem[] = [];
  let text = "";
  try {
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      for (const item of content.items) {
        if (!("str" in item)) continue;
        const [, , , , x, y] = item.transform as number[];
        items.push({ page: n, str: item.str, x: x!, y: y!, width: item.width, height: item.height });
        text += item.str + (item.hasEOL ? "\n" : "");
      }
      text += "\n";
    }
  } finally {
    await doc.destroy();
  }
  return { pages: items.length ? Math.max(...items.map((i) => i.page)) : 0, items, text };
}
