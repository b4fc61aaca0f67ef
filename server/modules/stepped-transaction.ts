import type { TenantScope } from "@/server/tenancy/enter-tenant";

/**
 * Opens one short tenant transaction (caller and permission checked again inside it) and commits
 * when `fn` returns. Functions that wait on the network (DNS, an identity provider) take this
 * instead of a scope, so no transaction and no pooled connection is held across the wait.
 */
export type TenantTransaction = <T>(fn: (scope: TenantScope) => Promise<T>) => Promise<T>;
