import { initTRPC, TRPCError } from "@trpc/server";
import { eq, sql } from "drizzle-orm";
import superjson from "superjson";
import { ZodError, z } from "zod";
import type { Transaction } from "@/db/client";
import { userSessions } from "@/db/schema/accounts";
import { users, type MemberRole } from "@/db/schema/users";
import { withTenant, withUser } from "@/db/tenant-transaction";
import { can, type Permission } from "@/lib/permissions";
import type { Context } from "./context";
import { resolveTenant, type TenantRef } from "./directory";
import { toTRPCError } from "./errors";
import { isSessionLive, liveSessionPredicate } from "./sessions";

export type Meta = { permission?: Permission };

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    transformer: superjson,
    errorFormatter({ shape, error }) {
      // Field errors only for input validation, never from a zod check deep inside a handler.
      const zod = error.code === "BAD_REQUEST" && error.cause instanceof ZodError ? z.flattenError(error.cause) : null;
      const fieldErrors: Record<string, string[] | undefined> | null = zod ? zod.fieldErrors : null;
      const internal = error.code === "INTERNAL_SERVER_ERROR";
      const ref = internal ? crypto.randomUUID().slice(0, 8) : undefined;
      if (internal) console.error(`[trpc] internal error ref=${ref}`, error.cause ?? error);
      return {
        ...shape,
        // Never SQL text or a stack trace to the client: a reference the logs can be searched for.
        message: internal ? `Something went wrong (ref ${ref})` : shape.message,
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          fieldErrors,
          formErrors: zod?.formErrors ?? null,
        },
      };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) throw toTRPCError(result.error);
  return result;
});

/** Rung 1: anyone. */
export const publicProcedure = t.procedure.use(mapErrors);

/** A decoded session cookie; whether the session is still live is checked by the rungs below. */
const sessionProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.session) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue" });
  return next({ ctx: { session: ctx.session } });
});

const signedOut = () => new TRPCError({ code: "UNAUTHORIZED", message: "Your session has ended; sign in again" });

/** Rung 2: a live session (not signed out, not expired, on the host it was issued for). */
export const authedProcedure = sessionProcedure.use(async ({ ctx, next }) => {
  const live = await isSessionLive(ctx.db, { userId: ctx.session.userId, sessionId: ctx.session.sessionId, host: ctx.host?.host ?? null });
  if (!live) throw signedOut();
  return next();
});

export type TenantContext = {
  tenant: TenantRef;
  role: MemberRole;
  userId: string;
  /** The tenant-scoped transaction: RLS sees app.tenant_id = tenant.id. */
  db: Transaction;
};

/**
 * Rung 3: a member of the Host's tenant with the procedure's permission. The handler runs in
 * its own transaction that first sets app.tenant_id; an error anywhere rolls it back. Each call
 * (also within one batch) gets a fresh transaction, never one shared through ctx.
 */
export const tenantProcedure = sessionProcedure.use(async ({ ctx, meta, next }) => {
  const permission = meta?.permission;
  if (!permission) throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "tenant procedure without a permission" });
  const tenant = await resolveTenant(ctx.db, ctx.host);
  if (!tenant) throw new TRPCError({ code: "NOT_FOUND", message: "No workspace at this address" });
  if (tenant.status !== "active") throw new TRPCError({ code: "FORBIDDEN", message: "This workspace is suspended" });
  const { userId, sessionId } = ctx.session;
  return withTenant(ctx.db, { tenantId: tenant.id, userId }, async (tx) => {
    // One statement: the session is live and (sub-select) the user's role in this tenant, if any.
    // Checked on every call, so a removed member or a signed-out session is refused at once.
    const [row] = await tx
      .select({
        role: sql<MemberRole | null>`(select m.role from memberships m where m.tenant_id = ${tenant.id} and m.user_id = ${userId})`,
      })
      .from(userSessions)
      .where(liveSessionPredicate(sessionId, ctx.host?.host ?? null));
    if (!row) throw signedOut();
    if (!row.role) throw new TRPCError({ code: "FORBIDDEN", message: "You are not a member of this workspace" });
    if (!can(row.role, permission)) {
      throw new TRPCError({ code: "FORBIDDEN", message: "Your role does not allow this" });
    }
    const result = await next({ ctx: { tenant, role: row.role, userId, db: tx } satisfies TenantContext });
    // A failed handler must not commit whatever it wrote before failing.
    if (!result.ok) throw result.error;
    return result;
  });
});

/** Rung 4: a platform administrator (checked against the database on every call). */
export const platformAdminProcedure = authedProcedure.use(async ({ ctx, next }) => {
  const userId = ctx.session.userId;
  const isAdmin = await withUser(ctx.db, userId, async (tx) => {
    const [row] = await tx.select({ isPlatformAdmin: users.isPlatformAdmin }).from(users).where(eq(users.id, userId)).limit(1);
    return row?.isPlatformAdmin === true;
  });
  if (!isAdmin) throw new TRPCError({ code: "FORBIDDEN", message: "Platform administrators only" });
  return next({ ctx: { userId } });
});

/** The `{ tenantId, userId, db }` that business functions take. */
export function scopeOf(ctx: TenantContext) {
  return { tenantId: ctx.tenant.id, userId: ctx.userId, db: ctx.db };
}
