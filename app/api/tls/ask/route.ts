import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/server/db";
import { tlsCertificateAllowed } from "@/server/routers/domain/tls-ask";

export const dynamic = "force-dynamic";

/** Caddy's `on_demand_tls { ask … }`: 200 issues a certificate for ?domain=, anything else refuses. */
export async function GET(req: NextRequest) {
  const allowed = await tlsCertificateAllowed(getDb(), req.nextUrl.searchParams.get("domain"));
  return new NextResponse(allowed ? "ok" : "not found", { status: allowed ? 200 : 404, headers: { "cache-control": "no-store", "content-type": "text/plain" } });
}
