import { desc, eq } from "drizzle-orm";
import type { Transaction } from "@/db/client";
import { emailOutbox } from "@/db/schema/email";

/** The tenant's latest emails, newest first: the dev outbox (and a delivery log with SMTP). */
export async function listOutbox({ tenantId, db }: { tenantId: string; db: Transaction }) {
  return db
    .select({
      id: emailOutbox.id,
      kind: emailOutbox.kind,
      to: emailOutbox.toAddress,
      subject: emailOutbox.subject,
      text: emailOutbox.textBody,
      status: emailOutbox.status,
      attempts: emailOutbox.attempts,
      lastError: emailOutbox.lastError,
      createdAt: emailOutbox.createdAt,
      sentAt: emailOutbox.sentAt,
    })
    .from(emailOutbox)
    .where(eq(emailOutbox.tenantId, tenantId))
    .orderBy(desc(emailOutbox.createdAt), desc(emailOutbox.id))
    .limit(50);
}
