import type PgBoss from "pg-boss";
import type { TransactionSql } from "postgres";
import type { Transaction } from "@/db/client";
import { env } from "@/lib/env";
import { parseAccountPayload } from "./account-job";
import { parseTenantPayload } from "./tenant-job";
import type { QueueName } from "./queues";

type Sender = Pick<PgBoss, "send">;

/**
 * pg-boss's insert runs on the caller's transaction, so the job exists exactly when the change
 * that caused it commits (no lost or phantom jobs). pg-boss talks to a `{ executeSql }` adapter;
 * this one forwards to the postgres.js connection that Drizzle's transaction holds.
 */
function transactionAdapter(tx: Transaction): PgBoss.Db {
  const client = (tx as unknown as { session: { client: TransactionSql } }).session.client;
  return {
    executeSql: async (text: string, values: unknown[]) => {
      // node-postgres conventions that postgres.js does not share: undefined means NULL, objects are JSON.
      const params = values.map((v) => (v === undefined ? null : v !== null && typeof v === "object" && !(v instanceof Date) ? JSON.stringify(v) : v));
      return { rows: [...(await client.unsafe(text, params as never[]))] };
    },
  };
}

let sender: Promise<Sender> | null = null;
/** The worker registers its own pg-boss; the web process starts a small sending-only one on first use. */
export function setJobSender(boss: Sender | null): void {
  sender = boss ? Promise.resolve(boss) : null;
}

async function getSender(): Promise<Sender> {
  sender ??= (async () => {
    const { createBoss } = await import("./boss");
    const boss = createBoss(env().DATABASE_URL, { worker: false, max: 2 });
    await boss.start();
    return boss;
  })();
  return sender;
}

async function sendInTransaction(tx: Transaction, queue: QueueName, payload: object, options: PgBoss.SendOptions): Promise<string | null> {
  return (await getSender()).send(queue, payload, { ...options, db: transactionAdapter(tx) });
}

export function enqueueTenantJob(tx: Transaction, queue: QueueName, data: Record<string, unknown>, options: PgBoss.SendOptions = {}): Promise<string | null> {
  return sendInTransaction(tx, queue, parseTenantPayload(queue, data), options);
}

/** A job about one person's account (no tenant): `tx` is a transaction on the shared database. */
export function enqueueAccountJob(tx: Transaction, queue: QueueName, data: Record<string, unknown>, options: PgBoss.SendOptions = {}): Promise<string | null> {
  return sendInTransaction(tx, queue, parseAccountPayload(queue, data), options);
}
