import "server-only";
import { and, asc, eq } from "drizzle-orm";
import { createTransport, type Transporter } from "nodemailer";
import type { Database } from "@/db/client";
import { emailOutbox } from "@/db/schema/email";
import { enterTenant } from "@/server/tenancy/enter-tenant";
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

type StoredMail = { toAddress: string; subject: string; textBody: string; htmlBody: string | null; attempts: number };
type Attachments = Awaited<ReturnType<typeof resolveAttachments>>;

/**
 * One delivery attempt of a stored email (tenant or account mail): `captured` without a transport,
 * else sent or, on an error, retried until MAX_ATTEMPTS. Returns the outcome and the row's new columns.
 */
export async function attemptDelivery(transport: MailTransport | null, row: StoredMail, attachments?: () => Promise<Attachments>) {
  if (!transport) return { outcome: "captured" as const, set: { status: "captured" as const } };
  try {
    await transport.sendMail({
      from: env().MAIL_FROM,
      to: row.toAddress,
      subject: row.subject,
      text: row.textBody,
      html: row.htmlBody ?? undefined,
      attachments: attachments ? await attachments() : undefined,
    });
    return { outcome: "sent" as const, set: { status: "sent" as const, sentAt: new Date(), attempts: row.attempts + 1, lastError: null } };
  } catch (error) {
    const attempts = row.attempts + 1;
    const message = error instanceof Error ? error.message : String(error);
    return { outcome: "failed" as const, set: { attempts, lastError: message.slice(0, 1000), status: attempts >= MAX_ATTEMPTS ? ("failed" as const) : ("pending" as const) } };
  }
}

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
  await enterTenant(db, { tenant: opts.tenantId }, async (scope) => {
    const rows = await scope.data
      .select()
      .from(emailOutbox)
      .where(and(eq(emailOutbox.tenantId, opts.tenantId), eq(emailOutbox.status, "pending")))
      .orderBy(asc(emailOutbox.createdAt))
      .limit(opts.limit ?? 20)
      .for("update", { skipLocked: true });
    for (const row of rows) {
      const { outcome, set } = await attemptDelivery(transport, row, () => resolveAttachments(scope, row.attachments));
      await scope.data
        .update(emailOutbox)
        .set(set)
        .where(and(eq(emailOutbox.tenantId, opts.tenantId), eq(emailOutbox.id, row.id)));
      result[outcome]++;
    }
  });
  return result;
}
