import { and, asc, eq, isNotNull, sql } from "drizzle-orm";
import type { Resolver } from "node:dns/promises";
import type { Transaction } from "@/db/client";
import type { TenantScope } from "@/server/tenancy/enter-tenant";
import type { TenantTransaction } from "@/server/modules/stepped-transaction";
import { ssoDomains, tenantSso } from "@/db/schema/sso";
import { normalizeHost } from "@/lib/host";
import type { SaveSsoInput } from "@/lib/schemas/sso";
import { writeAudit } from "@/server/audit/write-audit";
import { AppError } from "@/server/errors";
import { checkIssuerUrl, providerClient } from "@/server/sso/oidc";
import { openSecret, sealSecret } from "@/server/sso/secret-box";
import { SsoError } from "@/server/sso/sso-error";
import { ssoCallbackUrl } from "@/server/sso/sso-sign-in";
import { checkTxtRecord, domainResolver } from "@/server/modules/domain/dns-check";

export const SSO_CHALLENGE_LABEL = "_canopy-sso";
export const SSO_DOMAIN_CLAIMED = "This domain is already claimed by another workspace";
const MAX_SSO_DOMAINS = 20;

type DomainRow = typeof ssoDomains.$inferSelect;

function presentDomain(d: DomainRow) {
  return {
    id: d.id,
    domain: d.domain,
    status: d.verifiedAt ? ("verified" as const) : ("pending" as const),
    verifiedAt: d.verifiedAt,
    lastCheckedAt: d.lastCheckedAt,
    record: { type: "TXT" as const, name: `${SSO_CHALLENGE_LABEL}.${d.domain}`, value: d.verificationToken },
  };
}

export async function getSso({ tenantId, directory }: Pick<TenantScope, "tenantId" | "directory">) {
  const [config] = await directory.select().from(tenantSso).where(eq(tenantSso.tenantId, tenantId));
  const domains = await directory.select().from(ssoDomains).where(eq(ssoDomains.tenantId, tenantId)).orderBy(asc(ssoDomains.createdAt), asc(ssoDomains.id));
  return {
    redirectUri: ssoCallbackUrl(),
    config: config
      ? {
          issuer: config.issuer,
          clientId: config.clientId,
          defaultRole: config.defaultRole,
          required: config.required,
          // Never the secret, sealed or not: whether it still opens is all the page needs.
          secretReadable: openSecret(config.clientSecretSealed, tenantId) !== null,
          updatedAt: config.updatedAt,
        }
      : null,
    domains: domains.map(presentDomain),
  };
}

const issuerField = (message: string) => new AppError("BAD_REQUEST", message, { issuer: [message] });

/** Discovery as the owner sees it: a field error on the issuer naming what went wrong. */
async function discover(issuer: string, clientId: string, clientSecret: string) {
  try {
    return await providerClient({ issuer, clientId, clientSecret }, true);
  } catch (error) {
    if (error instanceof SsoError) throw issuerField(error.detail);
    throw error;
  }
}

/**
 * Saves the provider after proving it answers: the issuer's discovery document is fetched (with no
 * transaction open: a slow IdP must not pin a pooled connection) and must name that very issuer.
 * The issuer stored is the provider's own spelling, the one its ID tokens carry. A blank secret
 * keeps the stored one.
 */
export async function saveSso(transaction: TenantTransaction, input: SaveSsoInput) {
  const checked = checkIssuerUrl(input.issuer);
  if ("error" in checked) throw issuerField(checked.error);
  const { tenantId, existing } = await transaction(async ({ tenantId, directory }) => ({
    tenantId,
    existing: (await directory.select().from(tenantSso).where(eq(tenantSso.tenantId, tenantId)))[0] ?? null,
  }));
  let secret = input.clientSecret.trim();
  if (!secret) {
    const stored = existing ? openSecret(existing.clientSecretSealed, tenantId) : null;
    if (stored === null) throw new AppError("BAD_REQUEST", "Enter the client secret", { clientSecret: ["Enter the client secret"] });
    secret = stored;
  }
  const client = await discover(input.issuer, input.clientId, secret);
  return transaction(async ({ userId, directory, data }) => {
    const [before] = await directory.select().from(tenantSso).where(eq(tenantSso.tenantId, tenantId)).for("update");
    const values = { issuer: client.issuer, clientId: input.clientId, clientSecretSealed: sealSecret(secret, tenantId), defaultRole: input.defaultRole };
    await directory
      .insert(tenantSso)
      .values({ tenantId, ...values })
      .onConflictDoUpdate({ target: tenantSso.tenantId, set: { ...values, updatedAt: new Date() } });
    const secretChanged = input.clientSecret.trim() !== "";
    await writeAudit(data, {
      tenantId,
      actorUserId: userId,
      action: "sso.configure",
      entityType: "tenant",
      entityId: tenantId,
      before: before ? { issuer: before.issuer, clientId: before.clientId, defaultRole: before.defaultRole } : null,
      after: { issuer: client.issuer, clientId: input.clientId, defaultRole: input.defaultRole, ...(secretChanged ? { clientSecret: before ? "replaced" : "set" } : {}) },
    });
    return { issuer: client.issuer };
  });
}

/** Fetches the stored provider's discovery document again: the owner's "Test" button. */
export async function testSso(transaction: TenantTransaction) {
  const { tenantId, config } = await transaction(async ({ tenantId, directory }) => ({
    tenantId,
    config: (await directory.select().from(tenantSso).where(eq(tenantSso.tenantId, tenantId)))[0] ?? null,
  }));
  if (!config) throw new AppError("NOT_FOUND", "Single sign-on is not set up");
  const secret = openSecret(config.clientSecretSealed, tenantId);
  if (secret === null) throw new AppError("BAD_REQUEST", "The stored client secret cannot be opened; enter it again", { clientSecret: ["Enter the client secret again"] });
  const client = await discover(config.issuer, config.clientId, secret);
  const meta = client.config.serverMetadata();
  return { issuer: client.issuer, authorizationEndpoint: meta.authorization_endpoint ?? null };
}

export async function removeSso({ tenantId, userId, directory, data }: TenantScope) {
  const [before] = await directory.delete(tenantSso).where(eq(tenantSso.tenantId, tenantId)).returning();
  if (!before) throw new AppError("NOT_FOUND", "Single sign-on is not set up");
  await writeAudit(data, { tenantId, actorUserId: userId, action: "sso.remove", entityType: "tenant", entityId: tenantId, before: { issuer: before.issuer, required: before.required } });
  return { removed: true };
}

/** Requiring SSO needs a provider and at least one verified domain: otherwise it would refuse nobody and promise protection it does not give. */
export async function setSsoRequired({ tenantId, userId, directory, data }: TenantScope, required: boolean) {
  const [config] = await directory.select().from(tenantSso).where(eq(tenantSso.tenantId, tenantId)).for("update");
  if (!config) throw new AppError("BAD_REQUEST", "Set up single sign-on first", { required: ["Set up single sign-on first"] });
  if (required) {
    const [verified] = await directory
      .select({ n: sql<number>`count(*)::int` })
      .from(ssoDomains)
      .where(and(eq(ssoDomains.tenantId, tenantId), isNotNull(ssoDomains.verifiedAt)));
    if (!verified?.n) throw new AppError("BAD_REQUEST", "Verify an email domain first", { required: ["Verify an email domain first"] });
  }
  if (config.required !== required) {
    await directory.update(tenantSso).set({ required, updatedAt: new Date() }).where(eq(tenantSso.tenantId, tenantId));
    await writeAudit(data, { tenantId, actorUserId: userId, action: "sso.require", entityType: "tenant", entityId: tenantId, before: { required: config.required }, after: { required } });
  }
  return { required };
}

const domainField = (message: string) => new AppError("BAD_REQUEST", message, { domain: [message] });

/** An email domain: a host name with a dot, not an IP address. */
export function normalizeEmailDomain(input: string): string {
  const host = normalizeHost(input.trim().replace(/^.*@/, ""));
  if (!host || !host.includes(".") || /^\d+$/.test(host.split(".").at(-1)!)) throw domainField("Enter an email domain such as example.com");
  return host;
}

async function claimedElsewhere(directory: Transaction, domain: string): Promise<boolean> {
  const [row] = await directory.execute<{ claimed: boolean }>(sql`select app_sso_domain_claimed_elsewhere(${domain}) as claimed`);
  return row?.claimed === true;
}

export async function addSsoDomain({ tenantId, userId, directory, data }: TenantScope, rawDomain: string) {
  const domain = normalizeEmailDomain(rawDomain);
  const [count] = await directory.select({ n: sql<number>`count(*)::int` }).from(ssoDomains).where(eq(ssoDomains.tenantId, tenantId));
  if ((count?.n ?? 0) >= MAX_SSO_DOMAINS) throw domainField(`A workspace can claim at most ${MAX_SSO_DOMAINS} email domains`);
  // Says that someone has it, never who: the other workspace's name is not this tenant's business.
  if (await claimedElsewhere(directory, domain)) throw domainField(SSO_DOMAIN_CLAIMED);
  const [row] = await directory.insert(ssoDomains).values({ tenantId, domain }).onConflictDoNothing().returning();
  if (!row) throw domainField("This domain is already claimed by this workspace");
  await writeAudit(data, { tenantId, actorUserId: userId, action: "sso.domain.add", entityType: "sso_domain", entityId: row.id, after: { domain } });
  return presentDomain(row);
}

async function lockDomain(directory: Transaction, tenantId: string, id: string) {
  const [row] = await directory
    .select()
    .from(ssoDomains)
    .where(and(eq(ssoDomains.tenantId, tenantId), eq(ssoDomains.id, id)))
    .for("update");
  if (!row) throw new AppError("NOT_FOUND", "Domain not found");
  return row;
}

/**
 * The custom domains' verification, with the SSO record (TXT _canopy-sso.<domain>): read, ask DNS
 * with no transaction open, then write only if the row is still the one checked. The partial unique
 * index decides a race between two tenants: the second verify is a field error.
 */
export async function verifySsoDomain(transaction: TenantTransaction, id: string, resolver?: Resolver) {
  const checked = await transaction(async ({ tenantId, directory }) => {
    const [row] = await directory.select().from(ssoDomains).where(and(eq(ssoDomains.tenantId, tenantId), eq(ssoDomains.id, id)));
    if (!row) throw new AppError("NOT_FOUND", "Domain not found");
    if (await claimedElsewhere(directory, row.domain)) throw domainField(SSO_DOMAIN_CLAIMED);
    return row;
  });
  const check = await checkTxtRecord(`${SSO_CHALLENGE_LABEL}.${checked.domain}`, checked.verificationToken, resolver ?? domainResolver());
  return transaction(async ({ tenantId, userId, directory, data }) => {
    const before = await lockDomain(directory, tenantId, id);
    if (before.domain !== checked.domain || before.verificationToken !== checked.verificationToken) {
      throw new AppError("CONFLICT", "The domain changed while its record was being checked; verify again");
    }
    const now = new Date();
    if (!check.ok) {
      await directory.update(ssoDomains).set({ lastCheckedAt: now }).where(and(eq(ssoDomains.tenantId, tenantId), eq(ssoDomains.id, id)));
      return { verified: false, problems: check.problem ? [check.problem] : [], domain: presentDomain({ ...before, lastCheckedAt: now }) };
    }
    let row: DomainRow | undefined;
    try {
      [row] = await directory
        .update(ssoDomains)
        .set({ verifiedAt: before.verifiedAt ?? now, lastCheckedAt: now })
        .where(and(eq(ssoDomains.tenantId, tenantId), eq(ssoDomains.id, id)))
        .returning();
    } catch (error) {
      if ((error as { cause?: { code?: string } }).cause?.code === "23505") throw domainField(SSO_DOMAIN_CLAIMED);
      throw error;
    }
    if (!row) throw new AppError("NOT_FOUND", "Domain not found");
    if (!before.verifiedAt) {
      await writeAudit(data, { tenantId, actorUserId: userId, action: "sso.domain.verify", entityType: "sso_domain", entityId: id, before: { domain: before.domain, status: "pending" }, after: { domain: before.domain, status: "verified" }, keep: ["domain"] });
    }
    return { verified: true, problems: [], domain: presentDomain(row) };
  });
}

export async function removeSsoDomain({ tenantId, userId, directory, data }: TenantScope, id: string) {
  const before = await lockDomain(directory, tenantId, id);
  await directory.delete(ssoDomains).where(and(eq(ssoDomains.tenantId, tenantId), eq(ssoDomains.id, id)));
  await writeAudit(data, { tenantId, actorUserId: userId, action: "sso.domain.remove", entityType: "sso_domain", entityId: id, before: { domain: before.domain, status: before.verifiedAt ? "verified" : "pending" } });
  return { id };
}
