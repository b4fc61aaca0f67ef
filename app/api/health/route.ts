import { sql } from "drizzle-orm";
import { NextResponse } from "next/server";
import { getDb } from "@/server/tenancy/pools";

export const dynamic = "force-dynamic";

export async function GET() {
  try {
    await getDb().execute(sql`select 1`);
    return NextResponse.json({ ok: true });
  } catch {
    return NextResponse.json({ ok: false }, { status: 503 });
  }
}
