import { sql } from "drizzle-orm";
import type { PgTransactionConfig } from "drizzle-orm/pg-core";
import { z } from "zod";
import type { Database, Transaction } from "./client";
import { gated } from "./pool-gate";

const uuid = z.uuid();

/**
 * `placement`: the placement this database is (see db/placements.ts). When given, the first
 * statement also passes the tenant's move fence there (drizzle/0012): it waits while a move
 * pauses the tenant's writes and fails with PlacementMovedError when the rows are no longer
 * here. Omitted only for transactions on the shared database's directory tables, which never move.
 */
export type TenantScope = { tenantId: string; userId?: string | null; placement?: string | null };

/** SQLSTATE raised by app_tenant_fence when the tenant's rows are not in this database. */
export const PLACEMENT_MOVED_CODE = "CN001";

export function isPlacementMoved(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if ((e as { code?: unknown }).code === PLACEMENT_MOVED_CODE) return true;
  }
  return false;
}

/**
 * Noisy neighbour: one tenant's runaway query is cancelled after this long, so it cannot hold
 * connections the other tenants need. Transaction-local, like the tenant setting.
 */
const STATEMENT_TIMEOUT_MS = String(Number(process.env.TENANT_STATEMENT_TIMEOUT_MS ?? 5000));

/**
 * Runs `fn` in its own transaction scoped to one tenant. The setting is transaction-local
 * (`set_config(..., true)`) and bound as a parameter, so it cannot leak to the next user of a
 * pooled connection and cannot be used for SQL injection.
 */
export async function withTenant<T>(db: Database, scope: TenantScope, fn: (tx: Transaction) => Promise<T>, config?: PgTransactionConfig): Promise<T> {
  const tenantId = uuid.parse(scope.tenantId);
  const userId = scope.userId ? uuid.parse(scope.userId) : "";
  const fence = scope.placement ? sql`, app_tenant_fence(${tenantId}::uuid, ${scope.placement})` : sql``;
  return gated(db, () =>
    db.transaction(async (tx) => {
      // Sent without waiting for its answer, so the driver can pipeline it with fn's first
      // statement (one round trip fewer). Safe because PostgreSQL runs one connection's statements
      // in the order sent, and every drizzle query reaches postgres.js after the same number of
      // microtasks, so this one is always sent first: fn's first statement, and with it every RLS
      // policy, already sees the setting. Were the order ever to flip, that statement would run
      // with no tenant: no rows and refused writes (the tenant procedure's session check then
      // refuses the call), never another tenant's data. postgres.js pipelines only prepared
      // statements; with drizzle's unnamed (unprepared) queries it still waits in between.
      const setting = tx
        .execute(
          sql`select set_config('app.tenant_id', ${tenantId}, true), set_config('app.user_id', ${userId}, true), set_config('statement_timeout', ${STATEMENT_TIMEOUT_MS}, true)${fence}`,
        )
        .then(() => undefined);
      const [, result] = await Promise.all([setting, fn(tx)]);
      return result;
    }, config),
  );
}

/** A transaction that knows only the user (for the user's own row and "my workspaces"). */
export async function withUser<T>(db: Database, userId: string, fn: (tx: Transaction) => Promise<T>): Promise<T> {
  const id = uuid.parse(userId);
  return gated(db, () =>
    db.transaction(async (tx) => {
      await tx.execute(sql`select set_config('app.user_id', ${id}, true), set_config('statement_timeout', ${STATEMENT_TIMEOUT_MS}, true)`);
      return fn(tx);
    }),
  );
}
