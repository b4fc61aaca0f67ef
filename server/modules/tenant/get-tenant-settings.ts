import { eq } from "drizzle-orm";
import { tenantSettings } from "@/db/schema/tenant-settings";
import type { Currency } from "@/lib/money";
import { defaultTenantSettings, type LogoContentType } from "@/lib/schemas/tenant-settings";
import type { TenantScope } from "@/server/tenancy/enter-tenant";

/** Every column but the logo's bytes, which only the logo route and the seller details read. */
export const settingsColumns = {
  legalName: tenantSettings.legalName,
  postalAddress: tenantSettings.postalAddress,
  taxId: tenantSettings.taxId,
  invoicePrefix: tenantSettings.invoicePrefix,
  defaultCurrency: tenantSettings.defaultCurrency,
  paymentTermsDays: tenantSettings.paymentTermsDays,
  logoSha256: tenantSettings.logoSha256,
  logoContentType: tenantSettings.logoContentType,
};

/** The logo's URL on the tenant's own hosts: the content hash makes it immutable, so it caches for good. */
export const logoPath = (sha256: string) => `/api/logo/${sha256}`;

export type TenantSettings = {
  legalName: string | null;
  postalAddress: string | null;
  taxId: string | null;
  invoicePrefix: string;
  defaultCurrency: Currency;
  paymentTermsDays: number;
  logo: { url: string; sha256: string; contentType: LogoContentType } | null;
};

/** The tenant's company details, or the defaults while it has never saved any. */
export async function getTenantSettings({ tenantId, data }: Pick<TenantScope, "tenantId" | "data">, opts: { lock?: boolean } = {}): Promise<TenantSettings> {
  const query = data.select(settingsColumns).from(tenantSettings).where(eq(tenantSettings.tenantId, tenantId));
  const [row] = opts.lock ? await query.for("update") : await query;
  if (!row) return { ...defaultTenantSettings, logo: null };
  const { logoSha256, logoContentType, defaultCurrency, ...rest } = row;
  return {
    ...rest,
    // Only ever written through updateTenantSettingsInput, which admits the known currencies.
    defaultCurrency: defaultCurrency as Currency,
    logo: logoSha256 && logoContentType ? { url: logoPath(logoSha256), sha256: logoSha256, contentType: logoContentType as LogoContentType } : null,
  };
}

/** The seller as an invoice prints it in words: legal name, address and tax ID. */
export type SellerParty = {
  /** The legal name, or the workspace's display name while none is set. */
  name: string;
  postalAddress: string | null;
  taxId: string | null;
};

export type SellerDetails = SellerParty & { logo: { contentType: LogoContentType; bytes: Buffer } | null };

/**
 * The seller as an invoice (page, PDF, email) should print it, read in the tenant's scope on its
 * placement. `tenantName` is the directory's display name, printed while no legal name is set.
 */
export async function getSellerDetails({ tenantId, data }: Pick<TenantScope, "tenantId" | "data">, tenantName: string): Promise<SellerDetails> {
  const [row] = await data
    .select({ legalName: tenantSettings.legalName, postalAddress: tenantSettings.postalAddress, taxId: tenantSettings.taxId, logo: tenantSettings.logo, logoContentType: tenantSettings.logoContentType })
    .from(tenantSettings)
    .where(eq(tenantSettings.tenantId, tenantId));
  return {
    ...sellerParty(row, tenantName),
    logo: row?.logo && row.logoContentType ? { contentType: row.logoContentType as LogoContentType, bytes: row.logo } : null,
  };
}

/** The seller's words without the logo's bytes: what the invoice page and PDF print in their "From" block. */
export async function getSellerParty({ tenantId, data }: Pick<TenantScope, "tenantId" | "data">, tenantName: string): Promise<SellerParty> {
  const [row] = await data
    .select({ legalName: tenantSettings.legalName, postalAddress: tenantSettings.postalAddress, taxId: tenantSettings.taxId })
    .from(tenantSettings)
    .where(eq(tenantSettings.tenantId, tenantId));
  return sellerParty(row, tenantName);
}

function sellerParty(row: { legalName: string | null; postalAddress: string | null; taxId: string | null } | undefined, tenantName: string): SellerParty {
  return { name: row?.legalName ?? tenantName, postalAddress: row?.postalAddress ?? null, taxId: row?.taxId ?? null };
}

/** The prefix a new invoice number gets: the tenant's current one. */
export async function currentInvoicePrefix({ tenantId, data }: Pick<TenantScope, "tenantId" | "data">): Promise<string> {
  const [row] = await data.select({ prefix: tenantSettings.invoicePrefix }).from(tenantSettings).where(eq(tenantSettings.tenantId, tenantId));
  return row?.prefix ?? defaultTenantSettings.invoicePrefix;
}
