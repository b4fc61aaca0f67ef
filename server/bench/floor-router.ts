import "server-only";
import { TRPCError } from "@trpc/server";
import type { Database, Transaction } from "@/db/client";
import { can } from "@/lib/permissions";
import { listProjectsInput } from "@/lib/schemas/project";
import { resolveTenant } from "@/server/tenancy/directory";
import { chargeTenantCall } from "@/server/rate-limit";
import { listProjects } from "@/server/modules/project/list-projects";
import { sessionPlaceOf, sessionRole } from "@/server/sessions";
import { publicProcedure, router } from "@/server/api/trpc";

/*
 * The floor of the bench's ratio 1 (RLS path vs floor, docs/performance.md), for `npm run bench`
 * only: project.list through the same HTTP + tRPC machinery as the app (fetch adapter, superjson,
 * zod input, the app's context with its cookie decode, the same cached Host → tenant directory,
 * the same live-session + membership check and permission check), minus exactly what the ratio
 * isolates: the transaction, set_config, the placement fence and the RLS policies. Statements run
 * one by one on the BYPASSRLS floor role, and the list query keeps its explicit WHERE tenant_id.
 * Never part of appRouter: served only by app/api/bench/trpc, which is a 404 without BENCH_MODE=1.
 */

/** tenantProcedure's session path, each statement on its own on the floor role. */
function floorProcedure(floor: Database) {
  return publicProcedure.use(async ({ ctx, meta, next }) => {
    const permission = meta?.permission;
    if (!permission) throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "floor procedure without a permission" });
    if (!ctx.session) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue" });
    const tenant = await resolveTenant(ctx.directory, ctx.host);
    if (!tenant) throw new TRPCError({ code: "NOT_FOUND", message: "No workspace at this address" });
    if (tenant.status !== "active") throw new TRPCError({ code: "FORBIDDEN", message: "This workspace is suspended" });
    const session = ctx.session;
    // The check tenantProcedure folds into its settings statement (sessionProbe), here a statement
    // of its own: without RLS there is no settings statement to carry it. Charged like tenantProcedure's.
    const role = await chargeTenantCall(
      tenant,
      sessionRole(floor, tenant.id, session, sessionPlaceOf(ctx.host)).then((row) => {
        if (!row) throw new TRPCError({ code: "UNAUTHORIZED", message: "Your session has ended; sign in again" });
        if (!row.role) throw new TRPCError({ code: "FORBIDDEN", message: "You are not a member of this workspace" });
        return row.role;
      }),
    );
    if (!can(role, permission)) throw new TRPCError({ code: "FORBIDDEN", message: "Your role does not allow this" });
    return next({ ctx: { tenant, role, userId: session.userId } });
  });
}

export function createFloorRouter(floor: Database) {
  const read = floorProcedure(floor).meta({ permission: "project:read" });
  // listProjects builds one SELECT with WHERE tenant_id and uses nothing transaction-only, so it
  // runs as is on the floor's pool: the very statement project.list sends, outside a transaction.
  const floorAsTx = floor as unknown as Transaction;
  return router({
    project: router({
      list: read.input(listProjectsInput).query(({ ctx, input }) => listProjects({ tenantId: ctx.tenant.id, data: floorAsTx }, input)),
    }),
  });
}
