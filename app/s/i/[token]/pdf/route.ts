import { invoicePdfFile } from "@/server/mail/attachments";
import { getDb } from "@/server/tenancy/pools";
import { chargePublicView, withPublicInvoice } from "@/server/invoice-links/public-invoice";
import { requestAddress, requestHost } from "@/server/invoice-links/request";
import { errorResponse } from "@/server/api/route-caller";

export const dynamic = "force-dynamic";

/** The URL holds the bearer token: no Referer, no indexing, no shared cache (next.config repeats the first two for /i/). */
const privateHeaders = { "referrer-policy": "no-referrer", "x-robots-tag": "noindex, nofollow, noarchive", "cache-control": "private, no-store" };
const notFound = () => new Response("Not found", { status: 404, headers: { ...privateHeaders, "content-type": "text/plain; charset=utf-8" } });

/** The PDF of exactly the invoice this token opens, on its tenant's hosts only. */
export async function GET(req: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  try {
    const wait = await chargePublicView(requestAddress(req.headers));
    if (wait > 0) return new Response("Too many requests", { status: 429, headers: { ...privateHeaders, "retry-after": String(wait), "content-type": "text/plain; charset=utf-8" } });
    const file = await withPublicInvoice(getDb(), requestHost(req.headers), token, ({ scope, invoice }) => invoicePdfFile(scope, invoice.id));
    if (!file) return notFound();
    return new Response(new Uint8Array(file.content), {
      headers: { ...privateHeaders, "content-type": file.contentType, "content-disposition": `attachment; filename="${file.filename}"` },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
