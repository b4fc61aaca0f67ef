import "server-only";
import { and, asc, eq } from "drizzle-orm";
import { createTransport, type Transporter } from "nodemailer";
import type { Database } from "@/db/client";
import { emailOutbox } from "@/db/schema/email";
import { withTenantData } from "@/server/placement";
import { env } from "@/lib/env";
import { resolveAttachments } from "./attachments";

const MAX_ATTEMPTS = 5;

/** What delivery needs from nodemailer; tests pass a JSON transport. */
export type MailTransport = Pick<Transporter, "sendMail">;

let smtp: { url: string; transport: MailTransport } | undefined;

export function smtpTransport(): MailTransport | null {
  const url = env().SMTP_URL;
  if (!url) return null;
  if (smtp?.url !== url) smtp = { url, transport: createTransport(url) };
  return smtp.transport;
}

export type DeliveryResult = { sent: number; captured: number; failed: number };

/**
 * Delivers a tenant's pending emails: through SMTP when SMTP_URL is set, otherwise marks them
 * `captured` (the dev outbox shows them). Rows are claimed `for update skip locked`, so two
 * deliverers never send the same email; a failure is retried up to MAX_ATTEMPTS.
 */
export async function deliverPending(
  db: Database,
  opts: { tenantId: string; limit?: number; transport?: MailTransport | null },
): Promise<DeliveryResult> {
  const transport = opts.transport === undefined ? smtpTransport() : opts.transport;
  const result: DeliveryResult = { sent: 0, captured: 0, failed: 0 };
  await withTenantData(db, { tenantId: opts.tenantId }, async (tx) => {
    const rows = await tx
      .select()
      .from(emailOutbox)
      .where(and(eq(emailOutbox.tenantId, opts.tenantId), eq(emailOutbox.status, "pending")))
      .orderBy(asc(emailOutbox.createdAt))
      .limit(opts.limit ?? 20)
      .for("update", { skipLocked: true });
    for (const row of rows) {
      const where = and(eq(emailOutbox.tenantId, opts.tenantId), eq(emailOutbox.id, row.id));
      if (!transport) {
        await tx.update(emailOutbox).set({ status: "captured" }).where(where);
        result.captured++;
        continue;
      }
      try {
        await transport.sendMail({
          from: env().MAIL_FROM,
          to: row.toAddress,
          subject: row.subject,
          text: row.textBody,
          html: row.htmlBody ?? undefined,
          attachments: await resolveAttachments(tx, opts.tenantId, row.attachments),
        });
        await tx.update(emailOutbox).set({ status: "sent", sentAt: new Date(), attempts: row.attempts + 1, lastError: null }).where(where);
        result.sent++;
      } catch (error) {
        const attempts = row.attempts + 1;
        const message = error instanceof Error ? error.message : String(error);
        await tx
          .update(emailOutbox)
          .set({ attempts, lastError: message.slice(0, 1000), status: attempts >= MAX_ATTEMPTS ? "failed" : "pending" })
          .where(where);
        result.failed++;
      }
    }
  });
  return result;
}
