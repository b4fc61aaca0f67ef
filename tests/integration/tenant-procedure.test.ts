import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projects } from "@/db/schema/projects";
import { router, tenantProcedure } from "@/server/api/trpc";
import { appDb, closeDb, createTenant, handleHttp, tenantFingerprint, type TenantFixture } from "../support/fixtures";

/** A router built from the real ladder, with handlers that expose what the ladder does. */
const probe = router({
  txid: tenantProcedure.meta({ permission: "project:read" }).query(async ({ ctx }) => {
    const [row] = await ctx.scope.data.execute<{ txid: string; tenant: string }>(
      sql`select txid_current()::text as txid, current_setting('app.tenant_id', true) as tenant`,
    );
    return row!;
  }),
  writeThenFail: tenantProcedure.meta({ permission: "project:write" }).mutation(async ({ ctx }) => {
    await ctx.scope.data.insert(projects).values({ tenantId: ctx.tenant.id, name: "half-written" });
    throw new Error("boom after a write");
  }),
});

let a: TenantFixture;
beforeAll(async () => {
  a = await createTenant();
});
afterAll(closeDb);

function callBatch(paths: string[], method: "GET" | "POST") {
  const url = `http://${a.host}/api/trpc/${paths.join(",")}?batch=1${method === "GET" ? `&input=${encodeURIComponent(JSON.stringify({}))}` : ""}`;
  const body = method === "POST" ? JSON.stringify(Object.fromEntries(paths.map((_, i) => [i, {}]))) : undefined;
  const req = new Request(url, { method, body, headers: { host: a.host, "content-type": "application/json" } });
  return handleHttp(req, a, probe);
}

describe("the tenant procedure", () => {
  it("gives each call of one HTTP batch its own transaction, each carrying the tenant", async () => {
    const res = await callBatch(["txid", "txid", "txid"], "GET");
    // superjson wraps each payload in { json }.
    const body = (await res.json()) as { result: { data: { json: { txid: string; tenant: string } } } }[];
    expect(body).toHaveLength(3);
    const txids = body.map((r) => r.result.data.json.txid);
    expect(new Set(txids).size).toBe(3);
    for (const r of body) expect(r.result.data.json.tenant).toBe(a.id);
  });

  it("rolls back what a failing handler wrote, and hides the internal error", async () => {
    const before = await tenantFingerprint(appDb(), a.id);
    const res = await callBatch(["writeThenFail"], "POST");
    const [body] = (await res.json()) as { error: { json: { message: string; data: { code: string } } } }[];
    expect(body?.error.json.data.code).toBe("INTERNAL_SERVER_ERROR");
    expect(body?.error.json.message).toMatch(/^Something went wrong \(ref [0-9a-f]{8}\)$/);
    expect(JSON.stringify(body)).not.toContain("boom");
    expect(await tenantFingerprint(appDb(), a.id)).toBe(before);
  });
});
