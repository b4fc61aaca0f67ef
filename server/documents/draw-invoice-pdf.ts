import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from "pdf-lib";
import { formatMoney, type Currency } from "@/lib/money";

/** An amount in minor units, and as a plain decimal with its ISO code for when the font lacks the symbol. */
export type PdfMoney = { minor: bigint; plain: string };

/**
 * Everything the invoice PDF shows, formatted except for the amounts' symbols (Intl formatters cost
 * time, so they are made here, in the worker). Plain data only: it crosses to the render worker by
 * structured clone, and this module imports only pdf-lib and `lib/money`.
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

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 48;
const grey = rgb(0.4, 0.45, 0.5);

/**
 * The standard PDF fonts only cover WinAnsi (Latin-1 plus a few symbols). Anything else becomes
 * "?", and an amount whose symbol is not covered (₩) is written with its ISO code instead.
 */
function encoder(font: PDFFont, currency: string) {
  const supported = new Set(font.getCharacterSet());
  const covers = (text: string) => [...text].every((ch) => supported.has(ch.codePointAt(0)!));
  const text = (value: string) => [...value].map((ch) => (supported.has(ch.codePointAt(0)!) ? ch : "?")).join("");
  const money = (value: PdfMoney) => {
    const formatted = formatMoney(value.minor, currency as Currency);
    return covers(formatted) ? formatted : value.plain;
  };
  return { text, money };
}

type Metrics = { advance: Map<number, number>; kerning: Map<number, number> };
const metricsByFont = new Map<string, Metrics>();

/**
 * Widths in font units (1/1000 em): each glyph's advance and each adjacent pair's kerning, asked of
 * pdf-lib once per font and cached. A string's width is the sum of its advances and of its adjacent
 * pairs' kerning, exactly what `widthOfTextAtSize` adds up, so lines break where they always did.
 * Text must already be encodable (see `encoder`).
 */
function measure(font: PDFFont) {
  let metrics = metricsByFont.get(font.name);
  if (!metrics) metricsByFont.set(font.name, (metrics = { advance: new Map(), kerning: new Map() }));
  const { advance, kerning } = metrics;
  const advanceOf = (code: number) => {
    let w = advance.get(code);
    if (w === undefined) advance.set(code, (w = font.widthOfTextAtSize(String.fromCodePoint(code), 1000)));
    return w;
  };
  const kerningOf = (left: number | undefined, right: number | undefined) => {
    if (left === undefined || right === undefined) return 0;
    const key = left * 0x110000 + right;
    let k = kerning.get(key);
    if (k === undefined) kerning.set(key, (k = font.widthOfTextAtSize(String.fromCodePoint(left, right), 1000) - advanceOf(left) - advanceOf(right)));
    return k;
  };
  return { advanceOf, kerningOf };
}

/**
 * Greedy word wrap to `width` points, in time linear in the text. A word wider than the column is
 * cut at the longest prefix that fits (at least one character), not allowed to run over the next
 * column. Each character is measured once: a prefix's width is a difference of running sums.
 */
export function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const { advanceOf, kerningOf } = measure(font);
  const scale = size / 1000;
  const fits = (units: number) => units * scale <= width;
  const space = " ".codePointAt(0)!;
  const lines: string[] = [];
  let line = "";
  let lineUnits = 0;
  let lineLast: number | undefined;
  for (const word of text.split(/\s+/)) {
    const chars = Array.from(word);
    const codes = chars.map((ch) => ch.codePointAt(0)!);
    const n = codes.length;
    // run[i]: units of codes[0..i) plus the kerning of codes[i-1] with codes[i]; the width of the
    // slice [a, b) is run[b] - run[a] - kerning(b-1, b).
    const run = new Array<number>(n + 1);
    run[0] = 0;
    for (let i = 0; i < n; i++) run[i + 1] = run[i]! + advanceOf(codes[i]!) + kerningOf(codes[i], codes[i + 1]);
    const slice = (a: number, b: number) => run[b]! - run[a]! - kerningOf(codes[b - 1], codes[b]);

    const wordUnits = slice(0, n);
    const candidateUnits = line ? lineUnits + kerningOf(lineLast, space) + advanceOf(space) + kerningOf(space, codes[0]) + wordUnits : wordUnits;
    if (fits(candidateUnits)) {
      line = line ? `${line} ${word}` : word;
      lineUnits = candidateUnits;
      if (n > 0) lineLast = codes[n - 1];
      else if (line) lineLast = space;
      continue;
    }
    if (line) lines.push(line);
    let start = 0;
    while (n - start > 1 && !fits(slice(start, n))) {
      let end = start + 1;
      while (end + 1 < n && fits(slice(start, end + 1))) end++;
      lines.push(chars.slice(start, end).join(""));
      start = end;
    }
    line = chars.slice(start).join("");
    lineUnits = slice(start, n);
    lineLast = codes[n - 1];
  }
  if (line) lines.push(line);
  return lines.length ? lines : [""];
}

/** Draws the invoice. CPU-bound: the server runs it in the render worker (`render-pool.ts`), never on its event loop. */
export async function drawInvoicePdf(model: InvoicePdfModel): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const enc = encoder(regular, model.currency);
  const money = enc.money;

  doc.setTitle(`Invoice ${model.label}`);
  doc.setSubject(`${model.label} from ${enc.text(model.tenantName)}, total ${money(model.total)}`);
  doc.setAuthor(enc.text(model.tenantName));
  doc.setCreator("Canopy");
  doc.setProducer("Canopy (pdf-lib)");

  let page: PDFPage = doc.addPage(A4);
  let y = A4[1] - MARGIN;
  const right = A4[0] - MARGIN;
  const draw = (text: string, x: number, size = 10, font = regular, color = rgb(0.1, 0.1, 0.12)) =>
    page.drawText(enc.text(text), { x, y, size, font, color });
  const drawRight = (text: string, x: number, size = 10, font = regular) => {
    const safe = enc.text(text);
    page.drawText(safe, { x: x - font.widthOfTextAtSize(safe, size), y, size, font });
  };

  draw(model.tenantName, MARGIN, 11, bold);
  drawRight("INVOICE", right, 11, bold);
  y -= 28;
  draw(model.label, MARGIN, 22, bold);
  drawRight(model.status, right, 11, bold);
  y -= 32;

  const infoTop = y;
  draw("Bill to", MARGIN, 9, bold, grey);
  y -= 14;
  draw(model.customerName, MARGIN, 11, bold);
  if (model.customerEmail) {
    y -= 14;
    draw(model.customerEmail, MARGIN);
  }
  if (model.projectName) {
    y -= 14;
    draw(`Project: ${model.projectName}`, MARGIN, 10, regular, grey);
  }
  const leftBottom = y;
  y = infoTop;
  for (const [k, v] of [
    ["Issued", model.issued],
    ["Due", model.due],
    ...(model.paid ? [["Paid", model.paid] as const] : []),
    ["Currency", model.currency],
  ]) {
    drawRight(`${k}: ${v}`, right);
    y -= 14;
  }
  y = Math.min(leftBottom, y) - 28;

  const cols = { desc: MARGIN, qty: 330, price: 410, tax: 455, amount: right };
  const descWidth = cols.qty - 40 - cols.desc;
  const header = () => {
    draw("Description", cols.desc, 9, bold, grey);
    drawRight("Qty", cols.qty, 9, bold);
    drawRight("Unit price", cols.price, 9, bold);
    drawRight("Tax", cols.tax, 9, bold);
    drawRight("Amount", cols.amount, 9, bold);
    y -= 6;
    page.drawLine({ start: { x: MARGIN, y }, end: { x: right, y }, thickness: 0.5, color: grey });
    y -= 14;
  };
  header();
  for (const item of model.items) {
    const lines = wrap(enc.text(item.description), regular, 10, descWidth);
    if (y - lines.length * 13 < MARGIN + 80) {
      page = doc.addPage(A4);
      y = A4[1] - MARGIN;
      header();
    }
    drawRight(item.quantity, cols.qty);
    drawRight(money(item.unitPrice), cols.price);
    drawRight(item.taxRate, cols.tax);
    drawRight(money(item.amount), cols.amount);
    for (const line of lines) {
      draw(line, cols.desc);
      y -= 13;
    }
    y -= 4;
  }

  if (y < MARGIN + 70) {
    page = doc.addPage(A4);
    y = A4[1] - MARGIN;
  }
  y -= 4;
  page.drawLine({ start: { x: 330, y: y + 10 }, end: { x: right, y: y + 10 }, thickness: 0.5, color: grey });
  for (const [k, v, strong] of [
    ["Subtotal", money(model.subtotal), false],
    ["Tax", money(model.taxTotal), false],
    ["Total", money(model.total), true],
  ] as const) {
    drawRight(k, 430, strong ? 12 : 10, strong ? bold : regular);
    drawRight(v, right, strong ? 12 : 10, strong ? bold : regular);
    y -= strong ? 18 : 14;
  }

  // Without object streams the document's Info (title, subject) stays readable by simple tools.
  return doc.save({ useObjectStreams: false });
}
