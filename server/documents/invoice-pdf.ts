import type { PaymentMethod } from "@/db/schema/invoices";
import { formatDay } from "@/lib/calendar-day";
import { formatInvoiceNumber } from "@/lib/invoice-number";
import { paymentMethodLabels } from "@/lib/schemas/invoice";
import { currencyDigits, type Currency } from "@/lib/money";
import { formatDecimal, formatQuantity, formatTaxRate } from "@/lib/schemas/invoice-form";
import type { InvoicePdfModel, PdfMoney } from "./draw-invoice-pdf";
import type { SellerParty } from "@/server/modules/tenant/get-tenant-settings";
import { pdfRenderPool } from "./render-pool";

export type InvoiceForPdf = {
  number: number;
  /** The prefix the number was issued under (absent: the default). */
  numberPrefix?: string;
  status: string;
  customerName: string;
  customerEmail: string | null;
  /** The buyer's address and tax ID as printed (see `billToDetails`). */
  customerAddress?: string | null;
  customerTaxId?: string | null;
  currency: string;
  issueDate: string;
  dueDate: string;
  subtotal: bigint;
  taxTotal: bigint;
  total: bigint;
  overdue: boolean;
  paidOn?: string | null;
  paymentMethod?: PaymentMethod | null;
  items: { description: string; quantityMilli: bigint; unitPrice: bigint; taxRateBp: number; amount: bigint }[];
};

const day = formatDay;

/** The workspace's display name heads the PDF; the seller (legal name, address, tax ID) is its "From" block. */
export type PdfTenant = { name: string; seller?: SellerParty };

const lines = (text: string | null | undefined) => (text ? text.split("\n").filter((line) => line.trim() !== "") : []);

/** The invoice as the PDF prints it: formatted here (cheap parts only), drawn in the render worker. */
export function invoicePdfModel(invoice: InvoiceForPdf, tenant: PdfTenant, projectName: string | null): InvoicePdfModel {
  const digits = currencyDigits[invoice.currency as Currency] ?? 2;
  const money = (minor: bigint): PdfMoney => ({ minor, plain: `${formatDecimal(minor, digits)} ${invoice.currency}` });
  return {
    label: formatInvoiceNumber(invoice.number, invoice.numberPrefix),
    tenantName: tenant.name,
    status: invoice.overdue ? "OVERDUE" : invoice.status.toUpperCase(),
    seller: { name: tenant.seller?.name ?? tenant.name, address: lines(tenant.seller?.postalAddress), taxId: tenant.seller?.taxId ?? null },
    customerName: invoice.customerName,
    customerEmail: invoice.customerEmail,
    customerAddress: lines(invoice.customerAddress),
    customerTaxId: invoice.customerTaxId ?? null,
    projectName,
    issued: day(invoice.issueDate),
    due: day(invoice.dueDate),
    paid: invoice.status === "paid" && invoice.paidOn ? `${day(invoice.paidOn)}${invoice.paymentMethod ? ` (${paymentMethodLabels[invoice.paymentMethod].toLowerCase()})` : ""}` : null,
    currency: invoice.currency,
    items: invoice.items.map((item) => ({
      description: item.description,
      quantity: formatQuantity(item.quantityMilli),
      unitPrice: money(item.unitPrice),
      taxRate: `${formatTaxRate(item.taxRateBp)}%`,
      amount: money(item.amount),
    })),
    subtotal: money(invoice.subtotal),
    taxTotal: money(invoice.taxTotal),
    total: money(invoice.total),
  };
}

/**
 * The invoice as a PDF, rendered in the process's render worker so the event loop stays free.
 * Throws `PdfRenderError` (503) when the workers are saturated or the render exceeds its time bound.
 */
export function renderInvoicePdf(invoice: InvoiceForPdf, tenant: PdfTenant, projectName: string | null): Promise<Uint8Array> {
  return pdfRenderPool().render(invoicePdfModel(invoice, tenant, projectName));
}
