import { and, eq, inArray, isNotNull, isNull, or, sql, type SQL } from "drizzle-orm";
import { apiKeys, invitations } from "@/db/schema/accounts";
import { auditLog } from "@/db/schema/audit";
import { memberships, users } from "@/db/schema/users";
import { writeAudit } from "@/server/audit/write-audit";
import { AppError } from "@/server/errors";
import { listedApiKey } from "@/server/modules/api-key/manage-api-keys";
import type { TenantScope } from "@/server/tenancy/enter-tenant";

type Ended = { apiKeys: number; invitations: number; members: number };

/** Marks an audit entry as a consequence of revoking `apiKeyId`, not a separate decision. */
const because = (apiKeyId: string) => ({ endedByRevokingApiKey: apiKeyId });

/**
 * Revokes a key and ends everything it started, in one transaction: a key that could bring in a
 * person (or a person who can mint keys) would otherwise outlive its revocation. Refused from the
 * very next request: the tenant procedure reads revoked_at on every call.
 */
export async function revokeApiKey(scope: TenantScope, id: string) {
  const { tenantId, userId, directory, data } = scope;
  const [before] = await directory
    .select({ name: apiKeys.name, prefix: apiKeys.prefix, revokedAt: apiKeys.revokedAt })
    .from(apiKeys)
    .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, id)))
    .for("update");
  if (!before) throw new AppError("NOT_FOUND", "API key not found");
  if (before.revokedAt) throw new AppError("INVALID_TRANSITION", "This API key is already revoked");
  const [row] = await directory
    .update(apiKeys)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, id)))
    .returning(listedApiKey);
  if (!row) throw new AppError("NOT_FOUND", "API key not found");
  await writeAudit(data, { tenantId, actorUserId: userId, action: "apiKey.revoke", entityType: "api_key", entityId: id, before: { name: before.name, prefix: before.prefix } });
  const ended = await endWhatKeyStarted(scope, id);
  return { ...row, ended };
}

/**
 * Walks what the key started until nothing new turns up: invitations whose live token it issued
 * (created or re-sent: it could read them in the outbox), the people who joined through them,
 * and the keys and invitations those people and the key made in turn. Pending invitations and
 * keys are revoked as they are found; memberships are removed at the end, under one lock.
 */
async function endWhatKeyStarted(scope: TenantScope, rootKeyId: string): Promise<Ended> {
  const ended: Ended = { apiKeys: 0, invitations: 0, members: 0 };
  const seen = { keys: new Set([rootKeyId]), people: new Set<string>(), invitations: new Set<string>() };
  const fresh = (set: Set<string>, ids: readonly (string | null)[]) => {
    const out = [...new Set(ids)].filter((x): x is string => x !== null && !set.has(x));
    for (const x of out) set.add(x);
    return out;
  };
  let keys = [rootKeyId];
  let people: string[] = [];
  while (keys.length > 0 || people.length > 0) {
    const issued = fresh(seen.invitations, await invitationsIssuedBy(scope, keys, people));
    ended.invitations += await revokePendingInvitations(scope, issued, rootKeyId);
    // Read after the revocation: an acceptance that won the race has committed by now (the
    // update above waited for its row lock), so whoever joined that way is found here.
    const joined = fresh(seen.people, await acceptedBy(scope, issued));
    const minted = fresh(seen.keys, await keysMintedBy(scope, keys, people));
    ended.apiKeys += await revokeKeys(scope, minted, rootKeyId);
    keys = minted;
    people = joined;
  }
  ended.members = await removeMembers(scope, [...seen.people], rootKeyId);
  return ended;
}

const anyOf = (...conditions: (SQL | false)[]) => or(...conditions.filter((c): c is SQL => c !== false)) ?? sql`false`;

/**
 * Both records: the invitation's own columns, and the audit log. Keys could invite (and re-send)
 * before invited_by_api_key_id existed; for those invitations the log is the only witness.
 */
async function invitationsIssuedBy({ tenantId, directory, data }: TenantScope, keys: string[], people: string[]): Promise<(string | null)[]> {
  const own = await directory
    .select({ id: invitations.id })
    .from(invitations)
    .where(and(eq(invitations.tenantId, tenantId), anyOf(keys.length > 0 && inArray(invitations.invitedByApiKeyId, keys), people.length > 0 && inArray(invitations.invitedBy, people))));
  const logged = await data
    .select({ id: auditLog.entityId })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.tenantId, tenantId),
        eq(auditLog.entityType, "invitation"),
        inArray(auditLog.action, ["invitation.create", "invitation.resend"]),
        anyOf(keys.length > 0 && inArray(auditLog.actorApiKeyId, keys), people.length > 0 && inArray(auditLog.actorUserId, people)),
      ),
    );
  return [...own, ...logged].map((r) => r.id);
}

/** Keys made by these keys (only possible before keys lost apiKey:manage: the log knows) or these people. */
async function keysMintedBy({ tenantId, directory, data }: TenantScope, keys: string[], people: string[]): Promise<(string | null)[]> {
  const own = people.length > 0 ? await directory.select({ id: apiKeys.id }).from(apiKeys).where(and(eq(apiKeys.tenantId, tenantId), inArray(apiKeys.createdBy, people))) : [];
  const logged =
    keys.length > 0
      ? await data
          .select({ id: auditLog.entityId })
          .from(auditLog)
          .where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.entityType, "api_key"), eq(auditLog.action, "apiKey.create"), inArray(auditLog.actorApiKeyId, keys)))
      : [];
  return [...own, ...logged].map((r) => r.id);
}

async function revokePendingInvitations({ tenantId, userId, directory, data }: TenantScope, ids: string[], rootKeyId: string): Promise<number> {
  if (ids.length === 0) return 0;
  const revoked = await directory
    .update(invitations)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(invitations.tenantId, tenantId), inArray(invitations.id, ids), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
    .returning({ id: invitations.id, email: invitations.email, role: invitations.role });
  for (const inv of revoked) {
    await writeAudit(data, {
      tenantId,
      actorUserId: userId,
      action: "invitation.revoke",
      entityType: "invitation",
      entityId: inv.id,
      before: { email: inv.email, role: inv.role },
      after: because(rootKeyId),
    });
  }
  return revoked.length;
}

async function acceptedBy({ tenantId, directory }: TenantScope, ids: string[]): Promise<(string | null)[]> {
  if (ids.length === 0) return [];
  const rows = await directory
    .select({ userId: invitations.acceptedBy })
    .from(invitations)
    .where(and(eq(invitations.tenantId, tenantId), inArray(invitations.id, ids), isNotNull(invitations.acceptedAt)));
  return rows.map((r) => r.userId);
}

async function revokeKeys({ tenantId, userId, directory, data }: TenantScope, ids: string[], rootKeyId: string): Promise<number> {
  if (ids.length === 0) return 0;
  const revoked = await directory
    .update(apiKeys)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiKeys.tenantId, tenantId), inArray(apiKeys.id, ids), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix });
  for (const key of revoked) {
    await writeAudit(data, {
      tenantId,
      actorUserId: userId,
      action: "apiKey.revoke",
      entityType: "api_key",
      entityId: key.id,
      before: { name: key.name, prefix: key.prefix },
      after: because(rootKeyId),
    });
  }
  return revoked.length;
}

/**
 * The member rules still hold: the memberships of the people, the actor and every owner are
 * locked in user_id order (as member.remove does, so the two cannot deadlock); the last owner is
 * never removed, and only an owner removes an owner. A membership kept for either reason is
 * written to the audit log, so someone can look at it.
 */
async function removeMembers({ tenantId, userId, directory, data }: TenantScope, people: string[], rootKeyId: string): Promise<number> {
  if (people.length === 0) return 0;
  const locked = await directory
    .select({ userId: memberships.userId, role: memberships.role, email: users.email })
    .from(memberships)
    .leftJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.tenantId, tenantId), or(eq(memberships.role, "owner"), inArray(memberships.userId, userId ? [...people, userId] : people))))
    .orderBy(memberships.userId)
    .for("update", { of: memberships });
  const actorRole = userId ? locked.find((r) => r.userId === userId)?.role : undefined;
  let owners = locked.filter((r) => r.role === "owner").length;
  let removed = 0;
  for (const target of locked.filter((r) => people.includes(r.userId))) {
    const kept = target.role !== "owner" ? null : owners <= 1 ? "the last owner" : actorRole !== "owner" ? "only an owner removes an owner" : null;
    if (kept) {
      await writeAudit(data, {
        tenantId,
        actorUserId: userId,
        action: "member.removeSkipped",
        entityType: "member",
        entityId: target.userId,
        after: { role: target.role, email: target.email, reason: kept, ...because(rootKeyId) },
      });
      continue;
    }
    await directory.delete(memberships).where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, target.userId)));
    if (target.role === "owner") owners--;
    removed++;
    await writeAudit(data, {
      tenantId,
      actorUserId: userId,
      action: "member.remove",
      entityType: "member",
      entityId: target.userId,
      before: { role: target.role, email: target.email },
      after: because(rootKeyId),
    });
  }
  return removed;
}
