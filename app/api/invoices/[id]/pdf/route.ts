import { formatInvoiceNumber } from "@/lib/invoice-number";
import { renderInvoicePdf } from "@/server/documents/invoice-pdf";
import { errorResponse, routeCaller } from "@/server/route-caller";

export const dynamic = "force-dynamic";

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  try {
    const caller = await routeCaller(req);
    const [tenant, invoice] = await Promise.all([caller.tenant.current(), caller.invoice.byId({ id })]);
    const project = invoice.projectId ? await caller.project.byId({ id: invoice.projectId }) : null;
    const pdf = await renderInvoicePdf(invoice, tenant, project?.name ?? null);
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
