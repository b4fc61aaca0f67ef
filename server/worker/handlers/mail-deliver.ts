import type { Database } from "@/db/client";
import { deliverAccountEmails } from "@/server/mail/account-email";
import { deliverPending } from "@/server/mail/deliver-pending";
import { parseAccountPayload } from "@/server/jobs/account-job";
import { queues } from "@/server/jobs/queues";
import { runAsTenant } from "@/server/jobs/tenant-job";

/**
 * Delivers a tenant's pending outbox rows (suspended tenants wait until reactivated). A delivery
 * that failed leaves the row `pending`: the job then fails too, so pg-boss retries it.
 */
export async function emailDeliverJob(db: Database, data: unknown) {
  const gate = await runAsTenant(db, queues.emailDeliver, data, ({ scope }) => Promise.resolve(scope.tenantId));
  if (gate.status !== "done") return gate;
  return failOnRetryable(await deliverPending(db, { tenantId: gate.value }));
}

/** Delivers one person's pending account mail, read in their own transaction. */
export async function accountEmailDeliverJob(db: Database, data: unknown) {
  const { userId } = parseAccountPayload(queues.accountEmailDeliver, data);
  return failOnRetryable(await deliverAccountEmails(db, { userId }));
}

function failOnRetryable<T extends { failed: number }>(result: T): T {
  if (result.failed > 0) throw new Error(`${result.failed} email(s) could not be delivered yet`);
  return result;
}
