import type { Resolver } from "node:dns/promises";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Transaction } from "@/db/client";
import type { TenantScope } from "@/server/tenancy/enter-tenant";
import type { TenantTransaction } from "@/server/modules/stepped-transaction";
import { tenantDomains } from "@/db/schema/tenants";
import { env } from "@/lib/env";
import { normalizeHost } from "@/lib/host";
import { writeAudit } from "@/server/audit/write-audit";
import { clearDirectoryCache } from "@/server/tenancy/directory";
import { AppError } from "@/server/errors";
import { checkDomainRecords, dnsRecordsFor } from "@/server/modules/domain/dns-check";


const MAX_DOMAINS = 20;
export const CLAIMED_ELSEWHERE = "This domain is already in use by another workspace";

type DomainRow = typeof tenantDomains.$inferSelect;

export function domainStatus(d: Pick<DomainRow, "verifiedAt" | "failingSince" | "disabledAt">) {
  if (!d.verifiedAt) return "pending" as const;
  if (d.disabledAt) return "disabled" as const;
  if (d.failingSince) return "failing" as const;
  return "verified" as const;
}

function present(d: DomainRow) {
  return {
    id: d.id,
    tenantId: d.tenantId,
    domain: d.domain,
    status: domainStatus(d),
    verifiedAt: d.verifiedAt,
    lastCheckedAt: d.lastCheckedAt,
    failingSince: d.failingSince,
    disabledAt: d.disabledAt,
    createdAt: d.createdAt,
    records: dnsRecordsFor(d.domain, d.verificationToken),
  };
}

/** Case, trailing dot and IDN handled by normalizeHost; Canopy's own names and bare IPs are refused. */
export function normalizeCustomDomain(input: string): string {
  const host = normalizeHost(input.replace(/^https?:\/\//i, "").replace(/\/+$/, ""));
  if (!host || !host.includes(".") || /^\d+$/.test(host.split(".").at(-1)!)) {
    throw new AppError("BAD_REQUEST", "Enter a domain name such as billing.example.com");
  }
  const root = env().ROOT_DOMAIN;
  if (host === root || host.endsWith(`.${root}`)) throw new AppError("BAD_REQUEST", `Domains under ${root} cannot be added; your workspace already has its own address there`);
  return host;
}

export async function listDomains({ tenantId, directory }: Pick<TenantScope, "tenantId" | "directory">) {
  const rows = await directory.select().from(tenantDomains).where(eq(tenantDomains.tenantId, tenantId)).orderBy(asc(tenantDomains.createdAt), asc(tenantDomains.id));
  return rows.map(present);
}

async function claimedElsewhere(directory: Transaction, domain: string): Promise<boolean> {
  const [row] = await directory.execute<{ claimed: boolean }>(sql`select app_domain_claimed_elsewhere(${domain}) as claimed`);
  return row?.claimed === true;
}

export async function addDomain({ tenantId, userId, directory, data }: TenantScope, rawDomain: string) {
  const domain = normalizeCustomDomain(rawDomain);
  const [count] = await directory.select({ n: sql<number>`count(*)::int` }).from(tenantDomains).where(eq(tenantDomains.tenantId, tenantId));
  if ((count?.n ?? 0) >= MAX_DOMAINS) throw new AppError("BAD_REQUEST", `A workspace can have at most ${MAX_DOMAINS} domains`);
  if (await claimedElsewhere(directory, domain)) throw new AppError("CONFLICT", CLAIMED_ELSEWHERE);
  const [row] = await directory.insert(tenantDomains).values({ tenantId, domain }).onConflictDoNothing().returning();
  if (!row) throw new AppError("CONFLICT", "This domain is already added to this workspace");
  await writeAudit(data, { tenantId, actorUserId: userId, action: "domain.add", entityType: "domain", entityId: row.id, after: { domain } });
  return present(row);
}

async function lockDomain(directory: Transaction, tenantId: string, id: string) {
  const [row] = await directory
    .select()
    .from(tenantDomains)
    .where(and(eq(tenantDomains.tenantId, tenantId), eq(tenantDomains.id, id)))
    .for("update");
  if (!row) throw new AppError("NOT_FOUND", "Domain not found");
  return row;
}

/**
 * Looks the records up over DNS. Success marks the domain verified (and clears any failure);
 * the partial unique index on verified domains makes the first tenant to verify the owner, so a
 * second tenant's verify fails with 23505 even if both pass DNS at the same moment.
 *
 * Three steps: read the row in one short transaction, ask DNS with no transaction open (a slow
 * or hostile resolver may take seconds: holding a pooled connection and the row lock across it
 * would let anyone with domain:manage tie up the pool), then lock the row in a second short
 * transaction and write the result only if it is still the row that was checked.
 */
export async function verifyDomain(transaction: TenantTransaction, id: string, resolver?: Resolver) {
  const checked = await transaction(async ({ tenantId, directory }) => {
    const [row] = await directory.select().from(tenantDomains).where(and(eq(tenantDomains.tenantId, tenantId), eq(tenantDomains.id, id)));
    if (!row) throw new AppError("NOT_FOUND", "Domain not found");
    if (await claimedElsewhere(directory, row.domain)) throw new AppError("CONFLICT", CLAIMED_ELSEWHERE);
    return row;
  });
  const check = await checkDomainRecords(checked.domain, checked.verificationToken, resolver);
  return transaction(async ({ tenantId, userId, directory, data }) => {
    // Removed during the look-up: NOT_FOUND, never a verified row brought back or a stray audit entry.
    const before = await lockDomain(directory, tenantId, id);
    // The records proved this token for this name; a row that changed since proves nothing.
    if (before.domain !== checked.domain || before.verificationToken !== checked.verificationToken) {
      throw new AppError("CONFLICT", "The domain changed while its records were being checked; verify again");
    }
    const now = new Date();
    if (!check.verified) {
      await directory.update(tenantDomains).set({ lastCheckedAt: now }).where(and(eq(tenantDomains.tenantId, tenantId), eq(tenantDomains.id, id)));
      return { verified: false, problems: check.problems, domain: present({ ...before, lastCheckedAt: now }) };
    }
    let row: DomainRow | undefined;
    try {
      [row] = await directory
        .update(tenantDomains)
        .set({ verifiedAt: before.verifiedAt ?? now, lastCheckedAt: now, failingSince: null, disabledAt: null })
        .where(and(eq(tenantDomains.tenantId, tenantId), eq(tenantDomains.id, id)))
        .returning();
    } catch (error) {
      if ((error as { cause?: { code?: string } }).cause?.code === "23505") throw new AppError("CONFLICT", CLAIMED_ELSEWHERE);
      throw error;
    }
    if (!row) throw new AppError("NOT_FOUND", "Domain not found");
    // From the locked row, not the first read: a verify that finished during our look-up already wrote the entry.
    if (!before.verifiedAt || before.disabledAt) {
      await writeAudit(data, { tenantId, actorUserId: userId, action: "domain.verify", entityType: "domain", entityId: id, before: { domain: before.domain, status: domainStatus(before) }, after: { domain: before.domain, status: "verified" }, keep: ["domain"] });
    }
    clearDirectoryCache();
    return { verified: true, problems: [], domain: present(row) };
  });
}

export async function removeDomain({ tenantId, userId, directory, data }: TenantScope, id: string) {
  const before = await lockDomain(directory, tenantId, id);
  await directory.delete(tenantDomains).where(and(eq(tenantDomains.tenantId, tenantId), eq(tenantDomains.id, id)));
  await writeAudit(data, { tenantId, actorUserId: userId, action: "domain.remove", entityType: "domain", entityId: id, before: { domain: before.domain, status: domainStatus(before) } });
  clearDirectoryCache();
  return { id };
}
