import { NextResponse, type NextRequest } from "next/server";
import { isLoopbackAddress, requestClientAddress } from "@/lib/client-address.mjs";
import { getDb } from "@/server/tenancy/pools";
import { tlsCertificateAllowed } from "@/server/modules/domain/tls-ask";

export const dynamic = "force-dynamic";

const headers = { "cache-control": "no-store", "content-type": "text/plain" };

/** Caddy's `on_demand_tls { ask … }`: 200 issues a certificate for ?domain=, anything else refuses. */
export async function GET(req: NextRequest) {
  /*
   * Only the TLS proxy on this machine asks, straight to the app server (no proxy hop). The address
   * is the one the server entry computed from the socket and TRUSTED_PROXIES, so a request relayed
   * by a proxy carries its real client's address and is refused: nobody outside can probe which
   * custom domains exist, or make the proxy's certificate issuance depend on their traffic. Unknown
   * (a server not started through scripts/serve.mjs) is refused too.
   */
  if (!isLoopbackAddress(requestClientAddress(req.headers))) return new NextResponse("forbidden", { status: 403, headers });
  const allowed = await tlsCertificateAllowed(getDb(), req.nextUrl.searchParams.get("domain"));
  return new NextResponse(allowed ? "ok" : "not found", { status: allowed ? 200 : 404, headers });
}
