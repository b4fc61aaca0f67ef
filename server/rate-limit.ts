import { AsyncLocalStorage } from "node:async_hooks";
import { TRPCError } from "@trpc/server";
import { addressKey } from "@/lib/client-address.mjs";
import { env } from "@/lib/env";

/**
 * API budgets as token buckets: a bucket holds up to `burst` calls and refills at `perSecond`.
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

/**
 * Where buckets live. In process today; a shared store (a PostgreSQL row per key) can replace it
 * without changing the callers, hence the promise.
 */
export interface BucketStore {
  /**
   * Takes `cost` tokens from `key` if it holds them all; a cost of 0 asks whether it holds at least
   * one, taking nothing. Returns 0 on success, else the whole seconds until it would succeed.
   */
  take(key: string, cost: number, rule: BucketRule, now?: number): Promise<number>;
}

/** Per-process buckets: with N app servers each enforces its own (docs/scaling.md). */
export class MemoryBucketStore implements BucketStore {
  private readonly buckets = new Map<string, { tokens: number; updated: number }>();

  constructor(private readonly maxKeys = 50_000) {}

  take(key: string, cost: number, rule: BucketRule, now = Date.now()): Promise<number> {
    const bucket = this.buckets.get(key) ?? { tokens: rule.burst, updated: now };
    bucket.tokens = Math.min(rule.burst, bucket.tokens + ((now - bucket.updated) / 1000) * rule.perSecond);
    bucket.updated = now;
    // Least recently used first out: a flood of new keys cannot reset a bucket that is in use.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    const needed = Math.max(cost, 1);
    if (bucket.tokens >= needed) {
      bucket.tokens -= cost;
      return Promise.resolve(0);
    }
    return Promise.resolve(Math.max(1, Math.ceil((needed - bucket.tokens) / rule.perSecond)));
  }
}

export type RateLimits = { client: BucketRule; tenant: BucketRule };

/**
 * The payer of calls no tenant pays for: a session, or a client address. An address's requests that
 * carry an API key have a bucket of their own, so anonymous traffic from a shared address (a NAT, a
 * cloud egress) cannot starve an API client there, nor forged keys the anonymous visitors.
 */
export type Payer = { kind: "session"; sessionId: string } | { kind: "address"; address: string | null; apiKey: boolean };

const payerKey = (payer: Payer) =>
  payer.kind === "session" ? `session:${payer.sessionId}` : `${payer.apiKey ? "api-key" : "address"}:${addressKey(payer.address)}`;

export class RateLimiter {
  constructor(
    readonly limits: RateLimits,
    readonly store: BucketStore = new MemoryBucketStore(),
  ) {}

  /** Charges calls to the caller (cost 0: is anything left?). Returns 0 or the seconds to wait. */
  chargeCaller(payer: Payer, cost: number): Promise<number> {
    return this.store.take(payerKey(payer), cost, this.limits.client);
  }

  chargeTenant(tenantId: string, cost = 1): Promise<number> {
    return this.store.take(`tenant:${tenantId}`, cost, this.limits.tenant);
  }
}

/** The limiter configured by the environment (CLIENT_RATE_LIMIT_*, TENANT_RATE_LIMIT_*). */
export function rateLimiterFromEnv(): RateLimiter {
  const e = env();
  return new RateLimiter({
    client: { perSecond: e.CLIENT_RATE_LIMIT_PER_SEC, burst: e.CLIENT_RATE_LIMIT_BURST },
    tenant: { perSecond: e.TENANT_RATE_LIMIT_PER_SEC, burst: e.TENANT_RATE_LIMIT_BURST },
  });
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
export async function chargeTenantCall<T>(tenantId: string, principal: Promise<T>): Promise<T> {
  const budget = currentBudget.getStore();
  if (!budget) return principal;
  let proven: T;
  try {
    proven = await principal;
  } catch (error) {
    await budget.limiter.chargeCaller(budget.payer, 1);
    throw error;
  }
  const wait = await budget.limiter.chargeTenant(tenantId);
  if (wait > 0) {
    budget.retryAfter = Math.max(budget.retryAfter, wait);
    throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: `Too many requests for this workspace; retry in ${wait} s` });
  }
  return proven;
}
