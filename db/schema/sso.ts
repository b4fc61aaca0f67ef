import { sql } from "drizzle-orm";
import { boolean, check, foreignKey, index, pgPolicy, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { directoryRead, directoryRole, idColumn, tenantIdColumn, tenantIsolation, timestamps } from "./_shared";
import { tenants } from "./tenants";
import { ssoDefaultRoles } from "../../lib/schemas/sso";
import { users } from "./users";

/**
 * A workspace's OpenID provider (one per tenant). The client secret is stored sealed with
 * AES-256-GCM (server/sso/secret-box.ts), never in clear: a database dump alone does not hand
 * anyone the tenant's IdP client.
 */
export const tenantSso = pgTable(
  "tenant_sso",
  {
    tenantId: tenantIdColumn().primaryKey(),
    issuer: text("issuer").notNull(),
    clientId: text("client_id").notNull(),
    clientSecretSealed: text("client_secret_sealed").notNull(),
    /** The role a person gets on their first SSO sign-in (just-in-time membership); never owner. */
    defaultRole: text("default_role", { enum: ssoDefaultRoles }).notNull().default("member"),
    /** Password sign-in refused for non-owner members in the claimed domains (see app_sso_password_refused). */
    required: boolean("required").notNull().default(false),
    ...timestamps,
  },
  (t) => [
    check("tenant_sso_default_role_check", sql`${t.defaultRole} in ('admin', 'member', 'viewer')`),
    check("tenant_sso_issuer_length", sql`char_length(${t.issuer}) <= 500`),
    check("tenant_sso_client_id_length", sql`char_length(${t.clientId}) between 1 and 500`),
    foreignKey({ name: "tenant_sso_tenant_fk", columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    tenantIsolation(),
    directoryRead(),
  ],
);

/**
 * Email domains a workspace claims for SSO, proven by a DNS TXT record like custom domains. A
 * verified claim is unique across tenants (the partial unique index): exactly one IdP answers for
 * an address. A pending claim blocks nobody, so no tenant can squat a domain it does not control.
 */
export const ssoDomains = pgTable(
  "sso_domains",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    domain: text("domain").notNull(),
    /** Published by the tenant at _canopy-sso.<domain> as a TXT record. */
    verificationToken: text("verification_token").notNull().default(sql`replace(gen_random_uuid()::text, '-', '')`),
    verifiedAt: timestamp("verified_at", { withTimezone: true }),
    lastCheckedAt: timestamp("last_checked_at", { withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    primaryKey({ name: "sso_domains_pkey", columns: [t.tenantId, t.id] }),
    uniqueIndex("sso_domains_verified_domain_key").on(t.domain).where(sql`${t.verifiedAt} is not null`),
    uniqueIndex("sso_domains_tenant_domain_key").on(t.tenantId, t.domain),
    check("sso_domains_domain_lowercase", sql`${t.domain} = lower(${t.domain})`),
    foreignKey({ name: "sso_domains_tenant_fk", columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    tenantIsolation(),
    directoryRead(),
  ],
);

/** Which Canopy user an IdP subject is, per tenant and issuer. One link per user per tenant and issuer. */
export const ssoIdentities = pgTable(
  "sso_identities",
  {
    tenantId: tenantIdColumn(),
    issuer: text("issuer").notNull(),
    subject: text("subject").notNull(),
    userId: uuid("user_id").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "sso_identities_pkey", columns: [t.tenantId, t.issuer, t.subject] }),
    uniqueIndex("sso_identities_tenant_issuer_user_key").on(t.tenantId, t.issuer, t.userId),
    index("sso_identities_user_idx").on(t.userId),
    foreignKey({ name: "sso_identities_tenant_fk", columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    foreignKey({ name: "sso_identities_user_fk", columns: [t.userId], foreignColumns: [users.id] }).onDelete("cascade"),
    tenantIsolation(),
    directoryRead(),
  ],
);

/**
 * One SSO sign-in under way: state, nonce and PKCE verifier, bound to the browser that began it by
 * the SHA-256 of a random value in its httpOnly cookie. Used once (used_at), ten minutes at most.
 */
export const ssoSignIns = pgTable(
  "sso_sign_ins",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    browserHash: text("browser_hash").notNull(),
    state: text("state").notNull(),
    nonce: text("nonce").notNull(),
    codeVerifier: text("code_verifier").notNull(),
    email: text("email").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "sso_sign_ins_pkey", columns: [t.tenantId, t.id] }),
    uniqueIndex("sso_sign_ins_tenant_browser_key").on(t.tenantId, t.browserHash),
    foreignKey({ name: "sso_sign_ins_tenant_fk", columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    tenantIsolation(),
  ],
);

/** JIT provisioning: the definer function app_sso_sign_in inserts the new, IdP-proven user. */
export const usersSsoProvision = pgPolicy("users_sso_provision", { as: "permissive", for: "insert", to: directoryRole, withCheck: sql`true` }).link(users);
