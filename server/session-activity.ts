import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { userSessions } from "@/db/schema/accounts";
import { withUser } from "@/db/tenant-transaction";
import { log } from "@/lib/log.mjs";

/** "Last seen" on the settings page is approximate to this much: a write per request would cost every call a statement. */
const TOUCH_EVERY_MS = 5 * 60 * 1000;
const MAX_REMEMBERED = 10_000;
const touched = new Map<string, number>();

/**
 * Records that a live session was just used, at most once per session and process every few
 * minutes. Awaited by the caller (no work left running after the response), but it never fails a call.
 */
export async function noteSessionActivity(directory: Database, session: { userId: string; sessionId: string }): Promise<void> {
  const now = Date.now();
  const last = touched.get(session.sessionId);
  if (last !== undefined && now - last < TOUCH_EVERY_MS) return;
  if (touched.size >= MAX_REMEMBERED) touched.clear();
  touched.set(session.sessionId, now);
  try {
    await withUser(directory, session.userId, (tx) =>
      tx
        .update(userSessions)
        .set({ lastSeenAt: sql`now()` })
        .where(and(eq(userSessions.id, session.sessionId), sql`${userSessions.lastSeenAt} < now() - interval '1 minute'`)),
    );
  } catch (error) {
    log.error("could not record session last seen", { error });
  }
}
