import { and, desc, eq, sql } from "drizzle-orm";
import { createTransport } from "nodemailer";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { invitations } from "@/db/schema/accounts";
import { auditLog } from "@/db/schema/audit";
import { emailOutbox } from "@/db/schema/email";
import { memberships, users } from "@/db/schema/users";
import { withTenant, withUser } from "@/db/tenant-transaction";
import { settleAfterCommit } from "@/server/after-commit";
import { deliverPending } from "@/server/mail/deliver-pending";
import { enqueueEmail } from "@/server/mail/enqueue-email";
import { createUserSession } from "@/server/sessions";
import { sha256Hex } from "@/server/tokens";
import { mailJobCount, runMailJobs } from "../support/mail-jobs";
import { appDb, callerFor, closeDb, createTenant, createUser, ROOT, tenantFingerprint, type TenantFixture, type UserFixture, codeOf, markEmailVerified } from "../support/fixtures";

/** The invitation link as the invitee receives it: read from the tenant's outbox. */
async function latestLink(t: TenantFixture, to: string): Promise<{ url: string; token: string; status: string }> {
  const [row] = await withTenant(appDb(), { tenantId: t.id }, (tx) =>
    tx
      .select({ text: emailOutbox.textBody, status: emailOutbox.status })
      .from(emailOutbox)
      .where(and(eq(emailOutbox.tenantId, t.id), eq(emailOutbox.toAddress, to)))
      .orderBy(desc(emailOutbox.createdAt))
      .limit(1),
  );
  const url = /https?:\/\/\S+\/invite\/([A-Za-z0-9_-]{43})/.exec(row?.text ?? "");
  if (!row || !url) throw new Error(`no invitation email to ${to}`);
  return { url: url[0], token: url[1]!, status: row.status };
}

const roleOf = (t: TenantFixture, userId: string) =>
  withTenant(appDb(), { tenantId: t.id }, async (tx) => {
    const [row] = await tx.select({ role: memberships.role }).from(memberships).where(and(eq(memberships.tenantId, t.id), eq(memberships.userId, userId)));
    return row?.role ?? null;
  });

let t: TenantFixture;
let invitee: UserFixture;
beforeEach(async () => {
  t = await createTenant(appDb(), { projects: 1, invoices: 0 });
  invitee = await createUser(appDb(), "invitee");
});
afterAll(async () => {
  await settleAfterCommit();
  await closeDb();
});

describe("inviting", () => {
  it("stores only the token's hash, emails a link to the tenant's host that expires in 7 days, and audits it", async () => {
    const invitation = await callerFor(t.host, t.users.admin).member.invite({ email: invitee.email.toUpperCase(), role: "member" });
    expect(invitation).not.toHaveProperty("token");
    expect(invitation.email).toBe(invitee.email);
    const { url, token, status } = await latestLink(t, invitee.email);
    expect(url).toBe(`http://${t.slug}.${ROOT}${process.env.PUBLIC_PORT ? `:${process.env.PUBLIC_PORT}` : ""}/invite/${token}`);
    // Nothing is sent from the request: the invitation queued its delivery job, which sends it.
    expect(status).toBe("pending");
    expect(await runMailJobs({ tenantId: t.id })).toBe(1);
    // No SMTP_URL in tests: delivery captures the email in the outbox.
    expect((await latestLink(t, invitee.email)).status).toBe("captured");
    const [row] = await withTenant(appDb(), { tenantId: t.id }, (tx) =>
      tx
        .select({ tokenHash: invitations.tokenHash, days: sql<number>`round(extract(epoch from ${invitations.expiresAt} - now()) / 86400)::int` })
        .from(invitations)
        .where(eq(invitations.id, invitation.id)),
    );
    expect(row?.tokenHash).toBe(sha256Hex(token));
    expect(row?.days).toBe(7);
    const rows = await withTenant(appDb(), { tenantId: t.id }, (tx) => tx.select({ action: auditLog.action }).from(auditLog));
    expect(rows.map((r) => r.action)).toContain("invitation.create");
    expect(JSON.stringify(await withTenant(appDb(), { tenantId: t.id }, (tx) => tx.select().from(invitations)))).not.toContain(token);
  });

  it("refuses to invite a current member or an address with a pending invitation", async () => {
    const admin = callerFor(t.host, t.users.admin);
    expect(await codeOf(admin.member.invite({ email: t.users.viewer.email, role: "member" }))).toBe("CONFLICT");
    await admin.member.invite({ email: invitee.email, role: "member" });
    expect(await codeOf(admin.member.invite({ email: invitee.email, role: "viewer" }))).toBe("CONFLICT");
  });

  it("rejects a malformed email with a field error", async () => {
    await expect(callerFor(t.host, t.users.owner).member.invite({ email: "not-an-email", role: "member" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("lists pending invitations, and not accepted or revoked ones", async () => {
    const admin = callerFor(t.host, t.users.admin);
    const kept = await admin.member.invite({ email: invitee.email, role: "viewer" });
    const revoked = await admin.member.invite({ email: `gone-${crypto.randomUUID()}@example.test`, role: "viewer" });
    await admin.member.revokeInvitation({ id: revoked.id });
    const list = await admin.member.invitations();
    expect(list.map((i) => i.id)).toEqual([kept.id]);
    expect(list[0]).toMatchObject({ email: invitee.email, role: "viewer", expired: false });
  });
});

describe("accepting", () => {
  it("joins the tenant with the invited role, once; the email match ignores case", async () => {
    await callerFor(t.host, t.users.owner).member.invite({ email: invitee.email, role: "admin" });
    const { token } = await latestLink(t, invitee.email);
    const me = callerFor(t.host, invitee);
    expect(await codeOf(me.tenant.current())).toBe("FORBIDDEN");
    expect(await me.invitation.preview({ token })).toMatchObject({ state: "valid", role: "admin", email: invitee.email });
    expect(await me.invitation.accept({ token })).toEqual({ role: "admin" });
    expect((await me.tenant.current()).role).toBe("admin");
    // Single use, also for the same person.
    expect(await codeOf(me.invitation.accept({ token }))).toBe("CONFLICT");
    expect((await me.invitation.preview({ token })).state).toBe("used");
  });

  it("concurrent accepts of one token: exactly one succeeds", async () => {
    await callerFor(t.host, t.users.owner).member.invite({ email: invitee.email, role: "member" });
    const { token } = await latestLink(t, invitee.email);
    const results = await Promise.all(Array.from({ length: 5 }, () => codeOf(callerFor(t.host, invitee).invitation.accept({ token }))));
    expect(results.filter((r) => r === "OK")).toHaveLength(1);
  });

  it("refuses a signed-in user whose email differs, and leaves the invitation usable", async () => {
    await callerFor(t.host, t.users.owner).member.invite({ email: invitee.email, role: "member" });
    const { token } = await latestLink(t, invitee.email);
    const stranger = await createUser(appDb(), "stranger");
    expect(await codeOf(callerFor(t.host, stranger).invitation.accept({ token }))).toBe("FORBIDDEN");
    expect(await roleOf(t, stranger.id)).toBeNull();
    expect(await codeOf(callerFor(t.host, invitee).invitation.accept({ token }))).toBe("OK");
  });

  it("refuses an expired invitation", async () => {
    const { id } = await callerFor(t.host, t.users.owner).member.invite({ email: invitee.email, role: "member" });
    const { token } = await latestLink(t, invitee.email);
    await withTenant(appDb(), { tenantId: t.id }, (tx) =>
      tx.update(invitations).set({ expiresAt: sql`now() - interval '1 second'` }).where(and(eq(invitations.tenantId, t.id), eq(invitations.id, id))),
    );
    expect(await codeOf(callerFor(t.host, invitee).invitation.accept({ token }))).toBe("BAD_REQUEST");
    expect(await roleOf(t, invitee.id)).toBeNull();
    expect((await callerFor(t.host, t.users.owner).member.invitations())[0]?.expired).toBe(true);
  });

  it("resend issues a new link and kills the old one; revoke kills the link", async () => {
    const owner = callerFor(t.host, t.users.owner);
    const { id } = await owner.member.invite({ email: invitee.email, role: "member" });
    const first = await latestLink(t, invitee.email);
    await owner.member.resendInvitation({ id });
    const second = await latestLink(t, invitee.email);
    expect(second.token).not.toBe(first.token);
    expect(await codeOf(callerFor(t.host, invitee).invitation.accept({ token: first.token }))).toBe("NOT_FOUND");
    await owner.member.revokeInvitation({ id });
    expect(await codeOf(callerFor(t.host, invitee).invitation.accept({ token: second.token }))).toBe("BAD_REQUEST");
    expect(await codeOf(owner.member.resendInvitation({ id }))).toBe("BAD_REQUEST");
    expect(await roleOf(t, invitee.id)).toBeNull();
  });

  it("a token of tenant A is useless on tenant B's host", async () => {
    const b = await createTenant(appDb(), { projects: 0, invoices: 0 });
    await callerFor(t.host, t.users.owner).member.invite({ email: invitee.email, role: "member" });
    const { token } = await latestLink(t, invitee.email);
    const before = await tenantFingerprint(appDb(), b.id);
    expect(await codeOf(callerFor(b.host, invitee).invitation.accept({ token }))).toBe("NOT_FOUND");
    expect((await callerFor(b.host, invitee).invitation.preview({ token })).state).toBe("not_found");
    expect(await tenantFingerprint(appDb(), b.id)).toBe(before);
    // Still good where it belongs.
    expect(await codeOf(callerFor(t.host, invitee).invitation.accept({ token }))).toBe("OK");
  });

  it("an existing member keeps the higher role", async () => {
    const owner = callerFor(t.host, t.users.owner);
    // The admin's email gets a viewer invitation (written directly: invite refuses members).
    const token = "x".repeat(43);
    await withTenant(appDb(), { tenantId: t.id }, (tx) =>
      tx.insert(invitations).values({ tenantId: t.id, email: t.users.admin.email, role: "viewer", tokenHash: sha256Hex(token), expiresAt: sql`now() + interval '1 day'` }),
    );
    await callerFor(t.host, t.users.admin).invitation.accept({ token });
    expect(await roleOf(t, t.users.admin.id)).toBe("admin");
    const upgrade = "y".repeat(43);
    await withTenant(appDb(), { tenantId: t.id }, (tx) =>
      tx.insert(invitations).values({ tenantId: t.id, email: t.users.viewer.email, role: "member", tokenHash: sha256Hex(upgrade), expiresAt: sql`now() + interval '1 day'` }),
    );
    await callerFor(t.host, t.users.viewer).invitation.accept({ token: upgrade });
    expect(await roleOf(t, t.users.viewer.id)).toBe("member");
    expect((await owner.audit.list({ action: "invitation.accept" })).items).toHaveLength(2);
  });

  it("needs a session, and works for a user who signed up after being invited", async () => {
    const email = `later-${crypto.randomUUID()}@example.test`;
    await callerFor(t.host, t.users.owner).member.invite({ email, role: "viewer" });
    const { token } = await latestLink(t, email);
    expect(await codeOf(callerFor(t.host, null).invitation.accept({ token }))).toBe("UNAUTHORIZED");
    const id = crypto.randomUUID();
    await withUser(appDb(), id, (tx) => tx.insert(users).values({ id, email, name: "Later", passwordHash: null }));
    const sessionId = await createUserSession(appDb(), { userId: id });
    const later = { id, email, name: "Later", sessionId };
    // Until the address is proven, the invitation stays unused (anyone can sign up as any address).
    expect(await codeOf(callerFor(t.host, later).invitation.accept({ token }))).toBe("FORBIDDEN");
    expect(await callerFor(t.host, later).invitation.preview({ token })).toMatchObject({ state: "unverified" });
    expect(await roleOf(t, id)).toBeNull();
    await markEmailVerified(id);
    await callerFor(t.host, later).invitation.accept({ token });
    expect(await roleOf(t, id)).toBe("viewer");
  });
});

describe("the mailer", () => {
  it("stores an email together with its delivery job, and a rolled-back change leaves neither", async () => {
    const fresh = await createTenant(appDb(), { projects: 0, invoices: 0 });
    const mail = { tenantId: fresh.id, kind: "test", to: "x@example.test", subject: "Hello", text: "Body" };
    const outbox = () => withTenant(appDb(), { tenantId: fresh.id }, (tx) => tx.select().from(emailOutbox).where(eq(emailOutbox.tenantId, fresh.id)));
    await expect(
      withTenant(appDb(), { tenantId: fresh.id }, async (tx) => {
        await enqueueEmail({ data: tx, directory: tx }, { ...mail, idempotencyKey: "rolled-back" });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await outbox()).toEqual([]);
    expect(await mailJobCount({ tenantId: fresh.id })).toBe(0);

    await withTenant(appDb(), { tenantId: fresh.id }, (tx) => enqueueEmail({ data: tx, directory: tx }, { ...mail, idempotencyKey: "committed" }));
    expect(await mailJobCount({ tenantId: fresh.id })).toBe(1);
    expect(await runMailJobs({ tenantId: fresh.id })).toBe(1);
    expect((await outbox()).map((m) => [m.idempotencyKey, m.status])).toEqual([["committed", "captured"]]);
  });

  it("enqueues once per idempotency key and sends through SMTP when a transport is configured", async () => {
    await withTenant(appDb(), { tenantId: t.id }, async (tx) => {
      for (let i = 0; i < 2; i++) {
        await enqueueEmail({ data: tx, directory: tx }, { tenantId: t.id, idempotencyKey: "once", kind: "test", to: "x@example.test", subject: "Hello", text: "Body" });
      }
    });
    const transport = createTransport({ jsonTransport: true });
    expect(await deliverPending(appDb(), { tenantId: t.id, transport })).toEqual({ sent: 1, captured: 0, failed: 0 });
    const rows = await withTenant(appDb(), { tenantId: t.id }, (tx) => tx.select().from(emailOutbox).where(eq(emailOutbox.idempotencyKey, "once")));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "sent", attempts: 1 });
    expect(await deliverPending(appDb(), { tenantId: t.id, transport })).toEqual({ sent: 0, captured: 0, failed: 0 });
  });

  it("records a failed send and retries it later", async () => {
    await withTenant(appDb(), { tenantId: t.id }, (tx) =>
      enqueueEmail({ data: tx, directory: tx }, { tenantId: t.id, idempotencyKey: "flaky", kind: "test", to: "x@example.test", subject: "Hello", text: "Body" }),
    );
    const broken = { sendMail: () => Promise.reject(new Error("connection refused")) };
    expect(await deliverPending(appDb(), { tenantId: t.id, transport: broken })).toEqual({ sent: 0, captured: 0, failed: 1 });
    const [row] = await withTenant(appDb(), { tenantId: t.id }, (tx) => tx.select().from(emailOutbox).where(eq(emailOutbox.idempotencyKey, "flaky")));
    expect(row).toMatchObject({ status: "pending", attempts: 1, lastError: "connection refused" });
  });
});
