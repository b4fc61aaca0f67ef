import "server-only";
import type { Database } from "@/db/client";
import { log } from "@/lib/log.mjs";

export type AfterCommitTask = (db: Database) => Promise<void>;

const inflight = new Set<Promise<void>>();

/**
 * In-process work that must only happen once the transaction that asked for it has committed and
 * that may be lost if the process dies (clearing a cache, best-effort audit fan-out). Fire-and-forget
 * with logging. Mail never goes through here: it is written with a delivery job in the transaction
 * itself (server/mail/enqueue-email.ts, server/mail/account-email.ts), so it cannot be lost.
 */
export function runAfterCommit(db: Database, tasks: AfterCommitTask[]): void {
  for (const task of tasks) {
    const p = task(db)
      .catch((error: unknown) => log.error("after-commit task failed", { error }))
      .finally(() => inflight.delete(p));
    inflight.add(p);
  }
}

/** Resolves when every started task has finished (tests call it before closing the pool). */
export async function settleAfterCommit(): Promise<void> {
  while (inflight.size > 0) await Promise.allSettled([...inflight]);
}
