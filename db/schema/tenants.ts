import { sql } from "drizzle-orm";
import { boolean, check, foreignKey, pgPolicy, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { appRole, currentTenantId, directoryRead, idColumn, tenantIdColumn, tenantIsolation, timestamps } from "./_shared";

export const tenantStatuses = ["active", "suspended"] as const;
export type TenantStatus = (typeof tenantStatuses)[number];

/** The tenant directory. A tenant sees its own row; the directory functions see all. */
export const tenants = pgTable(
  "tenants",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    status: text("status", { enum: tenantStatuses }).notNull().default("active"),
    plan: text("plan").notNull().default("free"),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    /** After a soft delete: when the purge may remove every row of the tenant. */
    purgeAfter: timestamp("purge_after", { withTimezone: true }),
    /**
     * Where the tenant's business rows live: "shared" (the pooled database) or the name of a
     * dedicated database in TENANT_DATABASES. Only the platform's mover changes it (no app grant).
     */
    placement: text("placement").notNull().default("shared"),
    /** The owner requires every member to sign in with a second factor (server/api/trpc.ts refuses members without one). */
    mfaRequired: boolean("mfa_required").notNull().default(false),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("tenants_slug_key").on(t.slug),
    check("tenants_status_check", sql`${t.status} in ('active', 'suspended')`),
    // The plans of lib/plans.ts: a tenant on a plan the code does not know would have no limits.
    check("tenants_plan_check", sql`${t.plan} in ('free', 'pro', 'enterprise')`),
    check("tenants_placement_format", sql`${t.placement} ~ '^[a-z0-9][a-z0-9_-]{0,62}$'`),
    check("tenants_slug_format", sql`${t.slug} ~ '^[a-z0-9]([a-z0-9-]{1,38})[a-z0-9]$'`),
    pgPolicy("tenant_isolation", { for: "all", to: "public", using: sql`${t.id} = ${currentTenantId}`, withCheck: sql`${t.id} = ${currentTenantId}` }),
    // A self-serve tenant starts active on the free plan; status and plan change only through the platform.
    pgPolicy("tenants_new_active_free", {
      as: "restrictive",
      for: "insert",
      to: appRole,
      withCheck: sql`${t.status} = 'active' and ${t.plan} = 'free' and ${t.deletedAt} is null and ${t.placement} = 'shared'`,
    }),
    directoryRead(),
  ],
);

/**
 * Custom domains. The domain is unique across tenants on purpose: a host routes to
 * exactly one tenant (in a Citus deployment this is a reference table).
 */
export const tenantDomains = pgTable(
  "tenant_domains",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    domain: text("domain").notNull(),
    /** Published by the tenant at _canopy-challenge.<domain> as a TXT record. */
    verificationToken: text("verification_token").notNull().default(sql`replace(gen_random_uuid()::text, '-', '')`),
    verifiedAt: timestamp("verified_at", { withTimezone: true }),
    lastCheckedAt: timestamp("last_checked_at", { withTimezone: true }),
    /** First failed re-verification of a verified domain; routing stops after the grace period. */
    failingSince: timestamp("failing_since", { withTimezone: true }),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    primaryKey({ name: "tenant_domains_pkey", columns: [t.tenantId, t.id] }),
    // One tenant per routed host; unverified claims do not block anyone (first to verify wins).
    uniqueIndex("tenant_domains_verified_domain_key").on(t.domain).where(sql`${t.verifiedAt} is not null`),
    uniqueIndex("tenant_domains_tenant_domain_key").on(t.tenantId, t.domain),
    foreignKey({ name: "tenant_domains_tenant_fk", columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    tenantIsolation(),
    directoryRead(),
  ],
);
