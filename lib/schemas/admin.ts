import { z } from "zod";
import { planIds } from "@/lib/plans";
import { slugSchema } from "@/lib/slug";

export const plans = planIds;
export type Plan = (typeof plans)[number];

export const tenantSorts = ["name", "slug", "status", "plan", "members", "projects", "invoices", "created"] as const;
export const tenantStatusFilters = ["all", "active", "suspended", "deleted"] as const;

export const listTenantsInput = z.strictObject({
  search: z.string().trim().max(100).default(""),
  status: z.enum(tenantStatusFilters).default("all"),
  sort: z.enum(tenantSorts).default("created"),
  dir: z.enum(["asc", "desc"]).default("desc"),
  page: z.int().min(1).max(100_000).default(1),
  pageSize: z.int().min(1).max(100).default(20),
});
export type ListTenantsInput = z.input<typeof listTenantsInput>;

export const adminSlugSchema = slugSchema;

export const tenantOwnerInput = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("existing"), email: z.email("Enter a valid email").max(320).transform((v) => v.toLowerCase()) }),
  z.strictObject({ kind: z.literal("invite"), email: z.email("Enter a valid email").max(320).transform((v) => v.toLowerCase()) }),
]);

export const createTenantInput = z.strictObject({
  name: z.string().trim().min(1, "Name is required").max(100, "At most 100 characters"),
  slug: adminSlugSchema,
  owner: tenantOwnerInput,
  plan: z.enum(plans, { error: "Choose a plan" }),
});
export type CreateTenantInput = z.infer<typeof createTenantInput>;
export type CreateTenantForm = z.input<typeof createTenantInput>;

export const tenantIdInput = z.strictObject({ id: z.uuid() });
export const changeTenantPlanInput = z.strictObject({ id: z.uuid(), plan: z.enum(planIds, { error: "Choose a plan" }) });
export const deleteTenantInput = z.strictObject({
  id: z.uuid(),
  /** The restore window; purge is refused before it ends. */
  purgeAfterDays: z.int().min(0).max(365).default(30),
});
export const adminSlugAvailableInput = z.strictObject({ slug: z.string().trim().toLowerCase().max(100) });
export const exportIdInput = z.strictObject({ id: z.uuid() });
export const listExportsInput = z.strictObject({ tenantId: z.uuid().optional() });
/** The largest archive (base64 text) an import accepts; what it may unpack to is capped on the server. */
export const MAX_ARCHIVE_BASE64_CHARS = 64 * 1024 * 1024;
export const importTenantInput = z.strictObject({ archive: z.string().min(1).max(MAX_ARCHIVE_BASE64_CHARS) });
/** Every action written to the platform audit log; the admin audit page has a sentence for each. */
export const platformAuditActions = [
  "tenant.create",
  "tenant.suspend",
  "tenant.reactivate",
  "tenant.plan",
  "tenant.delete",
  "tenant.restore",
  "tenant.purge",
  "tenant.move",
  "tenant.export",
  "tenant.import",
  "support.start",
  "support.end",
  "job.retry",
] as const;
export type PlatformAuditAction = (typeof platformAuditActions)[number];

export const listPlatformAuditInput = z.strictObject({
  limit: z.int().min(1).max(200).default(50),
  before: z.iso.datetime({ offset: true }).optional(),
  tenantId: z.uuid().optional(),
});

export const startSupportSessionInput = z.strictObject({
  tenantId: z.uuid(),
  reason: z.string().trim().min(5, "Give a reason of at least 5 characters").max(500, "At most 500 characters"),
  minutes: z.int().min(5).max(240).default(30),
  readOnly: z.boolean().default(true),
});
export const supportSessionIdInput = z.strictObject({ id: z.uuid() });
/** A placement: "shared" or the name of a dedicated database (TENANT_DATABASES). */
export const moveTenantInput = z.strictObject({
  id: z.uuid(),
  target: z.string().trim().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "Choose a placement"),
});
