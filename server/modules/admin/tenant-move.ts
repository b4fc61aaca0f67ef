import { desc, eq, sql } from "drizzle-orm";
import { SHARED_PLACEMENT } from "@/db/placements";
import { tenantMoves } from "@/db/schema/platform";
import { withUser } from "@/db/tenant-transaction";
import { placementPools } from "@/server/tenancy/pools";
import { AppError } from "@/server/errors";
import { enqueueTenantJob } from "@/server/jobs/enqueue";
import { queues } from "@/server/jobs/queues";
import { adminTenantPlacement, findAdminTenant } from "@/server/modules/admin/change-tenant";
import { writePlatformAudit } from "@/server/modules/admin/platform-audit";
import type { PlatformScope } from "@/server/modules/admin/platform-scope";

const moveFields = {
  id: tenantMoves.id,
  source: tenantMoves.source,
  target: tenantMoves.target,
  phase: tenantMoves.phase,
  pauseMs: tenantMoves.pauseMs,
  report: tenantMoves.report,
  error: tenantMoves.error,
  createdAt: tenantMoves.createdAt,
  finishedAt: tenantMoves.finishedAt,
};

/** Where the tenant lives, where it could go, and its latest moves. */
export async function getTenantPlacement({ userId, directory }: PlatformScope, tenantId: string) {
  return withUser(directory, userId, async (tx) => {
    const tenant = await findAdminTenant(tx, tenantId);
    if (!tenant) throw new AppError("NOT_FOUND", "Tenant not found");
    const placement = await adminTenantPlacement(tx, tenantId);
    const moves = await tx.select(moveFields).from(tenantMoves).where(eq(tenantMoves.tenantId, tenantId)).orderBy(desc(tenantMoves.createdAt)).limit(5);
    return { placement, placements: [SHARED_PLACEMENT, ...placementPools().names()], moves };
  });
}

/**
 * Records a move and queues it; the worker runs it with the owner role (db/tenant-move.ts). The
 * web app never holds owner credentials: it can only ask, and read how far the move got.
 */
export async function requestTenantMove({ userId, directory }: PlatformScope, tenantId: string, target: string) {
  if (target !== SHARED_PLACEMENT && !placementPools().has(target)) throw new AppError("BAD_REQUEST", `No placement "${target}" is configured`);
  return withUser(directory, userId, async (tx) => {
    const tenant = await findAdminTenant(tx, tenantId);
    if (!tenant) throw new AppError("NOT_FOUND", "Tenant not found");
    // A deleted tenant may only come home, where its purge can cascade to every row.
    if (tenant.deletedAt && target !== SHARED_PLACEMENT) throw new AppError("INVALID_TRANSITION", "This tenant is deleted; restore it first");
    const source = await adminTenantPlacement(tx, tenantId);
    if (source === target) throw new AppError("INVALID_TRANSITION", `${tenant.name} is already in "${target}"`);
    const [open] = await tx.select({ phase: tenantMoves.phase }).from(tenantMoves).where(sql`${tenantMoves.tenantId} = ${tenantId} and ${tenantMoves.phase} not in ('done', 'rolled_back')`);
    if (open) throw new AppError("CONFLICT", `A move of ${tenant.name} is unfinished (${open.phase}); resume or roll it back with npm run tenant:move`);
    // Only the columns the app role may insert (drizzle would name every column): the phase and
    // the report are the mover's to write, so the app cannot mark a move as further along than it is.
    const [created] = await tx.execute<{ id: string }>(
      sql`insert into tenant_moves (tenant_id, source, target, requested_by) values (${tenantId}, ${source}, ${target}, ${userId}) returning id`,
    );
    const [move] = created ? await tx.select(moveFields).from(tenantMoves).where(eq(tenantMoves.id, created.id)) : [];
    if (!move) throw new Error("move insert returned no row");
    await writePlatformAudit(tx, { actorUserId: userId, action: "tenant.move", tenantId, details: { slug: tenant.slug, source, target, moveId: move.id } });
    // Queued in this transaction: the request and its job exist together.
    await enqueueTenantJob(tx, queues.tenantMove, { tenantId, moveId: move.id });
    return move;
  });
}
