import { initTRPC, TRPCError } from "@trpc/server";
import { and, eq, sql, type SQL } from "drizzle-orm";
import superjson from "superjson";
import { ZodError, z } from "zod";
import type { Transaction } from "@/db/client";
import { apiKeys } from "@/db/schema/accounts";
import { users, type MemberRole } from "@/db/schema/users";
import { withUser, type SetupRow } from "@/db/tenant-transaction";
import { isApiKeyScope, type ApiKeyScope } from "@/lib/api-key-scopes";
import { log } from "@/lib/log.mjs";
import { can, type Permission } from "@/lib/permissions";
import { runAfterCommit, type AfterCommitTask } from "@/server/after-commit";
import type { ApiKeyCredential, Context } from "@/server/api/context";
import { noteTenant, observeCall, timeDatabase } from "@/server/observability/procedure-calls";
import { enterTenant, type TenantScope } from "@/server/tenancy/enter-tenant";
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
  const live = await isSessionLive(ctx.directory, { userId: ctx.session.userId, sessionId: ctx.session.sessionId, place: sessionPlaceOf(ctx.host) });
  if (!live) throw signedOut();
  await noteSessionActivity(ctx.directory, ctx.session);
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
  /** The tenant, the caller and the call's transactions, as every business function takes them. */
  scope: TenantScope;
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
 * The Host's tenant, checked (it exists, is active, and is still the tenant the call was
 * authorised in when `pinnedId` is given: a later transaction of a stepped call must stay there).
 */
async function hostTenant(ctx: Context, opts: { fresh?: boolean; pinnedId?: string } = {}): Promise<TenantRef> {
  const tenant = await resolveTenant(ctx.directory, ctx.host, { fresh: opts.fresh });
  if (!tenant || (opts.pinnedId && tenant.id !== opts.pinnedId)) throw new TRPCError({ code: "NOT_FOUND", message: "No workspace at this address" });
  if (tenant.status !== "active") throw new TRPCError({ code: "FORBIDDEN", message: "This workspace is suspended" });
  return tenant;
}

/**
 * Enters the Host's tenant (server/tenancy/enter-tenant.ts). A stale cached placement is read
 * afresh from the directory by Host, checked again, and entered once more.
 */
async function enterHostTenant<T>(
  ctx: Context,
  userId: string | null,
  fn: (scope: TenantScope, tenant: TenantRef, probed: Promise<SetupRow>) => Promise<T>,
  opts: { pinnedId?: string; probe?: (tenant: TenantRef) => SQL | undefined } = {},
): Promise<T> {
  const tenant = await hostTenant(ctx, { pinnedId: opts.pinnedId });
  noteTenant(tenant.id);
  return timeDatabase(() =>
    enterTenant(
      ctx.directory,
      { tenant, userId, probe: opts.probe?.(tenant), relocate: (stale) => hostTenant(ctx, { fresh: true, pinnedId: stale.id }) },
      (scope, entered) => fn(scope, entered.tenant, entered.probed),
    ),
  );
}

/** A caller proven in an entered tenant, before any permission is asked of it. */
export type Admitted = Principal & { tenant: TenantRef; scope: TenantScope; tasks: AfterCommitTask[] };

/**
 * Enters the Host's tenant and proves the caller (session or API key) afresh inside it; `fn` runs
 * in that transaction. After-commit tasks run once it commits. `charge`: a call is paid once, so
 * the later transactions of a stepped call re-check the caller without paying again.
 */
async function admitted<T>(ctx: Context, fn: (admitted: Admitted) => Promise<T>, opts: { charge?: boolean; pinnedId?: string } = {}): Promise<T> {
  const { session, apiKey } = ctx;
  const tasks: AfterCommitTask[] = [];
  const result = await enterHostTenant(
    ctx,
    session?.userId ?? null,
    async (scope, tenant, probed) => {
      // Rate limit (server/rate-limit.ts): a proven principal's call is charged to the tenant, a refused one to the caller.
      const proven = session ? sessionPrincipal(scope.directory, tenant.id, session, probed) : apiKeyPrincipal(scope.directory, tenant.id, apiKey!);
      const principal = await (opts.charge === false ? proven : chargeTenantCall(tenant, proven));
      // The audit log lives with the business rows: it must attribute entries to the key there too.
      if (principal.apiKeyId && scope.data !== scope.directory) await scope.data.execute(sql`select set_config('app.api_key_id', ${principal.apiKeyId}, true)`);
      return fn({ ...principal, tenant, scope: { ...scope, userId: principal.userId, apiKeyId: principal.apiKeyId }, tasks });
    },
    { pinnedId: opts.pinnedId, probe: (tenant) => (session ? sessionProbe(tenant.id, session, sessionPlaceOf(ctx.host)) : undefined) },
  );
  runAfterCommit(ctx.directory, tasks);
  if (session) await noteSessionActivity(ctx.directory, session);
  return result;
}

/** The admitted caller's context for one procedure, once it is shown to hold `permission`. */
function permitted(admitted: Admitted, permission: Permission): TenantContext {
  if (!can(admitted.role ?? { scopes: admitted.scopes }, permission)) {
    throw new TRPCError({ code: "FORBIDDEN", message: admitted.apiKeyId ? "This API key's scopes do not allow this" : "Your role does not allow this" });
  }
  const { tasks, scope, ...principal } = admitted;
  return { ...principal, scope, afterCommit: (task) => void tasks.push(task) };
}

/**
 * One tenant transaction in which the caller is checked afresh and must hold `permission`; `fn`
 * runs in it with the tenant context.
 */
function authorizedTransaction<T>(ctx: Context, permission: Permission, fn: (tenantCtx: TenantContext) => Promise<T>, opts: { charge?: boolean; pinnedId?: string } = {}): Promise<T> {
  return admitted(ctx, (a) => fn(permitted(a, permission)), opts);
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
 * fresh transaction; only a server-rendered page's queries share one, the page's.
 */
export const tenantProcedure = publicProcedure.use(async ({ ctx, meta, type, path, getRawInput, next }) => {
  const permission = requirePermission(ctx, meta);
  const run = async (tenantCtx: TenantContext) => {
    const result = await next({ ctx: tenantCtx });
    // A failed handler must not commit whatever it wrote before failing.
    if (!result.ok) throw result.error;
    return result;
  };
  // A server-rendered page's reads share the page's one transaction (server/api/page-tenant.ts).
  const page = type === "query" ? ctx.pageTenant?.entry((hold) => admitted(ctx, hold)) : undefined;
  if (page) {
    const key = `${path} ${JSON.stringify((await getRawInput()) ?? null)}`;
    return ctx.pageTenant!.run(page, key, (a) => {
      noteTenant(a.tenant.id);
      return timeDatabase(() => run(permitted(a, permission)));
    });
  }
  return authorizedTransaction(ctx, permission, run);
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
  const checked = await authorizedTransaction(ctx, permission, (tenantCtx) => Promise.resolve(tenantCtx));
  const stepsCtx: TenantStepsContext = {
    tenant: checked.tenant,
    role: checked.role,
    userId: checked.userId,
    apiKeyId: checked.apiKeyId,
    transaction: (fn) => authorizedTransaction(ctx, permission, fn, { charge: false, pinnedId: checked.tenant.id }),
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
  return enterHostTenant(
    ctx,
    userId,
    async (scope, tenant, probed) => {
      // The tenant procedure's live-session check (its role column is not looked at here).
      if (!probedSessionRole(await probed)) throw signedOut();
      const result = await next({ ctx: { tenant, userId, scope } });
      if (!result.ok) throw result.error;
      return result;
    },
    { probe: (tenant) => sessionProbe(tenant.id, ctx.session, sessionPlaceOf(ctx.host)) },
  );
});

/** Rung 4: a platform administrator (checked against the database on every call). */
export const platformAdminProcedure = authedProcedure.use(async ({ ctx, next }) => {
  const userId = ctx.session.userId;
  // Platform power only on Canopy's own admin host, with a root-family session (the live check
  // above already refuses a custom domain's session here; this keeps it so if that ever changes).
  if (ctx.host?.kind !== "admin" && ctx.host?.kind !== "root") throw new TRPCError({ code: "FORBIDDEN", message: "Platform administrators only" });
  const isAdmin = await withUser(ctx.directory, userId, async (tx) => {
    const [row] = await tx.select({ isPlatformAdmin: users.isPlatformAdmin }).from(users).where(eq(users.id, userId)).limit(1);
    return row?.isPlatformAdmin === true;
  });
  if (!isAdmin) throw new TRPCError({ code: "FORBIDDEN", message: "Platform administrators only" });
  return next({ ctx: { userId } });
});
