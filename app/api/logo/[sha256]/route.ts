import { env } from "@/lib/env";
import { classifyHost, normalizeHost } from "@/lib/host";
import { hostLogo } from "@/server/branding";
import { getDb } from "@/server/tenancy/pools";
import { errorResponse } from "@/server/api/route-caller";

export const dynamic = "force-dynamic";

/**
 * The logo of the Host's own tenant, public like its name (DESIGN: sign-in branding). The hash in
 * the URL is the content's, so the answer never changes and may be cached for a year.
 */
export async function GET(req: Request, { params }: { params: Promise<{ sha256: string }> }) {
  const { sha256 } = await params;
  try {
    const host = normalizeHost(req.headers.get("host"));
    const logo = await hostLogo(getDb(), host ? classifyHost(host, env().ROOT_DOMAIN) : null, sha256);
    if (!logo) return new Response("Not found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
    return new Response(new Uint8Array(logo.bytes), {
      headers: {
        // Stored only as PNG, JPEG or WebP (sniffed on upload), so the type is one a browser renders as an image, never as a document.
        "content-type": logo.contentType,
        "x-content-type-options": "nosniff",
        "content-security-policy": "default-src 'none'; sandbox",
        "cache-control": "public, max-age=31536000, immutable",
      },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
