import { timingSafeEqual } from "node:crypto";
import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { classifyHost, normalizeHost } from "@/lib/host";
import { getDb } from "@/server/tenancy/pools";
import { resolveTenant } from "@/server/tenancy/directory";

export const dynamic = "force-dynamic";

function authorized(req: NextRequest): boolean {
  const given = Buffer.from(req.headers.get("x-canopy-internal") ?? "");
  const expected = Buffer.from(env().INTERNAL_SECRET);
  // Shared secret with the middleware: outsiders cannot use this endpoint to enumerate hosts.
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function GET(req: NextRequest) {
  if (!authorized(req)) return NextResponse.json({ error: "not found" }, { status: 404 });
  const host = normalizeHost(req.nextUrl.searchParams.get("host"));
  const classified = host ? classifyHost(host, env().ROOT_DOMAIN) : null;
  const tenant = await resolveTenant(getDb(), classified);
  return NextResponse.json(
    { tenant: tenant ? { id: tenant.id, slug: tenant.slug, status: tenant.status } : null },
    { headers: { "cache-control": "no-store" } },
  );
}
