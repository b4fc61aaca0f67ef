import { emailOutbox } from "@/db/schema/email";
import { enqueueTenantJob } from "@/server/jobs/enqueue";
import { queues } from "@/server/jobs/queues";
import type { TenantScope } from "@/server/tenancy/enter-tenant";

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

/** Where a tenant's mail is written: the outbox on its placement, the delivery job in the shared database. */
export type MailScope = Pick<TenantScope, "data" | "directory">;

/**
 * The one way a tenant's email is sent: the outbox row (in `data`) and a delivery job (in
 * `directory`, where pg-boss lives) are written in the caller's transactions, so a rolled-back
 * change sends nothing and a committed one is always delivered; the job is retried until it is,
 * and the idempotency key keeps a retried change from storing the email twice.
 *
 * For a tenant in a dedicated database, `data` commits before `directory` (enterTenant): a
 * delivery job never exists without its row. Should the directory commit fail after the data
 * commit, the row waits as `pending` and goes out with the tenant's next delivery job, since
 * every job delivers all of the tenant's pending mail.
 */
export async function enqueueEmail(scope: MailScope, email: OutgoingEmail): Promise<void> {
  await scope.data
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
  await enqueueTenantJob(scope.directory, queues.emailDeliver, { tenantId: email.tenantId });
}
