import { z } from "zod";

const isoDate = z.iso.date();

export const listAuditInput = z
  .strictObject({
    action: z.string().trim().min(1).max(100).optional(),
    entityType: z.string().trim().min(1).max(50).optional(),
    entityId: z.uuid().optional(),
    actorUserId: z.uuid().optional(),
    /** Inclusive calendar days, in UTC. */
    from: isoDate.optional(),
    to: isoDate.optional(),
    cursor: z.string().max(200).optional(),
    limit: z.number().int().min(1).max(100).default(50),
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { message: "The range ends before it starts", path: ["to"] });
export type ListAuditInput = z.input<typeof listAuditInput>;
export type ListAuditQuery = z.output<typeof listAuditInput>;

/**
 * Every action the app writes to a tenant's audit log. `writeAudit` accepts only these, and the
 * sentence formatter has one sentence per entry here (a unit test walks the list).
 */
export const auditActions = [
  "project.create",
  "project.update",
  "project.archive",
  "project.restore",
  "project.delete",
  "invoice.create",
  "invoice.update",
  "invoice.send",
  "invoice.markPaid",
  "invoice.markUnpaid",
  "invoice.void",
  "invoice.delete",
  "customer.create",
  "customer.update",
  "customer.archive",
  "invoice.publicLink.issue",
  "invoice.publicLink.revoke",
  "invitation.create",
  "invitation.resend",
  "invitation.revoke",
  "invitation.accept",
  "member.updateRole",
  "member.remove",
  "member.removeSkipped",
  "apiKey.create",
  "apiKey.revoke",
  "domain.add",
  "domain.verify",
  "domain.remove",
  "domain.disable",
  "domain.reenable",
  "tenant.create",
  "tenant.settings.update",
  "tenant.logo.set",
  "tenant.logo.remove",
  "support.start",
  "support.end",
  "account.passwordChange",
  "account.passwordReset",
  "account.emailChange",
  "account.newDeviceSignIn",
  "sso.configure",
  "sso.remove",
  "sso.require",
  "sso.domain.add",
  "sso.domain.verify",
  "sso.domain.remove",
  "member.joinViaSso",
  "account.mfaEnable",
  "account.mfaDisable",
  "account.mfaRecoveryCodeUse",
  "tenant.mfaRequirement",
] as const;
export type AuditAction = (typeof auditActions)[number];

export const auditEntityTypes = ["project", "invoice", "customer", "member", "invitation", "api_key", "domain", "tenant", "support_session", "sso_domain"] as const;
export type AuditEntityType = (typeof auditEntityTypes)[number];
