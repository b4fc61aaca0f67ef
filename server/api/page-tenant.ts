import { env } from "@/lib/env";
import { log } from "@/lib/log.mjs";

/**
 * A page render's one tenant transaction. Server components make several reads (the layout's,
 * the page's); each is a tRPC query through the same ladder, but instead of entering the tenant
 * once per call they share one entry, opened by the first read: the Host's tenant resolved, the
 * caller proven, the transaction open. Each read is still checked against its own permission.
 *
 * The transaction is held until the response has been sent (`close`, from next/server's `after`)
 * or, should that never come, for `HOLD_LIMIT_MS`: a slow client must not pin a pooled
 * connection. A read after that, or after a read failed (the transaction may be aborted), enters
 * the tenant on its own, exactly as a browser's call does. Mutations never come here.
 */
export const HOLD_LIMIT_MS = 10_000;

/**
 * A page holds its connection while it renders, and its other reads (the account, the session's
 * activity) need a second one. Were every connection of the pool held by a page, those would wait
 * on each other until the pool's wait limit: so at most half the pool is held by pages at once,
 * and a page beyond that reads the way a browser's calls do, one transaction per call.
 */
let held = 0;
const heldLimit = () => Math.max(1, Math.floor(env().DB_POOL_MAX / 2));

export class PageTenant<A> {
  private opened?: Promise<A>;
  private finished = false;
  private release!: () => void;
  private readonly released = new Promise<void>((resolve) => (this.release = resolve));
  private limit?: ReturnType<typeof setTimeout>;
  private readonly reads = new Map<string, Promise<unknown>>();
  private ended: Promise<void> = Promise.resolve();

  /**
   * The shared entry, opened on first use by `open`, which must hold its transaction until the
   * promise its `hold` returns settles. Undefined once the page's transaction can no longer serve.
   */
  entry(open: (hold: (admitted: A) => Promise<void>) => Promise<void>): Promise<A> | undefined {
    if (this.finished) return undefined;
    if (!this.opened && held >= heldLimit()) return undefined;
    this.opened ??= new Promise<A>((resolve, reject) => {
      let admittedOnce = false;
      held++;
      this.limit = setTimeout(() => this.close(), HOLD_LIMIT_MS);
      this.limit.unref?.();
      const done = open((admitted) => {
        admittedOnce = true;
        resolve(admitted);
        return this.released;
      });
      this.ended = done
        .catch((error: unknown) => {
          // Refused before it opened (signed out, not a member): every read of the page gets that refusal.
          if (!admittedOnce) reject(error instanceof Error ? error : new Error(String(error)));
          else log.error("page transaction did not commit", { error });
        })
        .finally(() => {
          held--;
          this.close();
        });
    });
    return this.opened;
  }

  /**
   * Runs one read in the shared transaction. The same read asked twice (the layout and the page
   * both want the workspace) runs once. A failed read ends sharing: later reads enter on their own.
   */
  run<T>(entry: Promise<A>, key: string, read: (admitted: A) => Promise<T>): Promise<T> {
    const known = this.reads.get(key) as Promise<T> | undefined;
    if (known) return known;
    const reading = entry.then(read).catch((error: unknown) => {
      this.finished = true;
      this.reads.delete(key);
      throw error;
    });
    this.reads.set(key, reading);
    return reading;
  }

  /** The response has been sent: commit the page's transaction (a read-only one, so nothing is lost either way). */
  close(): void {
    this.finished = true;
    clearTimeout(this.limit);
    this.release();
  }

  /** Closes, and resolves once the page's transaction has ended (for the bench and tests). */
  async closed(): Promise<void> {
    this.close();
    await this.ended;
  }
}
