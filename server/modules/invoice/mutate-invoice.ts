import { and, eq, sql } from "drizzle-orm";
import type { Transaction } from "@/db/client";
import { invoiceCounters, invoiceItems, invoices, type InvoiceStatus } from "@/db/schema/invoices";
import { invoiceTotals, type LineInput } from "@/lib/money";
import { writeAudit } from "@/server/audit/write-audit";
import { AppError } from "@/server/errors";
import { assertInvoiceQuota } from "@/server/plan-limits";
import { enqueueTenantJob } from "@/server/jobs/enqueue";
import { queues } from "@/server/jobs/queues";
import { getCustomer } from "@/server/modules/customer/get-customer";
import { getProject } from "@/server/modules/project/get-project";
import { currentInvoicePrefix } from "@/server/modules/tenant/get-tenant-settings";
import { allocateInvoiceNumber } from "@/server/modules/invoice/allocate-number";
import { findInvoiceRow, getInvoice, listInvoiceItems } from "@/server/modules/invoice/get-invoice";
import { createPublicLink, endPublicLink } from "@/server/modules/invoice/public-link";
import { formatDay, utcDay } from "@/lib/calendar-day";
import { formatInvoiceNumber } from "@/lib/invoice-number";
import type { TenantScope } from "@/server/tenancy/enter-tenant";
import type { CreateInvoiceInput, LineItemInput, MarkPaidInput, SendInvoiceInput, UpdateInvoiceInput } from "@/lib/schemas/invoice";

/**
 * What the audit log keeps of an invoice: its fields and its lines by content (lines are
 * re-inserted on every edit, so their ids and timestamps would read as changes), without the
 * computed `overdue` flag.
 */
function auditSnapshot(invoice: Awaited<ReturnType<typeof getInvoice>>) {
  const { id: _id, tenantId: _tenant, createdAt: _created, updatedAt: _updated, overdue: _overdue, items, ...fields } = invoice;
  return { ...fields, items: items.map((i) => ({ description: i.description, quantityMilli: i.quantityMilli, unitPrice: i.unitPrice, taxRateBp: i.taxRateBp, amount: i.amount })) };
}
/** Kept in every invoice entry so the sentence names the invoice and formats its money. */
const invoiceIdentity = ["number", "numberPrefix", "currency", "customerName", "customerEmail"] as const;

/** Totals are always computed here from the lines: a client never sends an amount. */
function computeTotals(lines: LineInput[]) {
  try {
    return invoiceTotals(lines);
  } catch (e) {
    if (e instanceof RangeError) throw new AppError("BAD_REQUEST", "The invoice total is too large");
    throw e;
  }
}

const toLine = (item: LineItemInput): LineInput => ({ quantityMilli: item.quantity, unitPrice: item.unitPrice, taxRateBp: item.taxRateBp });

async function insertItems({ tenantId, data }: Pick<TenantScope, "tenantId" | "data">, invoiceId: string, items: LineItemInput[]) {
  const totals = computeTotals(items.map(toLine));
  await data.insert(invoiceItems).values(
    items.map((item, i) => ({
      tenantId,
      invoiceId,
      position: i + 1,
      description: item.description,
      quantityMilli: item.quantity,
      unitPrice: item.unitPrice,
      taxRateBp: item.taxRateBp,
      amount: totals.lines[i]!.amount,
    })),
  );
  return totals;
}

/** The composite foreign key would reject another tenant's project too; this makes it a clean NOT_FOUND. */
async function assertProject(scope: Pick<TenantScope, "tenantId" | "data">, projectId: string | null | undefined) {
  if (projectId) await getProject(scope, { id: projectId });
}

/**
 * A saved customer of this tenant (another tenant's id is NOT_FOUND, like the foreign key would
 * refuse it) that is still in use: an archived customer is not offered for new invoices.
 */
async function assertCustomer(scope: Pick<TenantScope, "tenantId" | "data">, customerId: string | null | undefined, current?: string | null) {
  if (!customerId || customerId === current) return;
  const customer = await getCustomer(scope, { id: customerId });
  if (customer.archivedAt) {
    const message = "This customer is archived; choose another or type the customer's details";
    throw new AppError("BAD_REQUEST", message, { customerId: [message] });
  }
}

/** `plan`: the tenant's plan (from the directory), whose monthly invoice quota the create must fit. */
export async function createInvoice(scope: Pick<TenantScope, "tenantId" | "userId" | "data">, input: CreateInvoiceInput, plan: string) {
  const { tenantId, userId, data } = scope;
  await assertProject(scope, input.projectId);
  await assertCustomer(scope, input.customerId);
  await assertInvoiceQuota(data, { id: tenantId, plan });
  // Last check before the number: a refused request must not even queue on the tenant's counter.
  const totals = computeTotals(input.items.map(toLine));
  const number = await allocateInvoiceNumber(scope);
  // Stored with the number: a later change of the tenant's prefix never renames an issued invoice.
  const numberPrefix = await currentInvoicePrefix(scope);
  const [row] = await data
    .insert(invoices)
    .values({
      tenantId,
      number,
      numberPrefix,
      projectId: input.projectId ?? null,
      customerId: input.customerId ?? null,
      customerName: input.customerName,
      customerEmail: input.customerEmail ?? null,
      currency: input.currency,
      issueDate: input.issueDate,
      dueDate: input.dueDate,
      subtotal: totals.subtotal,
      taxTotal: totals.taxTotal,
      total: totals.total,
    })
    .returning();
  if (!row) throw new Error("insert returned no row");
  await insertItems(scope, row.id, input.items);
  const created = await getInvoice(scope, { id: row.id });
  await writeAudit(data, { tenantId, actorUserId: userId, action: "invoice.create", entityType: "invoice", entityId: row.id, after: auditSnapshot(created) });
  return created;
}

export async function updateInvoice(scope: Pick<TenantScope, "tenantId" | "userId" | "data">, input: UpdateInvoiceInput) {
  const { tenantId, userId, data } = scope;
  const locked = await findInvoiceRow(scope, { id: input.id, lock: true });
  if (locked.status !== "draft") throw new AppError("INVALID_TRANSITION", "Only draft invoices can be edited");
  const before = await getInvoice(scope, { id: input.id });
  await assertProject(scope, input.projectId);
  await assertCustomer(scope, input.customerId, before.customerId);

  const issueDate = input.issueDate ?? before.issueDate;
  const dueDate = input.dueDate ?? before.dueDate;
  if (dueDate < issueDate) throw new AppError("BAD_REQUEST", "Due date cannot be before the issue date");

  let totals;
  if (input.items) {
    await data.delete(invoiceItems).where(and(eq(invoiceItems.tenantId, tenantId), eq(invoiceItems.invoiceId, input.id)));
    totals = await insertItems(scope, input.id, input.items);
  } else {
    totals = computeTotals(await listInvoiceItems(scope, input.id));
  }

  await data
    .update(invoices)
    .set({
      projectId: input.projectId === undefined ? before.projectId : input.projectId,
      customerId: input.customerId === undefined ? before.customerId : input.customerId,
      customerName: input.customerName ?? before.customerName,
      customerEmail: input.customerEmail === undefined ? before.customerEmail : input.customerEmail,
      currency: input.currency ?? before.currency,
      issueDate,
      dueDate,
      subtotal: totals.subtotal,
      taxTotal: totals.taxTotal,
      total: totals.total,
    })
    .where(and(eq(invoices.tenantId, tenantId), eq(invoices.id, input.id)));
  const after = await getInvoice(scope, { id: input.id });
  await writeAudit(data, { tenantId, actorUserId: userId, action: "invoice.update", entityType: "invoice", entityId: input.id, before: auditSnapshot(before), after: auditSnapshot(after), keep: invoiceIdentity });
  return after;
}

async function setInvoice({ tenantId, data }: Pick<TenantScope, "tenantId" | "data">, id: string, values: Partial<typeof invoices.$inferInsert>) {
  await data
    .update(invoices)
    .set(values)
    .where(and(eq(invoices.tenantId, tenantId), eq(invoices.id, id)));
}

const labelOf = (row: { number: number; numberPrefix: string }) => formatInvoiceNumber(row.number, row.numberPrefix);

/**
 * Sends a draft, saving `customerEmail` first when given (one transaction: the address and the
 * send commit together or not at all). A send of an invoice that already went out (a double
 * click, a retry) is a CONFLICT that says so, not a failure that reads like the send itself broke.
 */
export async function sendInvoice(scope: Pick<TenantScope, "tenantId" | "userId" | "data" | "directory">, input: SendInvoiceInput) {
  const { tenantId, userId, data, directory } = scope;
  const before = await findInvoiceRow(scope, { id: input.id, lock: true });
  if (before.status !== "draft" && before.sentAt) {
    throw new AppError("CONFLICT", `${labelOf(before)} was already sent on ${formatDay(utcDay(before.sentAt))}; it is ${before.status} now`);
  }
  if (before.status !== "draft") throw new AppError("INVALID_TRANSITION", `Only draft invoices can be sent; this invoice is ${before.status}`);
  // The linked customer's details as they are now become the invoice's for good: a sent invoice
  // is a document the customer holds, and editing the customer later must not rewrite it. The
  // draft's own address (picked from the customer, perhaps changed for this invoice) goes first.
  const customer = before.customerId ? await getCustomer(scope, { id: before.customerId }) : null;
  const customerEmail = input.customerEmail ?? before.customerEmail ?? customer?.email;
  if (!customerEmail) {
    throw new AppError("BAD_REQUEST", "This invoice has no customer email address to send it to", {
      customerEmail: ["Enter the address to send this invoice to"],
    });
  }
  const previous = await getInvoice(scope, { id: input.id });

  const snapshot = customer ? { customerName: customer.name, customerAddress: customer.billingAddress, customerTaxId: customer.taxId } : {};
  await setInvoice(scope, input.id, { status: "sent", sentAt: new Date(), customerEmail, ...snapshot });
  const after = await getInvoice(scope, { id: input.id });
  await writeAudit(data, { tenantId, actorUserId: userId, action: "invoice.send", entityType: "invoice", entityId: input.id, before: auditSnapshot(previous), after: auditSnapshot(after), keep: invoiceIdentity });
  // The email job is queued in the call's transaction: it exists exactly when the invoice is sent
  // (for a tenant in a dedicated database, in the shared one's, which commits after this one).
  // The link's token exists only here and in the email it goes out in (its hash is what is stored).
  const linkToken = await createPublicLink(scope, input.id);
  await enqueueTenantJob(directory, queues.invoiceEmail, { tenantId, invoiceId: input.id, linkToken });
  return after;
}

/**
 * The database's calendar (UTC) for payment dates. `latest` is today somewhere on earth (UTC+14):
 * a person east of UTC may record a payment made on their today, which is UTC's tomorrow.
 */
async function paymentCalendar(data: Transaction) {
  const [row] = await data.execute<{ today: string; latest: string; periodStart: string }>(sql`
    select (now() at time zone 'UTC')::date::text as "today",
           ((now() at time zone 'UTC') + interval '14 hours')::date::text as "latest",
           date_trunc('month', now() at time zone 'UTC')::date::text as "periodStart"`);
  if (!row) throw new Error("calendar query returned no row");
  return row;
}

const paidOnError = (message: string) => new AppError("BAD_REQUEST", message, { paidOn: [message] });

/** Records the payment of a sent invoice: the day it was paid (today when omitted) and, when given, how. */
export async function markInvoicePaid(scope: Pick<TenantScope, "tenantId" | "userId" | "data">, input: MarkPaidInput) {
  const { tenantId, userId, data } = scope;
  const before = await findInvoiceRow(scope, { id: input.id, lock: true });
  if (before.status === "paid") {
    throw new AppError("CONFLICT", `${labelOf(before)} was already marked paid on ${formatDay(before.paidOn ?? utcDay(before.paidAt ?? new Date()))}`);
  }
  if (before.status !== "sent") throw new AppError("INVALID_TRANSITION", `Only sent invoices can be marked paid; this invoice is ${before.status}`);
  const calendar = await paymentCalendar(data);
  const paidOn = input.paidOn ?? calendar.today;
  if (paidOn > calendar.latest) throw paidOnError("The payment date cannot be in the future");
  if (paidOn < before.issueDate) throw paidOnError(`The payment date cannot be before the issue date (${formatDay(before.issueDate)})`);
  const previous = await getInvoice(scope, { id: input.id });

  await setInvoice(scope, input.id, { status: "paid", paidAt: new Date(), paidOn, paymentMethod: input.method ?? null });
  const after = await getInvoice(scope, { id: input.id });
  await writeAudit(data, { tenantId, actorUserId: userId, action: "invoice.markPaid", entityType: "invoice", entityId: input.id, before: auditSnapshot(previous), after: auditSnapshot(after), keep: invoiceIdentity });
  return after;
}

/**
 * Undoes "mark paid" (back to sent) while the payment falls in the current calendar month. An
 * earlier month is a period that may already be reported on (the dashboard's revenue, an
 * accountant's books): changing it silently would rewrite figures someone has seen.
 */
export async function markInvoiceUnpaid(scope: Pick<TenantScope, "tenantId" | "userId" | "data">, { id }: { id: string }) {
  const { tenantId, userId, data } = scope;
  const before = await findInvoiceRow(scope, { id, lock: true });
  if (before.status !== "paid") throw new AppError("INVALID_TRANSITION", `Only paid invoices can be marked unpaid; this invoice is ${before.status}`);
  const { periodStart } = await paymentCalendar(data);
  // Invoices marked paid before payment dates were recorded count by the day it was recorded.
  const paidOn = before.paidOn ?? utcDay(before.paidAt ?? new Date(0));
  if (paidOn < periodStart) {
    throw new AppError("INVALID_TRANSITION", `The payment on ${formatDay(paidOn)} is in a closed period; only payments dated this month can be undone`);
  }
  const previous = await getInvoice(scope, { id });

  await setInvoice(scope, id, { status: "sent", paidAt: null, paidOn: null, paymentMethod: null });
  const after = await getInvoice(scope, { id });
  await writeAudit(data, { tenantId, actorUserId: userId, action: "invoice.markUnpaid", entityType: "invoice", entityId: id, before: auditSnapshot(previous), after: auditSnapshot(after), keep: invoiceIdentity });
  return after;
}

const voidable: readonly InvoiceStatus[] = ["draft", "sent"];

export async function voidInvoice(scope: Pick<TenantScope, "tenantId" | "userId" | "data">, { id }: { id: string }) {
  const { tenantId, userId, data } = scope;
  const before = await findInvoiceRow(scope, { id, lock: true });
  if (!voidable.includes(before.status)) throw new AppError("INVALID_TRANSITION", `Only draft or sent invoices can be voided; this invoice is ${before.status}`);
  const previous = await getInvoice(scope, { id });

  await setInvoice(scope, id, { status: "void", voidedAt: new Date() });
  await endPublicLink(scope, id);
  const after = await getInvoice(scope, { id });
  await writeAudit(data, { tenantId, actorUserId: userId, action: "invoice.void", entityType: "invoice", entityId: id, before: auditSnapshot(previous), after: auditSnapshot(after), keep: invoiceIdentity });
  return after;
}

/**
 * Only drafts can be deleted; anything sent is a financial record and can only be voided. Numbers
 * stay gap-free: only the tenant's highest-numbered invoice may go, and its number is handed back
 * to the counter in the same transaction. Locking the counter first queues this behind (and ahead
 * of) concurrent creations, so "highest" cannot change between the check and the delete.
 */
export async function deleteInvoice(scope: Pick<TenantScope, "tenantId" | "userId" | "data">, { id }: { id: string }) {
  const { tenantId, userId, data } = scope;
  const [counter] = await data
    .select({ lastNumber: invoiceCounters.lastNumber })
    .from(invoiceCounters)
    .where(eq(invoiceCounters.tenantId, tenantId))
    .for("update");
  const locked = await findInvoiceRow(scope, { id, lock: true });
  if (locked.status !== "draft") throw new AppError("INVALID_TRANSITION", "Only draft invoices can be deleted; void it instead");
  if (counter?.lastNumber !== locked.number) throw new AppError("INVALID_TRANSITION", "Only the latest draft can be deleted; void it instead");
  const before = await getInvoice(scope, { id });
  // Items go with it (ON DELETE CASCADE on the composite foreign key).
  await data.delete(invoices).where(and(eq(invoices.tenantId, tenantId), eq(invoices.id, id)));
  await data
    .update(invoiceCounters)
    .set({ lastNumber: sql`${invoiceCounters.lastNumber} - 1` })
    .where(eq(invoiceCounters.tenantId, tenantId));
  await writeAudit(data, { tenantId, actorUserId: userId, action: "invoice.delete", entityType: "invoice", entityId: id, before: auditSnapshot(before) });
  return { id };
}
