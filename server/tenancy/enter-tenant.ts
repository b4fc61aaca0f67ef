import type { SQL } from "drizzle-orm";
import type { PgTransactionConfig } from "drizzle-orm/pg-core";
import type { Database, Transaction } from "@/db/client";
import { SHARED_PLACEMENT } from "@/db/placements";
import { isPlacementMoved, withTenant, type SetupRow } from "@/db/tenant-transaction";
import { AppError } from "@/server/errors";
import { jobTenant, onPlacement } from "./placement";

/**
 * What every business function gets: one tenant, who acts, and the two transactions it may use.
 * Both run with app.tenant_id (and app.user_id) set, so RLS scopes every statement to the tenant.
 */
export type TenantScope = {
  tenantId: string;
  /** The person acting (null for an API key, a job, or a signed-out path such as a public link). */
  userId: string | null;
  /** The API key acting, when the caller is one (writeAudit attributes entries to it). */
  apiKeyId: string | null;
  /**
   * The transaction on the database that holds the tenant's business rows (its placement):
   * projects, invoices, customers, the audit log, the email outbox. Passed the move fence.
   */
  data: Transaction;
  /**
   * The transaction on the shared database, for the directory tables that never move
   * (memberships, invitations, API keys, domains, SSO, hand-offs) and the job queue. The same
   * transaction as `data` while the tenant lives in the shared database.
   */
  directory: Transaction;
};

/** A scope for work on directory tables alone (no business rows, so no placement is opened). */
export type DirectoryScope = Omit<TenantScope, "data">;

/** Enough of a directory row to find the tenant's rows: its id and placement. */
export type PlacedTenant = { id: string; placement: string };

export type EnterOptions<P extends PlacedTenant> = {
  /** The tenant, by id (its placement is read from the directory) or as just read by the caller. */
  tenant: string | P;
  userId?: string | null;
  /**
   * Reads the tenant afresh after the fence refused its cached placement (a move finished in
   * between). Default: the directory row by id. It may refuse (throw) when the tenant is gone.
   */
  relocate?: (stale: P) => Promise<P>;
  /** Extra columns on the directory transaction's settings statement (see db/tenant-transaction.ts). */
  probe?: SQL;
  /** Transaction modes for both transactions (an export reads one snapshot each, read-only). */
  config?: PgTransactionConfig;
};

export type Entered<P extends PlacedTenant> = {
  /** The tenant as finally entered (after a relocation, the fresh row). */
  tenant: P;
  /** The directory settings statement's row: the probe's columns. */
  probed: Promise<SetupRow>;
};

async function byId(shared: Database, tenantId: string): Promise<PlacedTenant> {
  const row = await jobTenant(shared, tenantId);
  if (!row) throw new AppError("NOT_FOUND", "No such workspace");
  return row;
}

/**
 * The one way into a tenant's rows, for procedures, server components, jobs and admin paths.
 *
 * Opens the tenant's transactions, with settings bound as parameters and transaction-local (a
 * pooled connection cannot carry them to its next user): for a tenant in the shared database one
 * fenced transaction serves as both `data` and `directory`; for a dedicated tenant, a directory
 * transaction on the shared database and a fenced one on its placement (committed first: should
 * the directory commit then fail, the audit log over-reports rather than misses a change).
 *
 * The move fence refuses a stale placement before any statement of `fn` runs, so the whole call
 * runs again, once, at the placement read afresh. A second refusal at the same placement means
 * the move is still in flight: UNAVAILABLE, try again shortly.
 */
export async function enterTenant<T, P extends PlacedTenant = PlacedTenant>(
  shared: Database,
  opts: EnterOptions<P>,
  fn: (scope: TenantScope, entered: Entered<P>) => Promise<T>,
): Promise<T> {
  const first = typeof opts.tenant === "string" ? ((await byId(shared, opts.tenant)) as P) : opts.tenant;
  try {
    return await openTenant(shared, first, opts, fn);
  } catch (error) {
    if (!isPlacementMoved(error)) throw error;
    const fresh = opts.relocate ? await opts.relocate(first) : ((await byId(shared, first.id)) as P);
    if (fresh.id !== first.id) throw new AppError("NOT_FOUND", "No such workspace");
    if (fresh.placement === first.placement) throw new AppError("UNAVAILABLE", "This workspace is being moved; try again in a moment");
    return openTenant(shared, fresh, opts, fn);
  }
}

function openTenant<T, P extends PlacedTenant>(shared: Database, tenant: P, opts: EnterOptions<P>, fn: (scope: TenantScope, entered: Entered<P>) => Promise<T>): Promise<T> {
  const userId = opts.userId ?? null;
  const base = { tenantId: tenant.id, userId, apiKeyId: null };
  if (tenant.placement === SHARED_PLACEMENT) {
    return withTenant(
      shared,
      { tenantId: tenant.id, userId, placement: SHARED_PLACEMENT, probe: opts.probe },
      (tx, probed) => fn({ ...base, data: tx, directory: tx }, { tenant, probed }),
      opts.config,
    );
  }
  return onPlacement(tenant.placement, shared, (placementDb) =>
    withTenant(
      shared,
      { tenantId: tenant.id, userId, probe: opts.probe },
      (directory, probed) =>
        withTenant(placementDb, { tenantId: tenant.id, userId, placement: tenant.placement }, (data) => fn({ ...base, data, directory }, { tenant, probed }), opts.config),
      opts.config,
    ),
  );
}

/**
 * A tenant-scoped transaction on the shared database alone, for work on directory tables only
 * (membership checks and hand-offs, SSO sign-in attempts): nothing on the placement is opened.
 * Business rows are not reachable from it; enter the tenant for those.
 */
export function enterTenantDirectory<T>(shared: Database, opts: { tenantId: string; userId?: string | null }, fn: (scope: DirectoryScope) => Promise<T>): Promise<T> {
  const userId = opts.userId ?? null;
  return withTenant(shared, { tenantId: opts.tenantId, userId }, (tx) => fn({ tenantId: opts.tenantId, userId, apiKeyId: null, directory: tx }));
}

/**
 * A tenant being created in this very transaction (onboarding, sign-up's workspace, an archive's
 * import): settings as for any tenant, but no placement and no fence yet (a new tenant always
 * starts in the shared database, so `data` and `directory` are one transaction). `fn` creates the
 * tenant's row first; the tenant and its first rows commit together or not at all.
 */
export function enterNewTenant<T>(shared: Database, opts: { tenantId: string; userId: string }, fn: (scope: TenantScope) => Promise<T>): Promise<T> {
  return withTenant(shared, { tenantId: opts.tenantId, userId: opts.userId }, (tx) => fn({ tenantId: opts.tenantId, userId: opts.userId, apiKeyId: null, data: tx, directory: tx }));
}
