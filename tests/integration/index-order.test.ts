import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Transaction } from "@/db/client";
import { listAuditInput } from "@/lib/schemas/audit";
import { listInvoicesInput } from "@/lib/schemas/invoice";
import { listCustomersInput } from "@/lib/schemas/customer";
import { listProjectsInput } from "@/lib/schemas/project";
import { explainInTenant, planNodes, statementsOf, type PlanNode } from "@/scripts/lib/query-plans";
import { listAudit } from "@/server/modules/audit/list-audit";
import { listInvoices } from "@/server/modules/invoice/list-invoices";
import { listCustomers } from "@/server/modules/customer/list-customers";
import { listProjects } from "@/server/modules/project/list-projects";
import { closeDb, createTenant, type TenantFixture } from "../support/fixtures";

/**
 * The newest-first lists must be able to read their order straight from an index. With the sort
 * disabled, a plan that still sorts means no index matches the ORDER BY (an index built DESC NULLS
 * LAST does not serve ORDER BY … DESC, which is NULLS FIRST), so every page would sort all of the
 * tenant's rows. Checked on the queries the handlers actually send.
 */
let t: TenantFixture;

beforeAll(async () => {
  t = await createTenant(undefined, { projects: 3, invoices: 3 });
});
afterAll(() => closeDb());

/** The statements `run` sends (minus the settings statement), planned in the tenant's scope with sorting disabled. */
async function plans(run: (tx: Transaction) => Promise<unknown>): Promise<{ query: string; nodes: PlanNode[] }[]> {
  const scope = { tenantId: t.id, userId: t.users.owner.id };
  const statements = await statementsOf(process.env.DATABASE_URL!, scope, run);
  const planned = await explainInTenant(process.env.DATABASE_URL!, scope, statements, { options: "costs", settings: ["enable_sort = off"] });
  return planned.map((p, i) => ({ query: statements[i]!.query, nodes: planNodes(p.Plan) }));
}

const sorts = (p: { nodes: PlanNode[] }) => p.nodes.filter((n) => n["Node Type"].includes("Sort")).map((n) => n["Node Type"]);
const indexes = (p: { nodes: PlanNode[] }) => p.nodes.map((n) => n["Index Name"]).filter(Boolean);

describe("newest-first lists read their order from an index", () => {
  it("invoice.list (default order)", async () => {
    const [rows] = await plans((tx) => listInvoices({ tenantId: t.id, data: tx }, listInvoicesInput.parse({})));
    expect(sorts(rows!)).toEqual([]);
    expect(indexes(rows!)).toContain("invoices_tenant_created_idx");
  });

  it("invoice.list oldest first (the same index backwards)", async () => {
    const [rows] = await plans((tx) => listInvoices({ tenantId: t.id, data: tx }, listInvoicesInput.parse({ direction: "asc" })));
    expect(sorts(rows!)).toEqual([]);
  });

  it("project.list, and project.list of one status", async () => {
    const [all] = await plans((tx) => listProjects({ tenantId: t.id, data: tx }, listProjectsInput.parse({})));
    expect(sorts(all!)).toEqual([]);
    const [active] = await plans((tx) => listProjects({ tenantId: t.id, data: tx }, listProjectsInput.parse({ status: "active" })));
    expect(sorts(active!)).toEqual([]);
  });

  it("customer.list (A–Z, also on a later page and with archived customers)", async () => {
    const cursor = Buffer.from(JSON.stringify(["m", crypto.randomUUID()])).toString("base64url");
    const cases = [
      { input: {}, index: "customers_tenant_active_name_key" },
      { input: { cursor }, index: "customers_tenant_active_name_key" },
      { input: { includeArchived: true }, index: "customers_tenant_name_idx" },
      { input: { includeArchived: true, cursor }, index: "customers_tenant_name_idx" },
    ];
    for (const { input, index } of cases) {
      const [rows] = await plans((tx) => listCustomers({ tenantId: t.id, data: tx }, listCustomersInput.parse(input)));
      expect({ input, sorts: sorts(rows!), indexes: indexes(rows!) }).toEqual({ input, sorts: [], indexes: [index] });
    }
  });

  it("audit.list", async () => {
    const found = await plans((tx) => listAudit({ tenantId: t.id, data: tx, directory: tx }, listAuditInput.parse({})));
    const list = found.find((p) => p.query.includes('from "audit_log"'));
    expect(list).toBeDefined();
    expect(sorts(list!)).toEqual([]);
  });
});
