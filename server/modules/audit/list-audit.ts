import { and, desc, eq, gte, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import { decodeCursor, encodeCursor } from "@/server/keyset-cursor";
import { apiKeys } from "@/db/schema/accounts";
import { auditLog } from "@/db/schema/audit";
import { invoices } from "@/db/schema/invoices";
import { projects } from "@/db/schema/projects";
import { customers } from "@/db/schema/customers";
import { users } from "@/db/schema/users";
import type { ListAuditQuery } from "@/lib/schemas/audit";
import type { TenantScope } from "@/server/tenancy/enter-tenant";

type Row = { entityType: string; entityId: string | null; actorUserId: string | null; actorApiKeyId: string | null; after: unknown };

const idsOf = (rows: Row[], pick: (r: Row) => string | null | undefined) => [...new Set(rows.flatMap((r) => pick(r) ?? []))];
const entityIds = (rows: Row[], type: string) => idsOf(rows, (r) => (r.entityType === type ? r.entityId : null));
/** The key whose revocation caused this entry (written by apiKey.revoke's clean-up). */
const causeKeyId = (r: Row) => {
  const id = (r.after as Record<string, unknown> | null)?.endedByRevokingApiKey;
  return typeof id === "string" ? id : null;
};

/**
 * What the page's entries point at, as it is now: which invoices and projects still exist (and
 * their number or name, for entries written before the log recorded them), the names of the
 * people and keys involved. Every look-up runs under the tenant's RLS and filters on the tenant
 * as well, so an id that belongs to another tenant resolves to nothing.
 */
async function lookUpSubjects({ tenantId, data, directory }: Pick<TenantScope, "tenantId" | "data" | "directory">, rows: Row[]) {
  const invoiceIds = entityIds(rows, "invoice");
  const projectIds = entityIds(rows, "project");
  const customerIds = entityIds(rows, "customer");
  const userIds = [...new Set([...idsOf(rows, (r) => r.actorUserId), ...entityIds(rows, "member")])];
  const keyIds = [...new Set([...idsOf(rows, (r) => r.actorApiKeyId), ...entityIds(rows, "api_key"), ...idsOf(rows, causeKeyId)])];
  const [invoiceRows, projectRows, customerRows, userRows, keyRows] = await Promise.all([
    invoiceIds.length === 0
      ? []
      : data.select({ id: invoices.id, number: invoices.number, numberPrefix: invoices.numberPrefix, currency: invoices.currency }).from(invoices).where(and(eq(invoices.tenantId, tenantId), inArray(invoices.id, invoiceIds))),
    projectIds.length === 0
      ? []
      : data.select({ id: projects.id, name: projects.name }).from(projects).where(and(eq(projects.tenantId, tenantId), inArray(projects.id, projectIds))),
    customerIds.length === 0
      ? []
      : data.select({ id: customers.id, name: customers.name }).from(customers).where(and(eq(customers.tenantId, tenantId), inArray(customers.id, customerIds))),
    // `users` is limited by RLS to members of this tenant: a former member shows no name.
    userIds.length === 0 ? [] : directory.select({ id: users.id, name: users.name, email: users.email }).from(users).where(inArray(users.id, userIds)),
    keyIds.length === 0
      ? []
      : directory.select({ id: apiKeys.id, name: apiKeys.name }).from(apiKeys).where(and(eq(apiKeys.tenantId, tenantId), inArray(apiKeys.id, keyIds))),
  ]);
  // A platform admin is no member (no name to show); one who opened a support session here is support.
  const nameless = userIds.filter((id) => !userRows.some((u) => u.id === id));
  const supportRows =
    nameless.length === 0
      ? []
      : await data
          .selectDistinct({ id: auditLog.actorUserId })
          .from(auditLog)
          .where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.action, "support.start"), inArray(auditLog.actorUserId, nameless)));
  return {
    support: new Set(supportRows.map((r) => r.id)),
    invoices: new Map(invoiceRows.map((r) => [r.id, r])),
    projects: new Map(projectRows.map((r) => [r.id, r])),
    customers: new Map(customerRows.map((r) => [r.id, r])),
    users: new Map(userRows.map((r) => [r.id, r])),
    keys: new Map(keyRows.map((r) => [r.id, r.name])),
  };
}

/**
 * Newest first, keyset-paginated on (created_at, id): the log only grows, so offsets would get
 * slower and shift under new entries. Names come from the shared directory (`directory`; the log
 * itself lives with the tenant's placement, `data`).
 */
export async function listAudit(scope: Pick<TenantScope, "tenantId" | "data" | "directory">, input: ListAuditQuery) {
  const { tenantId, data } = scope;
  const filters: (SQL | undefined)[] = [eq(auditLog.tenantId, tenantId)];
  if (input.action) filters.push(eq(auditLog.action, input.action));
  if (input.entityType) filters.push(eq(auditLog.entityType, input.entityType));
  if (input.entityId) filters.push(eq(auditLog.entityId, input.entityId));
  if (input.actorUserId) filters.push(eq(auditLog.actorUserId, input.actorUserId));
  if (input.from) filters.push(gte(auditLog.createdAt, sql`${input.from}::date`));
  if (input.to) filters.push(lt(auditLog.createdAt, sql`${input.to}::date + 1`));
  if (input.cursor) {
    const cursor = decodeCursor(input.cursor);
    if (cursor) {
      const [at, id] = cursor;
      filters.push(or(lt(auditLog.createdAt, at), and(eq(auditLog.createdAt, at), lt(auditLog.id, id))));
    }
  }
  const rows = await data
    .select({
      id: auditLog.id,
      tenantId: auditLog.tenantId,
      action: auditLog.action,
      entityType: auditLog.entityType,
      entityId: auditLog.entityId,
      actorUserId: auditLog.actorUserId,
      actorApiKeyId: auditLog.actorApiKeyId,
      before: auditLog.before,
      after: auditLog.after,
      createdAt: auditLog.createdAt,
    })
    .from(auditLog)
    .where(and(...filters))
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(input.limit + 1);
  const pageRows = rows.slice(0, input.limit);
  const found = await lookUpSubjects(scope, pageRows);
  const page = pageRows.map((r) => {
    const actor = r.actorUserId ? found.users.get(r.actorUserId) : undefined;
    const invoice = r.entityType === "invoice" && r.entityId ? found.invoices.get(r.entityId) : undefined;
    const project = r.entityType === "project" && r.entityId ? found.projects.get(r.entityId) : r.entityType === "customer" && r.entityId ? found.customers.get(r.entityId) : undefined;
    const member = r.entityType === "member" && r.entityId ? found.users.get(r.entityId) : undefined;
    const key = r.entityType === "api_key" && r.entityId ? found.keys.get(r.entityId) : undefined;
    const cause = causeKeyId(r);
    return {
      ...r,
      actorName: actor?.name ?? null,
      actorEmail: actor?.email ?? null,
      actorApiKeyName: (r.actorApiKeyId && found.keys.get(r.actorApiKeyId)) ?? null,
      /** The actor is a platform admin who acted here through a support session. */
      actorIsSupport: !!r.actorUserId && found.support.has(r.actorUserId),
      before: r.before as Record<string, unknown> | null,
      after: r.after as Record<string, unknown> | null,
      /** The entry's subject as it is today: null when it no longer exists (or was never looked up). */
      subject: invoice
        ? { name: null, number: invoice.number, numberPrefix: invoice.numberPrefix, currency: invoice.currency }
        : project
          ? { name: project.name, number: null, numberPrefix: null, currency: null }
          : member
            ? { name: member.name, number: null, numberPrefix: null, currency: null }
            : key !== undefined
              ? { name: key, number: null, numberPrefix: null, currency: null }
              : null,
      causeApiKeyName: (cause && found.keys.get(cause)) ?? null,
    };
  });
  const last = page.at(-1);
  return { items: page, nextCursor: rows.length > input.limit && last ? encodeCursor(last.createdAt, last.id) : null };
}
