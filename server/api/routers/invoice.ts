import { router, tenantProcedure } from "@/server/api/trpc";
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
  list: read.input(listInvoicesInput).query(({ ctx, input }) => listInvoices(ctx.scope, input)),
  byId: read.input(invoiceIdInput).query(({ ctx, input }) => getInvoice(ctx.scope, input)),
  stats: read.input(invoiceStatsInput).query(({ ctx, input }) => getInvoiceStats(ctx.scope, input)),
  revenueByMonth: read.query(({ ctx }) => getRevenueByMonth(ctx.scope)),
  create: write.input(createInvoiceInput).mutation(({ ctx, input }) => createInvoice(ctx.scope, input, ctx.tenant.plan)),
  update: write.input(updateInvoiceInput).mutation(({ ctx, input }) => updateInvoice(ctx.scope, input)),
  send: write.input(sendInvoiceInput).mutation(({ ctx, input }) => sendInvoice(ctx.scope, input)),
  markPaid: write.input(markPaidInput).mutation(({ ctx, input }) => markInvoicePaid(ctx.scope, input)),
  markUnpaid: write.input(invoiceIdInput).mutation(({ ctx, input }) => markInvoiceUnpaid(ctx.scope, input)),
  void: write.input(invoiceIdInput).mutation(({ ctx, input }) => voidInvoice(ctx.scope, input)),
  delete: write.input(invoiceIdInput).mutation(({ ctx, input }) => deleteInvoice(ctx.scope, input)),
  publicLink: router({
    get: read.input(invoiceIdInput).query(({ ctx, input }) => getPublicLink(ctx.scope, input)),
    issue: write.input(invoiceIdInput).mutation(({ ctx, input }) => issuePublicLink(ctx.scope, input)),
    revoke: write.input(invoiceIdInput).mutation(({ ctx, input }) => revokePublicLink(ctx.scope, input)),
  }),
});
