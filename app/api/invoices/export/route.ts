import { Readable, pipeline } from "node:stream";
import { stringify } from "csv-stringify";
import { formatInvoiceNumber } from "@/lib/invoice-number";
import { readInvoiceFilters } from "@/lib/invoice-list-params";
import { currencyDigits, type Currency } from "@/lib/money";
import { formatDecimal } from "@/lib/schemas/invoice-form";
import { errorResponse, routeCaller } from "@/server/api/route-caller";
import { log } from "@/lib/log.mjs";

export const dynamic = "force-dynamic";

const BATCH = 100;
/** The list's own offset limit: beyond it, narrow the filters. */
const MAX_ROWS = 100_000;

const columns = ["number", "status", "overdue", "customer", "customer_email", "project", "currency", "issue_date", "due_date", "subtotal", "tax", "total", "sent_at", "paid_at", "paid_on", "payment_method", "voided_at"];

/** A spreadsheet would run a cell that starts like a formula; customer names are user input. */
const cell = (value: string | null) => (value && /^[=+\-@\t\r]/.test(value) ? `'${value}` : (value ?? ""));

/**
 * The filtered list as CSV, streamed batch by batch through the same tenant procedure as the page
 * (each batch is its own call, so its own transaction under RLS). Amounts are plain decimals in
 * the invoice's currency, for spreadsheets rather than people.
 */
export async function GET(req: Request) {
  const { filters } = readInvoiceFilters(new URL(req.url).searchParams);
  try {
    const caller = await routeCaller(req);
    // The first batch is read before answering, so a refusal is a proper 401/403/404, not a broken download.
    const first = await caller.invoice.list({ ...filters, limit: BATCH, offset: 0 });

    async function* records() {
      let page = first;
      let offset = 0;
      for (;;) {
        for (const inv of page.items) {
          const digits = currencyDigits[inv.currency as Currency] ?? 2;
          const amount = (v: bigint) => formatDecimal(v, digits);
          yield [
            formatInvoiceNumber(inv.number, inv.numberPrefix),
            inv.status,
            inv.overdue ? "yes" : "no",
            cell(inv.customerName),
            cell(inv.customerEmail),
            cell(inv.projectName),
            inv.currency,
            inv.issueDate,
            inv.dueDate,
            amount(inv.subtotal),
            amount(inv.taxTotal),
            amount(inv.total),
            inv.sentAt?.toISOString() ?? "",
            inv.paidAt?.toISOString() ?? "",
            inv.paidOn ?? "",
            inv.paymentMethod ?? "",
            inv.voidedAt?.toISOString() ?? "",
          ];
        }
        offset += page.items.length;
        if (page.nextOffset === null || offset >= MAX_ROWS) return;
        page = await caller.invoice.list({ ...filters, limit: BATCH, offset });
      }
    }

    const csv = pipeline(Readable.from(records()), stringify({ header: true, columns, bom: true }), (error) => {
      if (error) log.error("invoice CSV export failed midway", { error });
    });
    const stamp = new Date().toISOString().slice(0, 10);
    return new Response(Readable.toWeb(csv) as ReadableStream<Uint8Array>, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="invoices-${stamp}.csv"`,
        "cache-control": "private, no-store",
      },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
