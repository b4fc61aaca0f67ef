import { and, desc, eq, isNull, or, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { userSessions } from "@/db/schema/accounts";
import { withUser } from "@/db/tenant-transaction";
import { deviceSummary } from "@/lib/user-agent";
import type { Session } from "@/server/auth";
import { AppError } from "@/server/errors";

export type ActiveSession = { id: string; device: string; host: string | null; createdAt: Date; lastSeenAt: Date; current: boolean };

/** The user's live sessions, most recently seen first; the one making this request is marked. */
export async function listSessions(directory: Database, session: Session): Promise<ActiveSession[]> {
  const rows = await withUser(directory, session.userId, (tx) =>
    tx
      .select({ id: userSessions.id, userAgent: userSessions.userAgent, host: userSessions.host, createdAt: userSessions.createdAt, lastSeenAt: userSessions.lastSeenAt })
      .from(userSessions)
      .where(and(eq(userSessions.userId, session.userId), isNull(userSessions.revokedAt), sql`${userSessions.expiresAt} > now()`))
      .orderBy(desc(userSessions.lastSeenAt), desc(userSessions.createdAt))
      .limit(100),
  );
  return rows.map((r) => ({ id: r.id, device: deviceSummary(r.userAgent), host: r.host, createdAt: r.createdAt, lastSeenAt: r.lastSeenAt, current: r.id === session.sessionId }));
}

/** Ends one session and the custom-domain hand-offs made from it. This browser's own is signed out with Sign out. */
export async function revokeSession(directory: Database, session: Session, id: string): Promise<{ id: string }> {
  if (id === session.sessionId) throw new AppError("BAD_REQUEST", "This is the session you are using; use Sign out instead");
  const rows = await withUser(directory, session.userId, (tx) =>
    tx
      .update(userSessions)
      .set({ revokedAt: new Date() })
      .where(and(eq(userSessions.userId, session.userId), isNull(userSessions.revokedAt), or(eq(userSessions.id, id), eq(userSessions.parentId, id))))
      .returning({ id: userSessions.id }),
  );
  // Another user's id looks like an unknown one (RLS hides it too).
  if (rows.length === 0) throw new AppError("NOT_FOUND", "That session has already ended");
  return { id };
}
