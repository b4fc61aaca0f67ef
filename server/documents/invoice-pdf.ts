import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from "pdf-lib";
import { formatInvoiceNumber } from "@/lib/invoice-number";
import { currencyDigits, formatMoney, type Currency } from "@/lib/money";
import { formatDecimal, formatQuantity, formatTaxRate } from "@/lib/schemas/invoice-form";

export type InvoiceForPdf = {
  number: number;
  status: string;
  customerName: string;
  customerEmail: string | null;
  currency: string;
  issueDate: string;
  dueDate: string;
  subtotal: bigint;
  taxTotal: bigint;
  total: bigint;
  overdue: boolean;
  items: { description: string; quantityMilli: bigint; unitPrice: bigint; taxRateBp: number; amount: bigint }[];
};

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 48;
const grey = rgb(0.4, 0.45, 0.5);

/**
 * The standard PDF fonts only cover WinAnsi (Latin-1 plus a few symbols). Anything else becomes
 * "?", and an amount whose symbol is not covered (₩) is written with its ISO code instead.
 */
function encoder(font: PDFFont) {
  const supported = new Set(font.getCharacterSet());
  const covers = (text: string) => [...text].every((ch) => supported.has(ch.codePointAt(0)!));
  const text = (value: string) => [...value].map((ch) => (supported.has(ch.codePointAt(0)!) ? ch : "?")).join("");
  const money = (minor: bigint, currency: string) => {
    const formatted = formatMoney(minor, currency as Currency);
    return covers(formatted) ? formatted : `${formatDecimal(minor, currencyDigits[currency as Currency] ?? 2)} ${currency}`;
  };
  return { text, money };
}

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    const candidate = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(candidate, size) <= width) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    // A single word wider than the column is cut, not allowed to run over the next one.
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

const day = (iso: string) => new Date(`${iso}T00:00:00Z`).toLocaleDateString("en-US", { dateStyle: "long", timeZone: "UTC" });

export async function renderInvoicePdf(invoice: InvoiceForPdf, tenant: { name: string }, projectName: string | null): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const enc = encoder(regular);
  const label = formatInvoiceNumber(invoice.number);
  const money = (v: bigint) => enc.money(v, invoice.currency);

  doc.setTitle(`Invoice ${label}`);
  doc.setSubject(`${label} from ${enc.text(tenant.name)}, total ${money(invoice.total)}`);
  doc.setAuthor(enc.text(tenant.name));
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

  draw(tenant.name, MARGIN, 11, bold);
  drawRight("INVOICE", right, 11, bold);
  y -= 28;
  draw(label, MARGIN, 22, bold);
  drawRight(invoice.overdue ? "OVERDUE" : invoice.status.toUpperCase(), right, 11, bold);
  y -= 32;

  const infoTop = y;
  draw("Bill to", MARGIN, 9, bold, grey);
  y -= 14;
  draw(invoice.customerName, MARGIN, 11, bold);
  if (invoice.customerEmail) {
    y -= 14;
    draw(invoice.customerEmail, MARGIN);
  }
  if (projectName) {
    y -= 14;
    draw(`Project: ${projectName}`, MARGIN, 10, regular, grey);
  }
  const leftBottom = y;
  y = infoTop;
  for (const [k, v] of [
    ["Issued", day(invoice.issueDate)],
    ["Due", day(invoice.dueDate)],
    ["Currency", invoice.currency],
  ] as const) {
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
  for (const item of invoice.items) {
    const lines = wrap(enc.text(item.description), regular, 10, descWidth);
    if (y - lines.length * 13 < MARGIN + 80) {
      page = doc.addPage(A4);
      y = A4[1] - MARGIN;
      header();
    }
    drawRight(formatQuantity(item.quantityMilli), cols.qty);
    drawRight(money(item.unitPrice), cols.price);
    drawRight(`${formatTaxRate(item.taxRateBp)}%`, cols.tax);
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
    ["Subtotal", money(invoice.subtotal), false],
    ["Tax", money(invoice.taxTotal), false],
    ["Total", money(invoice.total), true],
  ] as const) {
    drawRight(k, 430, strong ? 12 : 10, strong ? bold : regular);
    drawRight(v, right, strong ? 12 : 10, strong ? bold : regular);
    y -= strong ? 18 : 14;
  }

  // Without object streams the document's Info (title, subject) stays readable by simple tools.
  return doc.save({ useObjectStreams: false });
}
