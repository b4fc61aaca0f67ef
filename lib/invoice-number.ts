/** INV-000042: per-tenant, gap-free numbers shown with six digits. */
export const formatInvoiceNumber = (n: number) => `INV-${String(n).padStart(6, "0")}`;
