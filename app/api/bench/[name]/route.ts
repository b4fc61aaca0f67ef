import { desc, eq } from "drizzle-orm";
import superjson from "superjson";
import { projects } from "@/db/schema/projects";
import { env } from "@/lib/env";
import { classifyHost, normalizeHost } from "@/lib/host";
import { readSession } from "@/server/auth";
import { floorDb } from "@/server/bench/floor-db";
import { wireCounts } from "@/server/bench/wire-count";
import { transactionCounts } from "@/db/tenant-transaction";
import { getDb } from "@/server/tenancy/pools";
import { resolveTenant } from "@/server/tenancy/directory";

export const dynamic = "force-dynamic";

/*
 * Floors for `npm run bench` (bench/run.ts), and nothing else. Safe to ship because it is inert:
 * without BENCH_MODE=1 every name is a 404, and only bench/run.ts sets it, on the server it starts
 * itself against its own throwaway database. The `projects` floor also needs
 * BENCH_FLOOR_DATABASE_URL, a BYPASSRLS role the bench creates in that database only.
 * The tRPC floor, the one ratio 1 compares against, is app/api/bench/trpc.
 */

const notFound = () => new Response("Not found", { status: 404 });

/**
 * project.list without the tenant procedure: the same cookie decode and cached Host → tenant
 * look-up, then the same SELECT with an explicit tenant filter, on one statement with no
 * transaction, no set_config, no session/membership check and no RLS policy.
 */
async function projectsFloor(req: Request) {
  const db = floorDb();
  if (!db) return notFound();
  const session = await readSession(req.headers.get("cookie"), req.headers.get("host"));
  if (!session) return Response.json({ error: "UNAUTHORIZED" }, { status: 401 });
  const host = normalizeHost(req.headers.get("host"));
  const tenant = await resolveTenant(getDb(), host ? classifyHost(host, env().ROOT_DOMAIN) : null);
  if (!tenant) return notFound();
  const limit = 20;
  const rows = await db
    .select()
    .from(projects)
    .where(eq(projects.tenantId, tenant.id))
    .orderBy(desc(projects.createdAt), desc(projects.id))
    .limit(limit + 1);
  return Response.json({ result: { data: superjson.serialize({ items: rows.slice(0, limit), nextCursor: null }) } });
}

export async function GET(req: Request, { params }: { params: Promise<{ name: string }> }) {
  if (process.env.BENCH_MODE !== "1") return notFound();
  const { name } = await params;
  if (name === "noop") return Response.json({ ok: true });
  if (name === "projects") return projectsFloor(req);
  // What one page render cost: bench/run.ts reads these before and after it.
  if (name === "counters") return Response.json({ ...transactionCounts, ...wireCounts });
  return notFound();
}
