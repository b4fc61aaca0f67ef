import "server-only";
import { and, eq, isNull, or, sql, type SQL } from "drizzle-orm";
import type { Database, Transaction } from "@/db/client";
import { userSessions } from "@/db/schema/accounts";
import type { MemberRole } from "@/db/schema/users";
import { withUser } from "@/db/tenant-transaction";
import type { ClassifiedHost } from "@/lib/host";
import { storedUserAgent } from "@/lib/user-agent";

export const SESSION_TTL_S = 7 * 24 * 60 * 60;

type NewSession = { userId: string; parentId?: string | null; host?: string | null; ttlSeconds?: number; userAgent?: string | null };

export async function createUserSession(directory: Database, opts: NewSession): Promise<string> {
  return withUser(directory, opts.userId, (tx) => insertUserSession(tx, opts));
}

/** The session row, in the caller's transaction, which must have app.user_id = opts.userId (RLS). */
export async function insertUserSession(tx: Transaction, opts: NewSession): Promise<string> {
  const expiresAt = new Date(Date.now() + (opts.ttlSeconds ?? SESSION_TTL_S) * 1000);
  const [row] = await tx
    .insert(userSessions)
    .values({ userId: opts.userId, parentId: opts.parentId ?? null, host: opts.host ?? null, userAgent: storedUserAgent(opts.userAgent), expiresAt })
    .returning({ id: userSessions.id });
  if (!row) throw new Error("session insert returned no row");
  return row.id;
}

/**
 * Where a session lives: `null` for the root family (`<root>`, `admin.<root>`, `<slug>.<root>`,
 * which share one cookie), or one custom host. A tenant controls its custom domain's DNS and edge
 * and can capture cookies there, so a session issued on it must be worth nothing anywhere else.
 */
export type SessionPlace = string | null;

/** The place a request's Host belongs to; undefined (no session can match) for an unknown host. */
export function sessionPlaceOf(host: ClassifiedHost | null): SessionPlace | undefined {
  if (!host) return undefined;
  return host.kind === "custom" ? host.host : null;
}

/** A session row that is neither revoked nor expired, presented where it was issued. */
export const liveSessionPredicate = (sessionId: string, place: SessionPlace | undefined) =>
  and(
    eq(userSessions.id, sessionId),
    isNull(userSessions.revokedAt),
    sql`${userSessions.expiresAt} > now()`,
    place === undefined ? sql`false` : place === null ? isNull(userSessions.host) : eq(userSessions.host, place),
  );

/** The user's role in the tenant (null if not a member), as a scalar sub-select. */
const memberRole = (tenantId: string, userId: string) =>
  sql<MemberRole | null>`(select m.role from memberships m where m.tenant_id = ${tenantId} and m.user_id = ${userId})`;

/**
 * One statement: the session is live (a row) and, by sub-select, the user's role in the tenant
 * (null if not a member). No row: the session has ended. The bench's tRPC floor runs it on its
 * own; the tenant procedure folds the same check into its settings statement (sessionProbe).
 */
export async function sessionRole(
  directory: Database | Transaction,
  tenantId: string,
  session: { userId: string; sessionId: string },
  place: SessionPlace | undefined,
): Promise<{ role: MemberRole | null } | undefined> {
  const [row] = await directory
    .select({ role: memberRole(tenantId, session.userId) })
    .from(userSessions)
    .where(liveSessionPredicate(session.sessionId, place));
  return row;
}

/**
 * sessionRole's check as extra columns of the tenant transaction's settings statement
 * (TenantScope.probe): it then costs no statement of its own. Read the row with probedSessionRole.
 */
export function sessionProbe(tenantId: string, session: { userId: string; sessionId: string }, place: SessionPlace | undefined): SQL {
  return sql`exists (select 1 from ${userSessions} where ${liveSessionPredicate(session.sessionId, place)}) as "session_live", ${memberRole(tenantId, session.userId)} as "member_role", ${mfaGate(tenantId, session.userId)} as "mfa_missing"`;
}

/**
 * True when the tenant requires MFA and the user has none enabled (the user's own row, visible
 * through app.user_id). Under RLS with no settings it reads false for the tenant and the row alike;
 * that is harmless because session_live then reads false too, and the call is refused anyway.
 */
const mfaGate = (tenantId: string, userId: string) =>
  sql<boolean>`(coalesce((select t.mfa_required from tenants t where t.id = ${tenantId}), false) and not exists (select 1 from user_mfa f where f.user_id = ${userId} and f.enabled_at is not null))`;

/** sessionRole's answer from a sessionProbe row: undefined when the session has ended. */
export function probedSessionRole(row: Record<string, unknown>): { role: MemberRole | null; mfaMissing: boolean } | undefined {
  if (row.session_live !== true) return undefined;
  return { role: (row.member_role as MemberRole | null | undefined) ?? null, mfaMissing: row.mfa_missing === true };
}

export async function isSessionLive(directory: Database, opts: { userId: string; sessionId: string; place: SessionPlace | undefined }): Promise<boolean> {
  const rows = await withUser(directory, opts.userId, (tx) =>
    tx.select({ id: userSessions.id }).from(userSessions).where(liveSessionPredicate(opts.sessionId, opts.place)).limit(1),
  );
  return rows.length > 0;
}

/**
 * Signing out ends the whole family: the root sign-in and every custom-domain hand-off made
 * from it, wherever the cookies still sit.
 */
export async function revokeSessionFamily(directory: Database, opts: { userId: string; sessionId: string }): Promise<void> {
  await withUser(directory, opts.userId, async (tx) => {
    const [self] = await tx.select({ parentId: userSessions.parentId }).from(userSessions).where(eq(userSessions.id, opts.sessionId));
    const root = self?.parentId ?? opts.sessionId;
    await tx
      .update(userSessions)
      .set({ revokedAt: new Date() })
      .where(and(isNull(userSessions.revokedAt), or(eq(userSessions.id, root), eq(userSessions.parentId, root))));
  });
}
