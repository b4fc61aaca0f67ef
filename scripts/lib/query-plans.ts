import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { Transaction } from "@/db/client";
import * as schema from "@/db/schema";
import { withTenant } from "@/db/tenant-transaction";

/** Tooling for the bench's EXPLAIN table and tests/integration/index-order.test.ts: the plans of the statements a handler sends. */

export type PlanNode = { "Node Type": string; "Relation Name"?: string; "Index Name"?: string; Plans?: PlanNode[] };
export type Statement = { query: string; params: unknown[] };
export type Plan = { Plan: PlanNode; "Execution Time"?: number };
type Scope = { tenantId: string; userId: string };

/** A plan's nodes, depth first. */
export const planNodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(planNodes)];

/** The statements `run` sends in the tenant's transaction on `url` (the app role), without the settings statement. */
export async function statementsOf(url: string, scope: Scope, run: (tx: Transaction) => Promise<unknown>): Promise<Statement[]> {
  const captured: Statement[] = [];
  const client = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    const db = drizzle(client, { schema, logger: { logQuery: (query, params) => void captured.push({ query, params }) } });
    await withTenant(db, scope, run);
  } finally {
    await client.end();
  }
  return captured.filter((c) => !c.query.includes("set_config"));
}

/**
 * EXPLAINs each statement as the app role with the tenant's settings, in one transaction that
 * first runs `settings` (SET LOCAL lines, say `enable_sort = off`). `options` goes inside EXPLAIN (…).
 */
export async function explainInTenant(url: string, scope: Scope, statements: Statement[], opts: { options: string; settings?: string[] }): Promise<Plan[]> {
  const client = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    return await client.begin(async (tx) => {
      await tx`select set_config('app.tenant_id', ${scope.tenantId}, true), set_config('app.user_id', ${scope.userId}, true)`;
      for (const setting of opts.settings ?? []) await tx.unsafe(`set local ${setting}`);
      const plans: Plan[] = [];
      for (const s of statements) {
        const [row] = await tx.unsafe<{ "QUERY PLAN": Plan[] }[]>(`explain (${opts.options}, format json) ${s.query}`, s.params as postgres.ParameterOrJSON<never>[]);
        plans.push(row!["QUERY PLAN"][0]!);
      }
      return plans;
    });
  } finally {
    await client.end();
  }
}
