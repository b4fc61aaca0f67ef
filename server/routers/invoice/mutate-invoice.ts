import { and, eq, sql } from "drizzle-orm";
import type { Transaction } from "@/db/client";
import { invoiceCounters, invoiceItems, invoices, type InvoiceStatus } from "@/db/schema/invoices";
import { invoiceTotals, type LineInput } from "@/lib/money";
import { writeAudit } from "@/server/audit/write-audit";
import { AppError } from "@/server/errors";
import { assertInvoiceQuota } from "@/server/plan-limits";
import { enqueueTenantJob } from "@/server/jobs/enqueue";
import { queues } from "@/server/jobs/queues";
import { getProject } from "../project/get-project";
import { allocateInvoiceNumber } from "./allocate-number";
import { findInvoiceRow, getInvoice, listInvoiceItems } from "./get-invoice";
import type { CreateInvoiceInput, LineItemInput, UpdateInvoiceInput } from "@/lib/schemas/invoice";

type Scope = { tenantId: string; userId: string | null; db: Transaction };

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

async function insertItems(db: Transaction, tenantId: string, invoiceId: string, items: LineItemInput[]) {
  const totals = computeTotals(items.map(toLine));
  await db.insert(invoiceItems).values(
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
async function assertProject(db: Transaction, tenantId: string, projectId: string | null | undefined) {
  if (projectId) await getProject({ tenantId, db, id: projectId });
}

export async function createInvoice({ tenantId, plan, userId, db }: Scope & { plan: string }, input: CreateInvoiceInput) {
  await assertProject(db, tenantId, input.projectId);
  await assertInvoiceQuota(db, { id: tenantId, plan });
  // Last check before the number: a refused request must not even queue on the tenant's counter.
  const totals = computeTotals(input.items.map(toLine));
  const number = await allocateInvoiceNumber(db, tenantId);
  const [row] = await db
    .insert(invoices)
    .values({
      tenantId,
      number,
      projectId: input.projectId ?? null,
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
  await insertItems(db, tenantId, row.id, input.items);
  const created = await getInvoice({ tenantId, db, id: row.id });
  await writeAudit(db, { tenantId, actorUserId: userId, action: "invoice.create", entityType: "invoice", entityId: row.id, after: created });
  return created;
}

export async function updateInvoice({ tenantId, userId, db }: Scope, input: UpdateInvoiceInput) {
  const locked = await findInvoiceRow({ tenantId, db, id: input.id, lock: true });
  if (locked.status !== "draft") throw new AppError("INVALID_TRANSITION", "Only draft invoices can be edited");
  const before = await getInvoice({ tenantId, db, id: input.id });
  await assertProject(db, tenantId, input.projectId);

  const issueDate = input.issueDate ?? before.issueDate;
  const dueDate = input.dueDate ?? before.dueDate;
  if (dueDate < issueDate) throw new AppError("BAD_REQUEST", "Due date cannot be before the issue date");

  let totals;
  if (input.items) {
    await db.delete(invoiceItems).where(and(eq(invoiceItems.tenantId, tenantId), eq(invoiceItems.invoiceId, input.id)));
    totals = await insertItems(db, tenantId, input.id, input.items);
  } else {
    totals = computeTotals(await listInvoiceItems(db, tenantId, input.id));
  }

  await db
    .update(invoices)
    .set({
      projectId: input.projectId === undefined ? before.projectId : input.projectId,
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
  const after = await getInvoice({ tenantId, db, id: input.id });
  await writeAudit(db, { tenantId, actorUserId: userId, action: "invoice.update", entityType: "invoice", entityId: input.id, before, after });
  return after;
}

const transitions = {
  send: { from: ["draft"], to: "sent", stamp: "sentAt", refusal: "Only draft invoices can be sent" },
  markPaid: { from: ["sent"], to: "paid", stamp: "paidAt", refusal: "Only sent invoices can be marked paid" },
  void: { from: ["draft", "sent"], to: "void", stamp: "voidedAt", refusal: "Only draft or sent invoices can be voided" },
} as const satisfies Record<string, { from: readonly InvoiceStatus[]; to: InvoiceStatus; stamp: "sentAt" | "paidAt" | "voidedAt"; refusal: string }>;

export type InvoiceTransition = keyof typeof transitions;

/** `jobs`: a transaction on the shared database, where the job queue lives (the same as `db` for shared tenants). */
export async function transitionInvoice({ tenantId, userId, db, jobs }: Scope & { jobs: Transaction }, id: string, name: InvoiceTransition) {
  const transition = transitions[name];
  const before = await findInvoiceRow({ tenantId, db, id, lock: true });
  if (!(transition.from as readonly InvoiceStatus[]).includes(before.status)) {
    throw new AppError("INVALID_TRANSITION", `${transition.refusal}; this invoice is ${before.status}`);
  }
  await db
    .update(invoices)
    .set({ status: transition.to, [transition.stamp]: new Date() })
    .where(and(eq(invoices.tenantId, tenantId), eq(invoices.id, id)));
  const after = await getInvoice({ tenantId, db, id });
  await writeAudit(db, { tenantId, actorUserId: userId, action: `invoice.${name}`, entityType: "invoice", entityId: id, before, after });
  // The email job is queued in the call's transaction: it exists exactly when the invoice is sent
  // (for a tenant in a dedicated database, in the shared one's, which commits after this one).
  if (name === "send" && after.customerEmail) await enqueueTenantJob(jobs, queues.invoiceEmail, { tenantId, invoiceId: id });
  return after;
}

/**
 * Only drafts can be deleted; anything sent is a financial record and can only be voided. Numbers
 * stay gap-free: only the tenant's highest-numbered invoice may go, and its number is handed back
 * to the counter in the same transaction. Locking the counter first queues this behind (and ahead
 * of) concurrent creations, so "highest" cannot change between the check and the delete.
 */
export async function deleteInvoice({ tenantId, userId, db }: Scope, id: string) {
  const [counter] = await db
    .select({ lastNumber: invoiceCounters.lastNumber })
    .from(invoiceCounters)
    .where(eq(invoiceCounters.tenantId, tenantId))
    .for("update");
  const locked = await findInvoiceRow({ tenantId, db, id, lock: true });
  if (locked.status !== "draft") throw new AppError("INVALID_TRANSITION", "Only draft invoices can be deleted; void it instead");
  if (counter?.lastNumber !== locked.number) throw new AppError("INVALID_TRANSITION", "Only the latest draft can be deleted; void it instead");
  const before = await getInvoice({ tenantId, db, id });
  // Items go with it (ON DELETE CASCADE on the composite foreign key).
  await db.delete(invoices).where(and(eq(invoices.tenantId, tenantId), eq(invoices.id, id)));
  await db
    .update(invoiceCounters)
    .set({ lastNumber: sql`${invoiceCounters.lastNumber} - 1` })
    .where(eq(invoiceCounters.tenantId, tenantId));
  await writeAudit(db, { tenantId, actorUserId: userId, action: "invoice.delete", entityType: "invoice", entityId: id, before });
  return { id };
}
