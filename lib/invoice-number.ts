/** The prefix of invoices issued before a tenant chose its own, and of tenants that never did. */
export const DEFAULT_INVOICE_PREFIX = "INV-";

/** Letters, digits and dashes, at most 10: safe in file names, mail subjects and CSV cells as typed. */
export const INVOICE_PREFIX_PATTERN = /^[A-Za-z0-9-]{1,10}$/;

/**
 * `ACME-000042`: per-tenant, gap-free numbers shown with six digits after the prefix the invoice
 * was issued under (`invoices.number_prefix`), never the tenant's current one.
 */
export const formatInvoiceNumber = (n: number, prefix: string = DEFAULT_INVOICE_PREFIX) => `${prefix}${String(n).padStart(6, "0")}`;
