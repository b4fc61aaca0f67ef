import type { Database } from "@/db/client";

/**
 * What every platform (admin) function takes: the platform administrator acting, and the shared
 * database's pool. No transaction is handed in: each action opens its own, with app.user_id set,
 * or enters one tenant's when it acts inside it.
 */
export type PlatformScope = { userId: string; directory: Database };

/** From the platform admin rung's context: the admin it checked and the shared pool it holds. */
export const platformScopeOf = (ctx: { userId: string; directory: Database }): PlatformScope => ({ userId: ctx.userId, directory: ctx.directory });
