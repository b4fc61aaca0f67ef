import { formatInvoiceNumber } from "@/lib/invoice-number";

const verbs: Record<string, string> = {
  "project.create": "created project",
  "project.update": "edited project",
  "project.archive": "archived project",
  "project.restore": "restored project",
  "project.delete": "deleted project",
  "invoice.create": "created invoice",
  "invoice.update": "edited invoice",
  "invoice.send": "sent invoice",
  "invoice.markPaid": "marked invoice paid",
  "invoice.markUnpaid": "marked invoice unpaid",
  "invoice.void": "voided invoice",
  "invoice.delete": "deleted invoice",
};

export const describeAction = (action: string) => verbs[action] ?? action;

/** Where an entry's subject lives, unless the action removed it. */
export function entityHref(entry: { action: string; entityType: string; entityId: string | null }): string | null {
  if (!entry.entityId || entry.action.endsWith(".delete")) return null;
  if (entry.entityType === "invoice") return `/invoices/${entry.entityId}`;
  if (entry.entityType === "project") return `/projects/${entry.entityId}`;
  return null;
}

/** A short name for the subject, from whatever the entry recorded (only changed fields are kept). */
export function entityLabel(entry: { before: Record<string, unknown> | null; after: Record<string, unknown> | null }): string | null {
  const source = { ...entry.before, ...entry.after };
  if (typeof source.number === "number") return formatInvoiceNumber(source.number);
  if (typeof source.name === "string") return source.name;
  if (typeof source.customerName === "string") return source.customerName;
  return null;
}
