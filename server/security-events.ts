import "server-only";
import { sql } from "drizzle-orm";
import type { Database, Transaction } from "@/db/client";
import { userSessions } from "@/db/schema/accounts";
import { users } from "@/db/schema/users";
import { withUser } from "@/db/tenant-transaction";
import type { AuditAction } from "@/lib/schemas/audit";
import { runAfterCommit } from "./after-commit";
import { writeAudit } from "./audit/write-audit";
import { queueAccountEmail } from "./mail/account-email";
import { securityNoticeEmail, type SecurityEventKind } from "./mail/account-templates";
import { enterTenant } from "@/server/tenancy/enter-tenant";
import { rootUrl } from "./urls";

/** The tenant audit action for each event: the account's holder is the actor, the entity is the user. */
export const securityAuditAction: Record<SecurityEventKind, AuditAction> = {
  "password.changed": "account.passwordChange",
  "password.reset": "account.passwordReset",
  "email.changed": "account.emailChange",
  "signin.new_device": "account.newDeviceSignIn",
  "mfa.enabled": "account.mfaEnable",
  "mfa.disabled": "account.mfaDisable",
  "mfa.recovery_used": "account.mfaRecoveryCodeUse",
};

export type SecurityEvent = { userId: string; kind: SecurityEventKind; device: string | null; host: string | null };

/**
 * The notice to the account's address, written with its delivery job in the caller's transaction
 * (the user's own), so it exists, and goes out, exactly when the change does. `to` differs from the
 * account's address only for an email change, whose notice goes to the address it left.
 */
export async function queueSecurityNotice(tx: Transaction, event: SecurityEvent & { to: string; name: string; newEmail?: string }): Promise<void> {
  const mail = securityNoticeEmail({ name: event.name, kind: event.kind, device: event.device, newEmail: event.newEmail, resetUrl: rootUrl("/forgot-password") });
  await queueAccountEmail(tx, { userId: event.userId, kind: `security:${event.kind}`, to: event.to, ...mail });
}

type WorkspaceRow = { tenant_id: string; [k: string]: unknown };

/**
 * Once the change has committed, each tenant the user belongs to gets an audit entry, in that
 * tenant's own transaction on its own placement (a person's account is shared by their workspaces,
 * so each one's admins see that its member's credentials changed). The notice itself is not sent
 * from here: queueSecurityNotice queued its delivery job with the change.
 */
export function afterSecurityEvent(db: Database, event: SecurityEvent): void {
  runAfterCommit(db, [(shared) => auditSecurityEvent(shared, event)]);
}

export async function auditSecurityEvent(db: Database, event: SecurityEvent): Promise<void> {
  const tenants = await withUser(db, event.userId, (tx) => tx.execute<WorkspaceRow>(sql`select tenant_id from app_my_workspaces()`));
  for (const { tenant_id: tenantId } of tenants) {
    await enterTenant(db, { tenant: tenantId, userId: event.userId }, ({ data }) =>
      writeAudit(data, {
        tenantId,
        actorUserId: event.userId,
        action: securityAuditAction[event.kind],
        entityType: "member",
        entityId: event.userId,
        after: { device: event.device, host: event.host },
      }),
    );
  }
}

/**
 * A sign-in from a browser without a device cookie for this account (server/device-cookie.ts): the
 * owner hears of it, so a stolen password does not go unnoticed. An account's very first sign-in
 * (just after signing up) is not news and sends nothing.
 */
export async function notifyNewDeviceSignIn(db: Database, opts: { userId: string; device: string | null; host: string | null }): Promise<void> {
  const event: SecurityEvent = { userId: opts.userId, kind: "signin.new_device", device: opts.device, host: opts.host };
  const notified = await withUser(db, opts.userId, async (tx) => {
    const [row] = await tx.execute<{ email: string; name: string; before: boolean }>(
      sql`select u.email, u.name, exists (select 1 from ${userSessions} s where s.user_id = u.id) as before from ${users} u where u.id = ${opts.userId}`,
    );
    if (!row?.before) return false;
    await queueSecurityNotice(tx, { ...event, to: row.email, name: row.name });
    return true;
  });
  if (notified) afterSecurityEvent(db, event);
}
