import { initTRPC, TRPCError } from "@trpc/server";
import { and, eq, sql, type SQL } from "drizzle-orm";
import superjson from "superjson";
import { ZodError, z } from "zod";
import type { Database, Transaction } from "@/db/client";
import { SHARED_PLACEMENT } from "@/db/placements";
import { apiKeys } from "@/db/schema/accounts";
import { users, type MemberRole } from "@/db/schema/users";
import { isPlacementMoved, withTenant, withUser, type SetupRow } from "@/db/tenant-transaction";
import { isApiKeyScope, type ApiKeyScope } from "@/lib/api-key-scopes";
import { log } from "@/lib/log.mjs";
import { can, type Permission } from "@/lib/permissions";
import { runAfterCommit, type AfterCommitTask } from "@/server/after-commit";
import type { ApiKeyCredential, Context } from "@/server/api/context";
import { noteTenant, observeCall, timeDatabase } from "@/server/observability/procedure-calls";
import { onPlacement } from "@/server/tenancy/placement";
import { chargeTenantCall } from "@/server/rate-limit";
import { resolveTenant, type TenantRef } from "@/server/tenancy/directory";
import { AppError, MFA_REQUIRED_MESSAGE, toTRPCError } from "@/server/errors";
import { noteSessionActivity } from "@/server/session-activity";
import { isSessionLive, probedSessionRole, sessionPlaceOf, sessionProbe } from "@/server/sessions";
import { liveSupportSession, supportRole } from "@/server/support-sessions";

export type Meta = { permission?: Permission };

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    transformer: superjson,
    errorFormatter({ shape, error }) {
      // Field errors only for input validation, never from a zod check deep inside a handler.
      const zod = error.code === "BAD_REQUEST" && error.cause instanceof ZodError ? z.flattenError(error.cause) : null;
      const handlerFields = error.cause instanceof AppError ? (error.cause.fieldErrors ?? null) : null;
      const fieldErrors: Record<string, string[] | undefined> | null = zod ? zod.fieldErrors : handlerFields;
      // The domain code behind a tRPC code, where a client acts on it (MFA_REQUIRED: go and enrol).
      const appCode = error.cause instanceof AppError ? error.cause.code : null;
      const internal = error.code === "INTERNAL_SERVER_ERROR";
      const ref = internal ? crypto.randomUUID().slice(0, 8) : undefined;
      if (internal) log.error("trpc internal error", { ref, path: shape.data.path, error: error.cause ?? error });
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
          appCode,
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

/** Every call, whatever its rung: a span, metrics and load by tenant (server/observability). */
const observe = t.middleware(({ path, type, next }) => observeCall(path, type, next));

/** Rung 1: anyone. */
export const publicProcedure = t.procedure.use(observe).use(mapErrors);

/** A decoded session cookie; whether the session is still live is checked by the rungs below. */
const sessionProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.session) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue" });
  return next({ ctx: { session: ctx.session } });
});

const signedOut = () => new TRPCError({ code: "UNAUTHORIZED", message: "Your session has ended; sign in again" });

/** Rung 2: a live session (not signed out, not expired, on the host it was issued for). */
export const authedProcedure = sessionProcedure.use(async ({ ctx, next }) => {
  const live = await isSessionLive(ctx.db, { userId: ctx.session.userId, sessionId: ctx.session.sessionId, place: sessionPlaceOf(ctx.host) });
  if (!live) throw signedOut();
  await noteSessionActivity(ctx.db, ctx.session);
  return next();
});

/**
 * Who is calling: a person with a role in the tenant, or an API key with scopes, never both. A key
 * has no role, so nothing that looks at roles (the table, the member rules) can ever admit it.
 */
type Principal =
  | { role: MemberRole; userId: string; apiKeyId: null; scopes?: undefined }
  | { role: null; userId: null; apiKeyId: string; scopes: readonly ApiKeyScope[] };

export type TenantContext = Principal & {
  tenant: TenantRef;
  /** The tenant-scoped transaction on the tenant's placement (business rows, audit log, outbox). */
  db: Transaction;
  /**
   * The tenant-scoped transaction on the shared database, for the directory tables that never
   * move (memberships, invitations, API keys, domains, hand-offs). The same transaction as `db`
   * while the tenant lives in the shared database.
   */
  directoryDb: Transaction;
  /** Runs once this call's transaction has committed (never if it rolls back). */
  afterCommit: (task: AfterCommitTask) => void;
};

// One answer for unknown, revoked and expired keys: the holder of a dead key learns nothing, not
// even that it once belonged to this tenant. The tenant's admins see why in the key list.
const badKey = () => new TRPCError({ code: "UNAUTHORIZED", message: "Invalid, expired or revoked API key" });

/**
 * A session's role in the tenant, checked in the tenant transaction on every call: `probed` is the
 * settings statement's row, which carried sessionProbe's columns (no statement of its own).
 */
async function sessionPrincipal(tx: Transaction, tenantId: string, session: { userId: string; sessionId: string }, probed: Promise<SetupRow>): Promise<Principal> {
  // Checked on every call, so a removed member or a signed-out session is refused at once.
  const row = probedSessionRole(await probed);
  if (!row) throw signedOut();
  if (!row.role) {
    // "View as tenant": a platform admin with a live support session for this tenant (reason
    // given, time-boxed, written to the tenant's audit log when started) is admitted as a viewer.
    const support = await liveSupportSession(tx, tenantId, session.userId);
    if (support) return { role: supportRole(support.readOnly), userId: session.userId, apiKeyId: null };
    throw new TRPCError({ code: "FORBIDDEN", message: "You are not a member of this workspace" });
  }
  // The workspace's owner requires a second factor: a member who has none gets nothing here until
  // they set one up (API keys have no person behind them and are not asked).
  if (row.mfaMissing) throw new AppError("MFA_REQUIRED", MFA_REQUIRED_MESSAGE);
  return { role: row.role, userId: session.userId, apiKeyId: null };
}

/**
 * An API key's scopes. The look-up runs under RLS with app.tenant_id = the Host's tenant, so a key
 * of another tenant is simply not found: a leaked key works only at its own tenant's hosts.
 */
async function apiKeyPrincipal(tx: Transaction, tenantId: string, credential: ApiKeyCredential): Promise<Principal> {
  const [key] = await tx
    .select({ id: apiKeys.id, scopes: apiKeys.scopes })
    .from(apiKeys)
    .where(
      and(
        eq(apiKeys.tenantId, tenantId),
        eq(apiKeys.keyHash, credential.keyHash),
        // The database's clock, the one expires_at and revoked_at were written against.
        sql`${apiKeys.revokedAt} is null and (${apiKeys.expiresAt} is null or ${apiKeys.expiresAt} > now())`,
      ),
    );
  if (!key) throw badKey();
  // Read by writeAudit, so every entry written in this call is attributed to the key.
  await tx.execute(sql`select set_config('app.api_key_id', ${key.id}, true)`);
  // At most once a minute, and never waiting: a concurrent call holding the row skips the write.
  await tx.execute(sql`
    update api_keys set last_used_at = now()
    where tenant_id = ${tenantId} and id in (
      select id from api_keys
      where tenant_id = ${tenantId} and id = ${key.id} and (last_used_at is null or last_used_at < now() - interval '1 minute')
      for update skip locked
    )`);
  // A scope this build does not know grants nothing.
  return { role: null, userId: null, apiKeyId: key.id, scopes: key.scopes.filter(isApiKeyScope) };
}

/**
 * Opens the tenant's transactions: one on the shared database for the directory tables and, when
 * the tenant lives in a dedicated database, one there for its business rows (committed first:
 * should the directory commit then fail, the audit log over-reports rather than misses a change).
 * The business transaction passes the tenant's move fence. Shared tenants use one transaction.
 */
async function inTenant<T>(
  db: Database,
  tenant: TenantRef,
  userId: string | null,
  fn: (data: Transaction, directory: Transaction, probed: Promise<SetupRow>) => Promise<T>,
  probe?: SQL,
): Promise<T> {
  // The probe (directory tables) goes with the shared database's transaction.
  const scope = { tenantId: tenant.id, userId, probe };
  if (tenant.placement === SHARED_PLACEMENT) {
    return timeDatabase(() => withTenant(db, { ...scope, placement: SHARED_PLACEMENT }, (tx, probed) => fn(tx, tx, probed)));
  }
  return timeDatabase(() =>
    onPlacement(tenant.placement, db, (data) =>
      withTenant(db, scope, (directory, probed) =>
        withTenant(data, { tenantId: tenant.id, userId, placement: tenant.placement }, (tx) => fn(tx, directory, probed)),
      ),
    ),
  );
}

/**
 * The Host's tenant, and a second try with a fresh directory read when the cached placement
 * turns out stale (the tenant was just moved: the fence refused the old database before any
 * statement ran, so nothing was read or written there and the call can simply run again).
 */
async function withHostTenant<T>(ctx: Context, run: (tenant: TenantRef) => Promise<T>, pinnedId?: string): Promise<T> {
  const check = (tenant: TenantRef | null): TenantRef => {
    // pinnedId: a later transaction of the same call must stay in the tenant the call was authorised in.
    if (!tenant || (pinnedId && tenant.id !== pinnedId)) throw new TRPCError({ code: "NOT_FOUND", message: "No workspace at this address" });
    if (tenant.status !== "active") throw new TRPCError({ code: "FORBIDDEN", message: "This workspace is suspended" });
    return tenant;
  };
  const tenant = check(await resolveTenant(ctx.db, ctx.host));
  noteTenant(tenant.id);
  try {
    return await run(tenant);
  } catch (error) {
    if (!isPlacementMoved(error)) throw error;
    const fresh = check(await resolveTenant(ctx.db, ctx.host, { fresh: true }));
    if (fresh.placement === tenant.placement) {
      throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: "This workspace is being moved; try again in a moment" });
    }
    return run(fresh);
  }
}

/**
 * One tenant transaction in which the caller (session or API key) is checked afresh and must
 * hold `permission`; `fn` runs in it with the tenant context. After-commit tasks run once it commits.
 */
async function authorizedTransaction<T>(ctx: Context, tenant: TenantRef, permission: Permission, fn: (tenantCtx: TenantContext) => Promise<T>, charge = true): Promise<T> {
  const { session, apiKey } = ctx;
  const tasks: AfterCommitTask[] = [];
  const probe = session ? sessionProbe(tenant.id, session, sessionPlaceOf(ctx.host)) : undefined;
  const result = await inTenant(ctx.db, tenant, session?.userId ?? null, async (tx, directory, probed) => {
    // Rate limit (server/rate-limit.ts): a proven principal's call is charged to the tenant, a refused one to the caller.
    const proven = session ? sessionPrincipal(directory, tenant.id, session, probed) : apiKeyPrincipal(directory, tenant.id, apiKey!);
    // A call is paid once: the later transactions of a stepped call re-check the caller without paying again.
    const principal = await (charge ? chargeTenantCall(tenant, proven) : proven);
    if (!can(principal.role ?? { scopes: principal.scopes }, permission)) {
      throw new TRPCError({ code: "FORBIDDEN", message: principal.apiKeyId ? "This API key's scopes do not allow this" : "Your role does not allow this" });
    }
    // The audit log lives with the business rows: it must attribute entries to the key there too.
    if (principal.apiKeyId && tx !== directory) await tx.execute(sql`select set_config('app.api_key_id', ${principal.apiKeyId}, true)`);
    return fn({ tenant, ...principal, db: tx, directoryDb: directory, afterCommit: (task) => void tasks.push(task) });
  }, probe);
  runAfterCommit(ctx.db, tasks);
  if (session) await noteSessionActivity(ctx.db, session);
  return result;
}

function requirePermission(ctx: Context, meta: Meta | undefined): Permission {
  const permission = meta?.permission;
  if (!permission) throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "tenant procedure without a permission" });
  if (!ctx.session && !ctx.apiKey) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue" });
  return permission;
}

/**
 * Rung 3: a member of the Host's tenant (by session) or one of its API keys (by Bearer token),
 * with the procedure's permission. The handler runs in its own transaction that first sets
 * app.tenant_id; an error anywhere rolls it back. Each call (also within one batch) gets a
 * fresh transaction, never one shared through ctx.
 */
export const tenantProcedure = publicProcedure.use(async ({ ctx, meta, next }) => {
  const permission = requirePermission(ctx, meta);
  return withHostTenant(ctx, (tenant) =>
    authorizedTransaction(ctx, tenant, permission, async (tenantCtx) => {
      const result = await next({ ctx: tenantCtx });
      // A failed handler must not commit whatever it wrote before failing.
      if (!result.ok) throw result.error;
      return result;
    }),
  );
});

/** What a handler on tenantStepsProcedure gets: the caller as checked, and no transaction. */
export type TenantStepsContext = Pick<TenantContext, "tenant" | "role" | "userId" | "apiKeyId"> & {
  /**
   * Runs `fn` in a short tenant transaction of its own, exactly as a tenantProcedure handler
   * runs (caller and permission checked again inside it); commits when `fn` returns.
   */
  transaction: <T>(fn: (tenantCtx: TenantContext) => Promise<T>) => Promise<T>;
};

/**
 * Rung 3c: tenantProcedure's checks, but the handler runs outside any transaction and opens
 * short ones through `ctx.transaction`. For handlers that wait on the outside world (DNS): a
 * transaction held across the wait would pin a pooled connection and any row locks it took.
 * The caller is checked before the handler runs, and again in each transaction it opens.
 */
export const tenantStepsProcedure = publicProcedure.use(async ({ ctx, meta, next }) => {
  const permission = requirePermission(ctx, meta);
  const checked = await withHostTenant(ctx, (tenant) => authorizedTransaction(ctx, tenant, permission, (tenantCtx) => Promise.resolve(tenantCtx)));
  const stepsCtx: TenantStepsContext = {
    tenant: checked.tenant,
    role: checked.role,
    userId: checked.userId,
    apiKeyId: checked.apiKeyId,
    transaction: (fn) => withHostTenant(ctx, (tenant) => authorizedTransaction(ctx, tenant, permission, fn, false), checked.tenant.id),
  };
  return next({ ctx: stepsCtx });
});

/**
 * Rung 3b: a live session on a tenant's host, inside that tenant's transaction, with NO
 * membership check. Only for joining (accepting an invitation): the caller is not a member yet,
 * so tenantProcedure would refuse them. Handlers on this rung must gate everything on a secret
 * they are handed (the invitation token), which RLS scopes to this tenant. Never for API keys.
 */
export const tenantJoinProcedure = sessionProcedure.use(async ({ ctx, next }) => {
  const { userId } = ctx.session;
  return withHostTenant(ctx, (tenant) =>
    inTenant(
      ctx.db,
      tenant,
      userId,
      async (tx, directory, probed) => {
        // The tenant procedure's live-session check (its role column is not looked at here).
        if (!probedSessionRole(await probed)) throw signedOut();
        const result = await next({ ctx: { tenant, userId, db: tx, directoryDb: directory } });
        if (!result.ok) throw result.error;
        return result;
      },
      sessionProbe(tenant.id, ctx.session, sessionPlaceOf(ctx.host)),
    ),
  );
});

/** Rung 4: a platform administrator (checked against the database on every call). */
export const platformAdminProcedure = authedProcedure.use(async ({ ctx, next }) => {
  const userId = ctx.session.userId;
  // Platform power only on Canopy's own admin host, with a root-family session (the live check
  // above already refuses a custom domain's session here; this keeps it so if that ever changes).
  if (ctx.host?.kind !== "admin" && ctx.host?.kind !== "root") throw new TRPCError({ code: "FORBIDDEN", message: "Platform administrators only" });
  const isAdmin = await withUser(ctx.db, userId, async (tx) => {
    const [row] = await tx.select({ isPlatformAdmin: users.isPlatformAdmin }).from(users).where(eq(users.id, userId)).limit(1);
    return row?.isPlatformAdmin === true;
  });
  if (!isAdmin) throw new TRPCError({ code: "FORBIDDEN", message: "Platform administrators only" });
  return next({ ctx: { userId } });
});

/** The `{ tenantId, userId, db }` that business functions take (`jobs`: where jobs are queued). */
export function scopeOf(ctx: TenantContext) {
  return { tenantId: ctx.tenant.id, plan: ctx.tenant.plan, userId: ctx.userId, db: ctx.db, jobs: ctx.directoryDb };
}

/**
 * For business functions on directory tables: `db` is the shared database's transaction, `data`
 * the one on the tenant's placement, where their audit entries and emails go.
 */
export function directoryScopeOf(ctx: Pick<TenantContext, "tenant" | "userId" | "db" | "directoryDb">) {
  return { tenantId: ctx.tenant.id, userId: ctx.userId, db: ctx.directoryDb, data: ctx.db };
}
