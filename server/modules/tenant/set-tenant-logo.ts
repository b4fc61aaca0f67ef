import { createHash } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import sharp, { type Metadata } from "sharp";
import { z } from "zod";
import { tenantSettings } from "@/db/schema/tenant-settings";
import { setLogoInput } from "@/lib/schemas/tenant-settings";
import { writeAudit } from "@/server/audit/write-audit";
import type { AfterCommitTask } from "@/server/after-commit";
import { clearBrandingCache } from "@/server/branding";
import { getTenantSettings } from "@/server/modules/tenant/get-tenant-settings";
import type { TenantScope } from "@/server/tenancy/enter-tenant";

/** Runs a task once the caller's transaction has committed (the tRPC context's `afterCommit`). */
type AfterCommit = (task: AfterCommitTask) => void;

// After commit: a read racing the transaction must not re-cache the logo it replaces.
const refreshBranding = (tenantId: string, afterCommit: AfterCommit) => afterCommit(() => Promise.resolve(clearBrandingCache(tenantId)));

const MIN_SIDE = 16;
const MAX_SIDE = 4096;
const sharpFormat = { "image/png": "png", "image/jpeg": "jpeg", "image/webp": "webp" } as const;

/**
 * Only PNG, JPEG and WebP, sniffed by magic bytes in the shared input schema and then parsed by
 * libvips here, as part of the input's validation (so a refusal is a field error like any other).
 * Never SVG: an SVG is a document that can carry script, and a logo served from the tenant's own
 * host would run it there with the visitor's cookies (stored XSS).
 */
export const checkedLogoInput = setLogoInput.transform(async ({ image }, ctx) => {
  const unreadable = () => {
    ctx.addIssue({ code: "custom", path: ["image"], message: "This image could not be read; save it again as PNG, JPEG or WebP" });
    return z.NEVER;
  };
  let meta: Metadata;
  try {
    // Headers only; limitInputPixels refuses a decompression bomb before any pixel is decoded.
    meta = await sharp(image.bytes, { limitInputPixels: MAX_SIDE * MAX_SIDE }).metadata();
  } catch {
    return unreadable();
  }
  // The bytes must be what their signature says: a PNG header on something else is refused.
  if (meta.format !== sharpFormat[image.contentType]) return unreadable();
  const { width, height } = meta;
  const tooSmall = width < MIN_SIDE || height < MIN_SIDE;
  if (tooSmall || width > MAX_SIDE || height > MAX_SIDE) {
    const message = tooSmall ? `The logo must be at least ${MIN_SIDE} × ${MIN_SIDE} pixels` : `The logo can be at most ${MAX_SIDE} × ${MAX_SIDE} pixels`;
    ctx.addIssue({ code: "custom", path: ["image"], message });
    return z.NEVER;
  }
  return { image: { ...image, width, height } };
});
type CheckedLogo = z.output<typeof checkedLogoInput>;

export async function setTenantLogo(scope: Pick<TenantScope, "tenantId" | "userId" | "data">, input: CheckedLogo, afterCommit: AfterCommit) {
  const { tenantId, userId, data } = scope;
  refreshBranding(tenantId, afterCommit);
  const { width, height } = input.image;
  const bytes = Buffer.from(input.image.bytes);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const before = await getTenantSettings(scope, { lock: true });
  const logo = { logo: bytes, logoContentType: input.image.contentType, logoSha256: sha256 };
  await data
    .insert(tenantSettings)
    .values({ tenantId, ...logo })
    .onConflictDoUpdate({ target: tenantSettings.tenantId, set: { ...logo, updatedAt: sql`now()` } });
  await writeAudit(data, {
    tenantId,
    actorUserId: userId,
    action: "tenant.logo.set",
    entityType: "tenant",
    entityId: tenantId,
    before: { logoSha256: before.logo?.sha256 ?? null },
    after: { logoSha256: sha256, contentType: input.image.contentType, bytes: bytes.length, width, height },
  });
  return getTenantSettings(scope);
}

export async function removeTenantLogo(scope: Pick<TenantScope, "tenantId" | "userId" | "data">, afterCommit: AfterCommit) {
  const { tenantId, userId, data } = scope;
  refreshBranding(tenantId, afterCommit);
  const before = await getTenantSettings(scope, { lock: true });
  if (before.logo) {
    await data.update(tenantSettings).set({ logo: null, logoContentType: null, logoSha256: null, updatedAt: sql`now()` }).where(eq(tenantSettings.tenantId, tenantId));
    await writeAudit(data, { tenantId, actorUserId: userId, action: "tenant.logo.remove", entityType: "tenant", entityId: tenantId, before: { logoSha256: before.logo.sha256 }, after: { logoSha256: null } });
  }
  return getTenantSettings(scope);
}
