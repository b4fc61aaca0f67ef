import "server-only";
import { and, asc, eq } from "drizzle-orm";
import type { Database, Transaction } from "@/db/client";
import { accountEmails } from "@/db/schema/accounts";
import { withUser } from "@/db/tenant-transaction";
import { enqueueAccountJob } from "@/server/jobs/enqueue";
import { queues } from "@/server/jobs/queues";
import { attemptDelivery, smtpTransport, type DeliveryResult, type MailTransport } from "./deliver-pending";

export type AccountEmail = { userId: string; kind: string; to: string; subject: string; text: string; html?: string };

/**
 * Mail to a person (address proofs, account notices), stored in the caller's transaction, which
 * must be the recipient's own (app.user_id) on the shared database: RLS refuses anything else, and
 * only that user's transactions can read it back, so no tenant user or API key ever sees a link
 * meant for them. The delivery job (pg-boss, also in the shared database) is queued in the same
 * transaction: a rolled-back change sends nothing, a committed one is retried until delivered.
 */
export async function queueAccountEmail(tx: Transaction, email: AccountEmail): Promise<void> {
  await tx.insert(accountEmails).values({
    userId: email.userId,
    kind: email.kind,
    toAddress: email.to,
    subject: email.subject,
    textBody: email.text,
    htmlBody: email.html ?? null,
  });
  await enqueueAccountJob(tx, queues.accountEmailDeliver, { userId: email.userId });
}

/** Delivers one user's pending account mail (SMTP, or `captured` without SMTP_URL), rows claimed `skip locked`. */
export async function deliverAccountEmails(db: Database, opts: { userId: string; transport?: MailTransport | null }): Promise<DeliveryResult> {
  const transport = opts.transport === undefined ? smtpTransport() : opts.transport;
  const result: DeliveryResult = { sent: 0, captured: 0, failed: 0 };
  await withUser(db, opts.userId, async (tx) => {
    const rows = await tx
      .select()
      .from(accountEmails)
      .where(and(eq(accountEmails.userId, opts.userId), eq(accountEmails.status, "pending")))
      .orderBy(asc(accountEmails.createdAt))
      .limit(20)
      .for("update", { skipLocked: true });
    for (const row of rows) {
      const { outcome, set } = await attemptDelivery(transport, row);
      await tx
        .update(accountEmails)
        .set(set)
        .where(and(eq(accountEmails.userId, opts.userId), eq(accountEmails.id, row.id)));
      result[outcome]++;
    }
  });
  return result;
}
