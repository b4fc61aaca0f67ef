/**
 * Which tenant tables move with a tenant between placements, and which stay in the shared
 * database. A catalog test (tests/integration/tenant-move.test.ts) fails when a table with a
 * tenant_id is in neither list, so a new table cannot be forgotten by the mover.
 */

/** Business rows: they live in the tenant's placement. Parents before children (copy order). */
export const MOVED_TABLES = [
  { name: "projects", key: ["tenant_id", "id"] },
  { name: "customers", key: ["tenant_id", "id"] },
  { name: "invoices", key: ["tenant_id", "id"] },
  { name: "invoice_items", key: ["tenant_id", "id"] },
  { name: "invoice_counters", key: ["tenant_id"] },
  { name: "invoice_public_links", key: ["tenant_id", "id"] },
  { name: "tenant_settings", key: ["tenant_id"] },
  { name: "audit_log", key: ["tenant_id", "id"] },
  { name: "email_outbox", key: ["tenant_id", "id"] },
] as const;

/**
 * The directory: who may enter a tenant and how it is reached. Read on every request before the
 * tenant's placement is known, and shared with other tenants' look-ups, so it never moves.
 */
export const DIRECTORY_TABLES = ["tenants", "tenant_domains", "memberships", "invitations", "api_keys", "auth_handoffs", "tenant_sso", "sso_domains", "sso_identities", "sso_sign_ins"] as const;

/** Platform tables: they name a tenant but belong to platform admins. */
export const PLATFORM_TABLES = ["platform_audit_log", "tenant_exports", "support_sessions", "tenant_moves"] as const;
