import { AsyncLocalStorage } from "node:async_hooks";
import { TRPCError } from "@trpc/server";
import postgres from "postgres";
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, RLWrapperTimeouts, type RateLimiterAbstract } from "rate-limiter-flexible";
import { addressKey } from "@/lib/client-address.mjs";
import { env } from "@/lib/env";
import { planOf } from "@/lib/plans";

/**
 * API budgets: up to `burst` calls at once, `perSecond` on average (a fixed window, `windowOf`),
 * counted in PostgreSQL so that every app server spends from the same budget.
 *
 * Who pays for a call (docs/architecture.md, "Resilience and noisy neighbours"):
 * - a tenant call whose caller is proven (a live session of a member, or a valid API key) is paid
 *   by the tenant, charged inside the tenant procedure once the principal is established, so no
 *   one else can spend a tenant's budget;
 * - every other call is paid by the caller: its session (a signed cookie nobody else can present)
 *   or, without one, its client address (anonymous traffic; API keys not yet proven, apart).
 * Every call of a batch counts.
 */

export type BucketRule = { perSecond: number; burst: number };

/** Where budgets live; `rateLimiterFromEnv` uses PostgreSQL, shared by every app server. */
export interface BucketStore {
  /**
   * Takes `cost` calls from `key` if it holds them all; a cost of 0 asks whether it holds at least
   * one, taking nothing. Returns 0 on success, else the whole seconds until it would succeed.
   */
  take(key: string, cost: number, rule: BucketRule): Promise<number>;
}

/**
 * A rule as rate-limiter-flexible counts it: a fixed window that holds `burst` calls and lasts as
 * long as refilling a bucket of `burst` takes, so the average rate is the same. Unlike a token
 * bucket, a client can spend two windows' worth across a window boundary (up to 2 × burst at once).
 */
export const windowOf = (rule: BucketRule) => ({ points: rule.burst, duration: Math.max(1, Math.ceil(rule.burst / rule.perSecond)) });

const secondsUntil = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

type LimiterFactory = (window: { points: number; duration: number; keyPrefix: string }) => RateLimiterAbstract;

/** Budgets through rate-limiter-flexible: one limiter per rule (a plan, the client rule), keys apart by prefix. */
export class FlexibleBucketStore implements BucketStore {
  private readonly limiters = new Map<string, RateLimiterAbstract>();

  constructor(
    private readonly make: LimiterFactory,
    /** Keeps these budgets apart from any other store's in the same table (tests, the bench). */
    private readonly keyPrefix = "canopy",
  ) {}

  private limiter(rule: BucketRule): RateLimiterAbstract {
    const window = windowOf(rule);
    const id = `${window.points}/${window.duration}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = this.make({ ...window, keyPrefix: this.keyPrefix });
      this.limiters.set(id, limiter);
    }
    return limiter;
  }

  async take(key: string, cost: number, rule: BucketRule): Promise<number> {
    const limiter = this.limiter(rule);
    if (cost === 0) {
      const res = await limiter.get(key);
      return res && res.remainingPoints <= 0 ? secondsUntil(res) : 0;
    }
    try {
      await limiter.consume(key, cost);
      return 0;
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      // The library counts a refused consume; a refused batch gives its calls back, so a smaller
      // request that fits is still served (all or nothing). A refused single call stays counted:
      // it changes nothing before the window ends, and saves a second statement per refusal.
      if (cost > 1) await limiter.reward(key, cost);
      return secondsUntil(error);
    }
  }
}

/** Per-process budgets: the bench's baseline and the unit tests (each server would enforce its own). */
export const memoryBucketStore = (keyPrefix?: string) => new FlexibleBucketStore((window) => new RateLimiterMemory(window), keyPrefix);

/** The shape rate-limiter-flexible's PostgreSQL store calls: node-postgres's `query({ text, values })`. */
function postgresJsClient(sql: postgres.Sql, prepare: boolean) {
  return {
    // The library names its statements; postgres.js prepares by its own (unnamed-to-us) names when
    // `prepare` is on, and not at all behind PgBouncer in transaction mode (DB_PREPARE=false).
    query: async ({ text, values }: { text: string; values?: unknown[] }) => {
      const rows = await sql.unsafe(text, (values ?? []) as never[], { prepare });
      return { rows, rowCount: rows.count };
    },
  };
}

export type PostgresBucketOptions = {
  keyPrefix?: string;
  prepare?: boolean;
  /** A decision slower than this is taken by the in-process fallback instead. */
  timeoutMs?: number;
};

/**
 * Budgets in `rate_limit.buckets` (migration 0020), shared by every app server. The table exists
 * before the app starts (`tableCreated`): the limiter's role has no CREATE right anywhere.
 *
 * When PostgreSQL cannot answer (down, or slower than `timeoutMs`) the decision falls back to an
 * in-process limiter with the same rule: neither open (a database outage would lift every budget
 * while the flood that may have caused it goes on) nor closed (a limiter hiccup would refuse every
 * call, including those that need no database). Each server then enforces its own share, as a
 * single server always did, until the database answers again.
 */
export function postgresBucketStore(sql: postgres.Sql, opts: PostgresBucketOptions = {}): BucketStore {
  const storeClient = postgresJsClient(sql, opts.prepare ?? true);
  return new FlexibleBucketStore(
    (window) =>
      new RLWrapperTimeouts({
        limiter: new RateLimiterPostgres({
          ...window,
          storeClient,
          storeType: "client",
          schemaName: "rate_limit",
          tableName: "buckets",
          tableCreated: true,
          insuranceLimiter: new RateLimiterMemory(window),
        }),
        timeoutMs: opts.timeoutMs ?? 2000,
      }),
    opts.keyPrefix,
  );
}

export type RateLimits = {
  client: BucketRule;
  /** The tenants' budget; by default each tenant's plan decides it (lib/plans.ts). */
  tenant?: BucketRule;
};

/**
 * The payer of calls no tenant pays for: a session, or a client address. An address's requests that
 * carry an API key have a bucket of their own, so anonymous traffic from a shared address (a NAT, a
 * cloud egress) cannot starve an API client there, nor forged keys the anonymous visitors.
 */
export type Payer = { kind: "session"; sessionId: string } | { kind: "address"; address: string | null; apiKey: boolean };

const payerKey = (payer: Payer) =>
  payer.kind === "session" ? `session:${payer.sessionId}` : `${payer.apiKey ? "api-key" : "address"}:${addressKey(payer.address)}`;

export type TenantPayer = { id: string; plan: string };

export class RateLimiter {
  constructor(
    readonly limits: RateLimits,
    readonly store: BucketStore,
  ) {}

  /** Charges calls to the caller (cost 0: is anything left?). Returns 0 or the seconds to wait. */
  chargeCaller(payer: Payer, cost: number): Promise<number> {
    return this.store.take(payerKey(payer), cost, this.limits.client);
  }

  chargeTenant(tenant: TenantPayer, cost = 1): Promise<number> {
    return this.store.take(`tenant:${tenant.id}`, cost, this.limits.tenant ?? planOf(tenant.plan).rate);
  }
}

const globalForLimiter = globalThis as unknown as { canopyRateLimitSql?: postgres.Sql };

/**
 * The limiter configured by the environment: CLIENT_RATE_LIMIT_* for callers, the plan for tenants,
 * budgets in PostgreSQL (RATE_LIMIT_DATABASE_URL, else DATABASE_URL) over a small pool of its own,
 * so a saturated application pool never delays the decision that could shed its load.
 */
export function rateLimiterFromEnv(opts: { keyPrefix?: string } = {}): RateLimiter {
  const e = env();
  globalForLimiter.canopyRateLimitSql ??= postgres(e.RATE_LIMIT_DATABASE_URL ?? e.DATABASE_URL, {
    max: 4,
    prepare: e.DB_PREPARE,
    connect_timeout: 2,
    idle_timeout: 30,
    onnotice: () => undefined,
    connection: { application_name: "canopy-rate-limit" },
  });
  return new RateLimiter(
    { client: { perSecond: e.CLIENT_RATE_LIMIT_PER_SEC, burst: e.CLIENT_RATE_LIMIT_BURST } },
    postgresBucketStore(globalForLimiter.canopyRateLimitSql, { prepare: e.DB_PREPARE, keyPrefix: opts.keyPrefix }),
  );
}

/** What the calls of one /api/trpc request may spend; Retry-After comes from `retryAfter`. */
export type CallBudget = { limiter: RateLimiter; payer: Payer; retryAfter: number };

const currentBudget = new AsyncLocalStorage<CallBudget>();

/** Runs a request's procedures with its budget, for chargeTenantCall. */
export function withCallBudget<T>(budget: CallBudget, fn: () => T): T {
  return currentBudget.run(budget, fn);
}

/**
 * The tenant procedure's hook, once per call, around the principal check. A proven caller's call
 * is charged to the tenant (over budget: TOO_MANY_REQUESTS, and the call's transaction rolls
 * back); a refused session or key is charged to the caller, never to the tenant. Calls outside
 * /api/trpc (server components, jobs, scripts) carry no budget and are not charged.
 */
export async function chargeTenantCall<T>(tenant: TenantPayer, principal: Promise<T>): Promise<T> {
  const budget = currentBudget.getStore();
  if (!budget) return principal;
  let proven: T;
  try {
    proven = await principal;
  } catch (error) {
    await budget.limiter.chargeCaller(budget.payer, 1);
    throw error;
  }
  const wait = await budget.limiter.chargeTenant(tenant);
  if (wait > 0) {
    budget.retryAfter = Math.max(budget.retryAfter, wait);
    throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: `Too many requests for this workspace; retry in ${wait} s` });
  }
  return proven;
}
