import type { Transaction } from "@/db/client";
import { emailOutbox } from "@/db/schema/email";

export type OutgoingEmail = {
  tenantId: string;
  /** Unique per tenant: enqueueing the same email twice (a retried request) stores it once. */
  idempotencyKey: string;
  kind: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** References resolved when the email is delivered (e.g. the invoice PDF), not stored blobs. */
  attachments?: EmailAttachmentRef[];
};

export type EmailAttachmentRef = { type: "invoice-pdf"; invoiceId: string };

/**
 * Stores the email in the caller's transaction, so it exists exactly when the change that
 * caused it commits. Delivery happens afterwards (`deliverPending`).
 */
export async function enqueueEmail(db: Transaction, email: OutgoingEmail): Promise<void> {
  await db
    .insert(emailOutbox)
    .values({
      tenantId: email.tenantId,
      idempotencyKey: email.idempotencyKey,
      kind: email.kind,
      toAddress: email.to,
      subject: email.subject,
      textBody: email.text,
      htmlBody: email.html ?? null,
      attachments: email.attachments ?? null,
    })
    .onConflictDoNothing({ target: [emailOutbox.tenantId, emailOutbox.idempotencyKey] });
}
