import { router, scopeOf as scope, tenantProcedure } from "@/server/api/trpc";
import { getInvoice } from "@/server/modules/invoice/get-invoice";
import { getInvoiceStats } from "@/server/modules/invoice/invoice-stats";
import { listInvoices } from "@/server/modules/invoice/list-invoices";
import { getRevenueByMonth } from "@/server/modules/invoice/revenue-by-month";
import { getPublicLink, issuePublicLink, revokePublicLink } from "@/server/modules/invoice/public-link";
import { createInvoice, deleteInvoice, markInvoicePaid, markInvoiceUnpaid, sendInvoice, updateInvoice, voidInvoice } from "@/server/modules/invoice/mutate-invoice";
import {
  createInvoiceInput,
  invoiceIdInput,
  invoiceStatsInput,
  listInvoicesInput,
  markPaidInput,
  sendInvoiceInput,
  updateInvoiceInput,
} from "@/lib/schemas/invoice";

const read = tenantProcedure.meta({ permission: "invoice:read" });
const write = tenantProcedure.meta({ permission: "invoice:write" });

export const invoiceRouter = router({
  list: read.input(listInvoicesInput).query(({ ctx, input }) => listInvoices({ tenantId: ctx.tenant.id, db: ctx.db, input })),
  byId: read.input(invoiceIdInput).query(({ ctx, input }) => getInvoice({ tenantId: ctx.tenant.id, db: ctx.db, id: input.id })),
  stats: read.input(invoiceStatsInput).query(({ ctx, input }) => getInvoiceStats({ tenantId: ctx.tenant.id, db: ctx.db, projectId: input?.projectId })),
  revenueByMonth: read.query(({ ctx }) => getRevenueByMonth({ tenantId: ctx.tenant.id, db: ctx.db })),
  create: write.input(createInvoiceInput).mutation(({ ctx, input }) => createInvoice(scope(ctx), input)),
  update: write.input(updateInvoiceInput).mutation(({ ctx, input }) => updateInvoice(scope(ctx), input)),
  send: write.input(sendInvoiceInput).mutation(({ ctx, input }) => sendInvoice(scope(ctx), input)),
  markPaid: write.input(markPaidInput).mutation(({ ctx, input }) => markInvoicePaid(scope(ctx), input)),
  markUnpaid: write.input(invoiceIdInput).mutation(({ ctx, input }) => markInvoiceUnpaid(scope(ctx), input.id)),
  void: write.input(invoiceIdInput).mutation(({ ctx, input }) => voidInvoice(scope(ctx), input.id)),
  delete: write.input(invoiceIdInput).mutation(({ ctx, input }) => deleteInvoice(scope(ctx), input.id)),
  publicLink: router({
    get: read.input(invoiceIdInput).query(({ ctx, input }) => getPublicLink(scope(ctx), input.id)),
    issue: write.input(invoiceIdInput).mutation(({ ctx, input }) => issuePublicLink(scope(ctx), input.id)),
    revoke: write.input(invoiceIdInput).mutation(({ ctx, input }) => revokePublicLink(scope(ctx), input.id)),
  }),
});
