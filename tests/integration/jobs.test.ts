import { spawn, type ChildProcess } from "node:child_process";
import { and, eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emailOutbox } from "@/db/schema/email";
import { invoices } from "@/db/schema/invoices";
import { withTenant } from "@/db/tenant-transaction";
import { createBoss } from "@/server/jobs/boss";
import { enqueueTenantJob, setJobSender } from "@/server/jobs/enqueue";
import { invoiceEmailJob } from "@/server/worker/handlers/invoice-email";
import { overdueSweepJob, overdueTenantJob } from "@/server/worker/handlers/overdue";
import { queues } from "@/server/jobs/queues";
import { MissingTenantError } from "@/server/jobs/tenant-job";
import { runMailJobs } from "../support/mail-jobs";
import { appDb, closeDb, createTenant, tenantFingerprint, type TenantFixture } from "../support/fixtures";

/** Puts a fixture invoice in the state a job cares about. */
async function makeSent(t: TenantFixture, invoiceId: string, opts: { dueDate: string; email?: string }) {
  await withTenant(appDb(), { tenantId: t.id }, (tx) =>
    tx
      .update(invoices)
      .set({ status: "sent", sentAt: new Date(), dueDate: opts.dueDate, issueDate: "2025-01-01", customerEmail: opts.email ?? "billing@customer.test" })
      .where(and(eq(invoices.tenantId, t.id), eq(invoices.id, invoiceId))),
  );
}

const outboxOf = (t: TenantFixture) =>
  withTenant(appDb(), { tenantId: t.id }, (tx) => tx.select().from(emailOutbox).where(eq(emailOutbox.tenantId, t.id)));

/** Suspension is a platform action: done here as the owner role, inside the tenant's scope. */
async function suspend(t: TenantFixture) {
  const owner = postgres(process.env.MIGRATION_DATABASE_URL!, { max: 1, onnotice: () => undefined });
  try {
    await owner.begin(async (tx) => {
      await tx`select set_config('app.tenant_id', ${t.id}, true)`;
      await tx`update tenants set status = 'suspended' where id = ${t.id}`;
    });
  } finally {
    await owner.end();
  }
}

let a: TenantFixture;
let b: TenantFixture;

beforeAll(async () => {
  a = await createTenant();
  b = await createTenant();
  await makeSent(a, a.invoiceIds[0]!, { dueDate: "2099-01-01" });
  await makeSent(b, b.invoiceIds[0]!, { dueDate: "2020-01-01" });
});
afterAll(closeDb);

describe("tenant jobs keep the boundary", () => {
  it("an invoice-email job for A, given B's invoice id, reads and changes nothing of B", async () => {
    const before = await tenantFingerprint(appDb(), b.id);
    const result = await invoiceEmailJob(appDb(), { tenantId: a.id, invoiceId: b.invoiceIds[0] });
    expect(result).toEqual({ status: "done", value: "not-found" });
    expect(await tenantFingerprint(appDb(), b.id)).toBe(before);
    expect(await outboxOf(a)).toHaveLength(0);
  });

  it("an overdue job for A leaves B's past-due invoices alone", async () => {
    const before = await tenantFingerprint(appDb(), b.id);
    const result = await overdueTenantJob(appDb(), { tenantId: a.id });
    expect(result).toEqual({ status: "done", value: [] });
    expect(await tenantFingerprint(appDb(), b.id)).toBe(before);
  });

  it("a job without tenantId is refused before it touches the database, and writes nothing", async () => {
    const before = [await tenantFingerprint(appDb(), a.id), await tenantFingerprint(appDb(), b.id)];
    await expect(invoiceEmailJob(appDb(), { invoiceId: a.invoiceIds[0] })).rejects.toBeInstanceOf(MissingTenantError);
    await expect(overdueTenantJob(appDb(), { tenantId: "not-a-uuid" })).rejects.toBeInstanceOf(MissingTenantError);
    expect([await tenantFingerprint(appDb(), a.id), await tenantFingerprint(appDb(), b.id)]).toEqual(before);
  });

  it("enqueueing a tenant job without tenantId fails before any insert", async () => {
    const boss = createBoss(process.env.DATABASE_URL!, { worker: false, max: 1 });
    await boss.start();
    setJobSender(boss);
    try {
      const count = async () => (await appDb().execute<{ n: number }>(sql`select count(*)::int as n from pgboss.job where name = ${queues.invoiceEmail}`))[0]!.n;
      const before = await count();
      await expect(withTenant(appDb(), { tenantId: a.id }, (tx) => enqueueTenantJob(tx, queues.invoiceEmail, { invoiceId: a.invoiceIds[0] }))).rejects.toBeInstanceOf(
        MissingTenantError,
      );
      expect(await count()).toBe(before);
      // The in-transaction send commits with the transaction, and rolls back with it.
      await expect(
        withTenant(appDb(), { tenantId: a.id }, async (tx) => {
          await enqueueTenantJob(tx, queues.invoiceEmail, { tenantId: a.id, invoiceId: a.invoiceIds[0] });
          throw new Error("roll back");
        }),
      ).rejects.toThrow("roll back");
      expect(await count()).toBe(before);
      const id = await withTenant(appDb(), { tenantId: a.id }, (tx) => enqueueTenantJob(tx, queues.invoiceEmail, { tenantId: a.id, invoiceId: a.invoiceIds[0] }));
      expect(await count()).toBe(before + 1);
      // Not for a worker: the crash test below must be the only invoice email in the queue.
      await boss.cancel(queues.invoiceEmail, id!);
    } finally {
      setJobSender(null);
      await boss.stop({ graceful: false, wait: true });
    }
  });
});

describe("the overdue sweep", () => {
  it("fans out per tenant, touches each tenant's invoices only, and skips a suspended tenant", async () => {
    const tenants = [await createTenant(), await createTenant(), await createTenant()];
    for (const t of tenants) {
      await makeSent(t, t.invoiceIds[0]!, { dueDate: "2020-02-01" });
      await makeSent(t, t.invoiceIds[1]!, { dueDate: "2099-02-01" });
    }
    const suspended = tenants[2]!;
    await suspend(suspended);
    const suspendedBefore = await tenantFingerprint(appDb(), suspended.id);

    const sent: { queue: string; data: { tenantId: string } }[] = [];
    await overdueSweepJob(appDb(), (queue, data) => {
      sent.push({ queue, data: data as { tenantId: string } });
      return Promise.resolve("job-id");
    });
    const fannedOut = sent.map((s) => s.data.tenantId);
    expect(fannedOut).toContain(tenants[0]!.id);
    expect(fannedOut).toContain(tenants[1]!.id);
    expect(fannedOut).not.toContain(suspended.id);
    expect(new Set(sent.map((s) => s.queue))).toEqual(new Set([queues.overdueTenant]));

    for (const t of tenants.slice(0, 2)) {
      const others = await Promise.all(tenants.filter((o) => o !== t).map((o) => tenantFingerprint(appDb(), o.id)));
      const result = await overdueTenantJob(appDb(), { tenantId: t.id });
      expect(result).toEqual({ status: "done", value: [t.invoiceIds[0]] });
      expect(await Promise.all(tenants.filter((o) => o !== t).map((o) => tenantFingerprint(appDb(), o.id)))).toEqual(others);
      const mail = await outboxOf(t);
      expect(mail.map((m) => m.idempotencyKey)).toEqual([`invoice:${t.invoiceIds[0]}:overdue-reminder`]);
      // Stored with its delivery job, which sends it.
      expect(mail[0]?.status).toBe("pending");
      expect(await runMailJobs({ tenantId: t.id })).toBe(1);
      expect((await outboxOf(t)).map((m) => m.status)).toEqual(["captured"]);
      // A second run finds nothing new and sends nothing twice.
      expect(await overdueTenantJob(appDb(), { tenantId: t.id })).toEqual({ status: "done", value: [] });
      expect(await outboxOf(t)).toHaveLength(1);
    }
    // Run directly, the suspended tenant's job is skipped.
    expect(await overdueTenantJob(appDb(), { tenantId: suspended.id })).toEqual({ status: "skipped", reason: "tenant suspended" });
    expect(await tenantFingerprint(appDb(), suspended.id)).toBe(suspendedBefore);
  });
});

describe("the worker, killed in the middle of a job", () => {
  let worker: ChildProcess | null = null;
  const startWorkerProcess = (hangAt?: string) => {
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/worker.ts"], {
      env: { ...process.env, NODE_ENV: "test", CANOPY_TEST_HANG_AT: hangAt ?? "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    return { child, output: () => output };
  };
  const waitFor = async (check: () => Promise<boolean> | boolean, timeoutMs: number, label: string | (() => string)) => {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`timed out waiting for ${typeof label === "string" ? label : label()}`);
  };
  afterAll(() => {
    worker?.kill("SIGKILL");
  });

  it("retries the job and exactly one email results", async () => {
    const t = await createTenant();
    await makeSent(t, t.invoiceIds[0]!, { dueDate: "2099-03-01", email: "once@customer.test" });
    const boss = createBoss(process.env.DATABASE_URL!, { worker: false, max: 1 });
    await boss.start();
    // A short expiry, so the killed attempt is noticed within seconds rather than minutes.
    const jobId = await boss.send(queues.invoiceEmail, { tenantId: t.id, invoiceId: t.invoiceIds[0] }, { expireInSeconds: 3, retryDelay: 1, retryBackoff: false });
    expect(jobId).toBeTruthy();
    // Every send in the other files queued an invoice email that no worker runs; on a full run they
    // are hundreds of PDFs in front of this job. Deferred by an hour, this job is the worker's first.
    const owner = postgres(process.env.MIGRATION_DATABASE_URL!, { max: 1, onnotice: () => undefined });
    try {
      await owner`update pgboss.job set start_after = now() + interval '1 hour' where name = ${queues.invoiceEmail} and id <> ${jobId} and state in ('created', 'retry')`;
      // Likewise the other files' mail delivery jobs, in front of the one this job queues.
      await owner`update pgboss.job set start_after = now() + interval '1 hour' where name = ${queues.emailDeliver} and data->>'tenantId' <> ${t.id} and state in ('created', 'retry')`;
    } finally {
      await owner.end();
    }

    // Other files queue invoice emails too; the crash point is this invoice's alone.
    const point = `invoice-email:after-commit:${t.invoiceIds[0]}`;
    const first = startWorkerProcess(point);
    worker = first.child;
    // The worker logs the hang with the point it stopped at (lib/log.mjs: JSON in production, readable here).
    const hung = () => first.output().includes("job test hang") && first.output().includes(point);
    await waitFor(hung, 150_000, () => `the first attempt to reach the crash point:\n${first.output()}`);
    // The email and its delivery job committed with the first attempt: delivered while that job hangs.
    await waitFor(async () => (await outboxOf(t)).some((m) => m.status === "captured"), 60_000, () => `the delivery job to deliver the email:\n${first.output()}`);
    expect((await outboxOf(t)).map((m) => m.status)).toEqual(["captured"]);
    first.child.kill("SIGKILL");
    await new Promise((r) => first.child.once("exit", r));

    const second = startWorkerProcess();
    worker = second.child;
    await waitFor(async () => (await boss.getJobById(queues.invoiceEmail, jobId!))?.state === "completed", 90_000, () => `the retried job to complete:\n${second.output()}`);
    const job = await boss.getJobById(queues.invoiceEmail, jobId!);
    expect(job?.retryCount).toBeGreaterThanOrEqual(1);
    const mail = await outboxOf(t);
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ idempotencyKey: `invoice:${t.invoiceIds[0]}:sent`, toAddress: "once@customer.test", status: "captured" });
    second.child.kill("SIGTERM");
    await boss.stop({ graceful: false, wait: true });
    // Two worker processes start (each compiles the worker) and render a PDF: slow on a loaded machine.
  }, 240_000);
});
