import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBoss } from "@/server/jobs/boss";
import { queues } from "@/server/jobs/queues";
import { ADMIN_HOST, createPlatformAdmin } from "../support/admin";
import { callerFor, closeDb, createTenant, type TenantFixture, type UserFixture } from "../support/fixtures";

let admin: UserFixture;
let tenant: TenantFixture;
let boss: ReturnType<typeof createBoss>;

beforeAll(async () => {
  admin = await createPlatformAdmin();
  tenant = await createTenant();
  boss = createBoss(process.env.DATABASE_URL!, { worker: false, max: 1 });
  await boss.start();
});
afterAll(async () => {
  await boss.stop({ graceful: false, wait: true });
  await closeDb();
});

describe("jobs that keep failing", () => {
  it("land where a platform admin sees them, and can be retried", async () => {
    // Ahead of the delivery jobs other files' invitations and notices leave queued.
    const id = await boss.send(queues.emailDeliver, { tenantId: tenant.id }, { retryLimit: 0, priority: 100 });
    const [job] = await boss.fetch(queues.emailDeliver);
    expect(job?.id).toBe(id);
    await boss.fail(queues.emailDeliver, id!, { message: "smtp refused" });

    const failed = await callerFor(ADMIN_HOST, admin).admin.jobs.failed();
    const mine = failed.find((j) => j.id === id);
    expect(mine).toMatchObject({ queue: queues.emailDeliver, tenantId: tenant.id, error: "smtp refused" });

    await callerFor(ADMIN_HOST, admin).admin.jobs.retry({ queue: queues.emailDeliver, id: id! });
    expect((await boss.getJobById(queues.emailDeliver, id!))?.state).toBe("retry");
    expect((await callerFor(ADMIN_HOST, admin).admin.jobs.failed()).some((j) => j.id === id)).toBe(false);
  });

  it("are hidden from tenant members", async () => {
    const code = await callerFor(ADMIN_HOST, tenant.users.owner)
      .admin.jobs.failed()
      .then(
        () => "OK",
        (e: unknown) => (e instanceof TRPCError ? e.code : String(e)),
      );
    expect(code).toBe("FORBIDDEN");
  });
});

describe("tenant export as a job", () => {
  it("requesting an export queues a job carrying the tenant; the job produces the archive", async () => {
    const { tenantExportJob } = await import("@/server/worker/worker");
    const { appDb } = await import("../support/fixtures");
    const { sql } = await import("drizzle-orm");
    const requested = await callerFor(ADMIN_HOST, admin).admin.tenants.export({ id: tenant.id });
    const jobs = await appDb().execute<{ data: { tenantId: string; exportId: string; requestedBy: string } }>(
      sql`select data from pgboss.job where name = ${queues.tenantExport} and data->>'exportId' = ${requested.id}`,
    );
    expect(jobs.map((j) => j.data)).toEqual([{ tenantId: tenant.id, exportId: requested.id, requestedBy: admin.id }]);
    await tenantExportJob(appDb(), jobs[0]!.data);
    const done = await callerFor(ADMIN_HOST, admin).admin.exports.get({ id: requested.id });
    expect(done).toMatchObject({ status: "done", progress: 100 });
  });
});

describe("the purge job", () => {
  it("purges soft-deleted tenants whose window has ended, and nothing else", async () => {
    const { purgeDueTenantsJob } = await import("@/server/worker/handlers/purge");
    const { createTenant: makeTenant, appDb, tenantFingerprint } = await import("../support/fixtures");
    const due = await makeTenant();
    const waiting = await makeTenant();
    const live = await makeTenant();
    const liveBefore = await tenantFingerprint(appDb(), live.id);
    const adminCaller = callerFor(ADMIN_HOST, admin);
    await adminCaller.admin.tenants.delete({ id: due.id, purgeAfterDays: 0 });
    await adminCaller.admin.tenants.delete({ id: waiting.id, purgeAfterDays: 30 });

    const purged = await purgeDueTenantsJob(appDb());
    expect(purged.map((t) => t.id)).toContain(due.id);
    expect(purged.map((t) => t.id)).not.toContain(waiting.id);
    expect(await adminCaller.admin.tenants.byId({ id: waiting.id }).then(() => "present")).toBe("present");
    const gone = await adminCaller.admin.tenants.byId({ id: due.id }).then(
      () => "present",
      (e: unknown) => (e instanceof TRPCError ? e.code : String(e)),
    );
    expect(gone).toBe("NOT_FOUND");
    expect(await tenantFingerprint(appDb(), live.id)).toBe(liveBefore);
  });
});
