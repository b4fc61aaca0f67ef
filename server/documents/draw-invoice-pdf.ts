import { PDFDocument, rgb, type PDFFont, type RGB } from "pdf-lib";
import { formatMoney, type Currency } from "@/lib/money";
import { familyFor, loadFont, sharedFontkit, type Family, type Weight } from "./pdf-fonts";
import { layoutText, type TextLine } from "./text-layout";

/** An amount in minor units, and as a plain decimal with its ISO code for when no font has the symbol. */
export type PdfMoney = { minor: bigint; plain: string };

/**
 * Everything the invoice PDF shows, formatted except for the amounts' symbols (Intl formatters cost
 * time, so they are made here, in the worker). Plain data only: it crosses to the render worker by
 * structured clone.
 */
export type InvoicePdfModel = {
  label: string;
  tenantName: string;
  status: string;
  customerName: string;
  customerEmail: string | null;
  projectName: string | null;
  issued: string;
  due: string;
  /** "November 3, 2026 (bank transfer)" once paid with a recorded date. */
  paid: string | null;
  currency: string;
  items: { description: string; quantity: string; unitPrice: PdfMoney; taxRate: string; amount: PdfMoney }[];
  subtotal: PdfMoney;
  taxTotal: PdfMoney;
  total: PdfMoney;
};

export const PAGE: { width: number; height: number; margin: number } = { width: 595.28, height: 841.89, margin: 48 };
const grey = rgb(0.4, 0.45, 0.5);
const ink = rgb(0.1, 0.1, 0.12);
/** Space between columns and between the left and right blocks, in points. */
const GAP = 16;
/** Baseline to baseline, as a multiple of the font size. */
const LEADING = 1.3;
/**
 * The part of a line a glyph of common scripts occupies, as multiples of the font size above and below
 * the baseline: the box a placed line is checked with, and what must stay inside the margins.
 */
export const LINE_BOX = { above: 0.85, below: 0.25 };

/** One line placed on a page: `y` is its baseline, `x` its left edge. */
export type PlacedLine = { page: number; x: number; y: number; size: number; weight: Weight; color: RGB; line: TextLine };
export type PlacedRule = { page: number; x1: number; x2: number; y: number };
export type InvoiceLayout = { pages: number; lines: PlacedLine[]; rules: PlacedRule[] };

/**
 * Where every line of the invoice goes. Every value is wrapped to the width of its block or column, so
 * nothing runs into its neighbour or off the page; item rows flow onto further pages, each starting
 * with the table header. Pure layout (no PDF objects), which the tests check directly.
 */
export function layoutInvoice(model: InvoicePdfModel): InvoiceLayout {
  const { width: pageWidth, height: pageHeight, margin } = PAGE;
  const left = margin;
  const right = pageWidth - margin;
  const top = pageHeight - margin;
  const lines: PlacedLine[] = [];
  const rules: PlacedRule[] = [];
  let page = 0;
  // A page's first baseline sits so an 11 pt line starts at the top margin.
  const firstBaseline = top - LINE_BOX.above * 11;
  let y = firstBaseline;

  const money = (value: PdfMoney) => {
    const formatted = formatMoney(value.minor, model.currency as Currency);
    return Array.from(formatted).every((ch) => familyFor(ch.codePointAt(0)!) !== null) ? formatted : value.plain;
  };
  const wrap = (text: string, size: number, weight: Weight, width: number) => layoutText(text, weight, size, Math.max(width, 1));
  const single = (text: string, size: number, weight: Weight) => layoutText(text, weight, size, Infinity)[0]!;
  const place = (line: TextLine, x: number, size: number, weight: Weight, color = ink) => {
    lines.push({ page, x, y, size, weight, color, line });
  };
  const placeRight = (line: TextLine, x: number, size: number, weight: Weight, color = ink) => place(line, x - line.width, size, weight, color);
  const newPage = () => {
    page++;
    y = firstBaseline;
  };
  /** Whether a line of `size` whose baseline is `drop` below the current one still fits above the bottom margin. */
  const room = (drop: number, size: number) => y - drop - LINE_BOX.below * size >= margin;

  /** A value wrapped at the left of the row, with a short word at the right of its first line. */
  const rowBeside = (value: string, size: number, word: string, wordSize: number) => {
    const beside = single(word, wordSize, "bold");
    placeRight(beside, right, wordSize, "bold");
    wrap(value, size, "bold", right - left - beside.width - GAP).forEach((line, i) => {
      if (i > 0) y -= size * LEADING;
      place(line, left, size, "bold");
    });
  };
  rowBeside(model.tenantName, 11, "INVOICE", 11);
  y -= 28;
  rowBeside(model.label, 22, model.status, 11);
  y -= 32;

  // The dates on the right at their natural width; the customer block takes the rest of the row.
  const facts = [`Issued: ${model.issued}`, `Due: ${model.due}`, ...(model.paid ? [`Paid: ${model.paid}`] : []), `Currency: ${model.currency}`];
  const factsWidth = Math.min(Math.max(...facts.map((text) => single(text, 10, "regular").width)), (right - left) / 2);
  const infoTop = y;
  for (const fact of facts) {
    for (const line of wrap(fact, 10, "regular", factsWidth)) {
      placeRight(line, right, 10, "regular");
      y -= 14;
    }
  }
  const lastFact = y + 14;
  y = infoTop;
  const billWidth = right - left - factsWidth - GAP;
  const billBlock: [string, number, Weight, RGB][] = [["Bill to", 9, "bold", grey], [model.customerName, 11, "bold", ink]];
  if (model.customerEmail) billBlock.push([model.customerEmail, 10, "regular", ink]);
  if (model.projectName) billBlock.push([`Project: ${model.projectName}`, 10, "regular", grey]);
  billBlock.forEach(([text, size, weight, color], block) => {
    wrap(text, size, weight, billWidth).forEach((line, i) => {
      if (block > 0 || i > 0) y -= 14;
      if (!room(0, size)) newPage();
      place(line, left, size, weight, color);
    });
  });
  y = (page === 0 ? Math.min(y, lastFact) : y) - 28;

  // Items: numeric columns as wide as their widest cell, the description takes the rest.
  const cells = model.items.map((item) => [item.quantity, money(item.unitPrice), item.taxRate, money(item.amount)].map((text) => single(text, 10, "regular")));
  const headers = ["Qty", "Unit price", "Tax", "Amount"].map((text) => single(text, 9, "bold"));
  const columnWidths = headers.map((header, c) => Math.max(header.width, ...cells.map((row) => row[c]!.width)));
  const columnRights: number[] = [];
  let edge = right;
  for (let c = columnWidths.length - 1; c >= 0; c--) {
    columnRights[c] = edge;
    edge -= columnWidths[c]! + GAP;
  }
  const descWidth = Math.max(edge - left, 60);
  const tableHeader = () => {
    place(single("Description", 9, "bold"), left, 9, "bold", grey);
    headers.forEach((header, c) => placeRight(header, columnRights[c]!, 9, "bold"));
    y -= 6;
    rules.push({ page, x1: left, x2: right, y });
    y -= 14;
  };
  if (!room(20 + 13, 10)) newPage();
  tableHeader();
  model.items.forEach((item, index) => {
    const descLines = wrap(item.description, 10, "regular", descWidth);
    // An item starts on the next page when it does not fit here but would on a page of its own; one
    // longer than a page flows line by line.
    const itemHeight = (descLines.length - 1) * 13;
    if (!room(itemHeight, 10) && itemHeight < top - margin - 60) {
      newPage();
      tableHeader();
    }
    descLines.forEach((line, i) => {
      if (i > 0) {
        y -= 13;
        if (!room(0, 10)) {
          newPage();
          tableHeader();
        }
      }
      if (i === 0) cells[index]!.forEach((cell, c) => placeRight(cell, columnRights[c]!, 10, "regular"));
      place(line, left, 10, "regular");
    });
    y -= 17;
  });

  // Totals: labels right-aligned beside the widest amount.
  const totals = ([
    ["Subtotal", money(model.subtotal), 10, "regular"],
    ["Tax", money(model.taxTotal), 10, "regular"],
    ["Total", money(model.total), 12, "bold"],
  ] as const).map(([label, value, size, weight]) => ({ label: single(label, size, weight), value: single(value, size, weight), size, weight }));
  const valuesWidth = Math.max(...totals.map((t) => t.value.width));
  const labelsRight = right - valuesWidth - GAP;
  const labelsLeft = labelsRight - Math.max(...totals.map((t) => t.label.width));
  if (!room(4 + 14 + 14, 12)) newPage();
  y -= 4;
  rules.push({ page, x1: Math.min(labelsLeft, right - 217), x2: right, y: y + 10 });
  for (const t of totals) {
    placeRight(t.label, labelsRight, t.size, t.weight);
    placeRight(t.value, right, t.size, t.weight);
    y -= t.size === 12 ? 18 : 14;
  }
  return { pages: page + 1, lines, rules };
}

/** Draws the invoice. CPU-bound: the server runs it in the render worker (`render-pool.ts`), never on its event loop. */
export async function drawInvoicePdf(model: InvoicePdfModel): Promise<Uint8Array> {
  const layout = layoutInvoice(model);
  const doc = await PDFDocument.create();
  doc.registerFontkit(sharedFontkit);
  const fonts = new Map<string, PDFFont>();
  // Only the fonts the invoice uses are embedded, each subset to the glyphs it draws.
  const fontOf = async (family: Family, weight: Weight) => {
    const key = `${family}/${weight}`;
    let font = fonts.get(key);
    if (!font) fonts.set(key, (font = await doc.embedFont(loadFont(family, weight).bytes, { subset: true })));
    return font;
  };

  doc.setTitle(`Invoice ${model.label}`);
  doc.setSubject(`${model.label} from ${model.tenantName}`);
  doc.setAuthor(model.tenantName);
  doc.setCreator("Canopy");
  doc.setProducer("Canopy (pdf-lib)");

  const pages = Array.from({ length: layout.pages }, () => doc.addPage([PAGE.width, PAGE.height]));
  for (const { page, x, y, size, weight, color, line } of layout.lines) {
    let at = x;
    for (const run of line.runs) {
      pages[page]!.drawText(run.text, { x: at, y, size, font: await fontOf(run.family, weight), color });
      at += run.width;
    }
  }
  for (const rule of layout.rules) pages[rule.page]!.drawLine({ start: { x: rule.x1, y: rule.y }, end: { x: rule.x2, y: rule.y }, thickness: 0.5, color: grey });

  // Without object streams the document's Info (title, subject) stays readable by simple tools.
  return doc.save({ useObjectStreams: false });
}
