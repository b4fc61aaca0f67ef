import { formatInvoiceNumber } from "@/lib/invoice-number";
import { billToDetails } from "@/lib/invoice-parties";
import { renderInvoicePdf } from "@/server/documents/invoice-pdf";
import { errorResponse, routeCaller } from "@/server/api/route-caller";

export const dynamic = "force-dynamic";

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  try {
    const caller = await routeCaller(req);
    const [tenant, seller, invoice] = await Promise.all([caller.tenant.current(), caller.tenant.seller(), caller.invoice.byId({ id })]);
    const [project, draftCustomer] = await Promise.all([
      invoice.projectId ? caller.project.byId({ id: invoice.projectId }) : null,
      invoice.status === "draft" && invoice.customerId ? caller.customer.byId({ id: invoice.customerId }) : null,
    ]);
    const billTo = billToDetails(invoice, draftCustomer);
    const pdf = await renderInvoicePdf({ ...invoice, customerAddress: billTo.address, customerTaxId: billTo.taxId }, { name: tenant.name, seller }, project?.name ?? null);
    return new Response(Buffer.from(pdf), {
      headers: {
        "content-type": "application/pdf",
        "content-disposition": `attachment; filename="${formatInvoiceNumber(invoice.number, invoice.numberPrefix)}.pdf"`,
        "cache-control": "private, no-store",
      },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
