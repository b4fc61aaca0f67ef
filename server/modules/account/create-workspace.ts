import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { tenants } from "@/db/schema/tenants";
import { memberships } from "@/db/schema/users";
import { enterNewTenant } from "@/server/tenancy/enter-tenant";
import { slugProblem } from "@/lib/slug";
import { writeAudit } from "@/server/audit/write-audit";
import { AppError } from "@/server/errors";
import { assertEmailVerified } from "@/server/modules/account/email-verification";
import type { CreateWorkspaceInput } from "@/lib/schemas/account";
import { tenantUrl } from "@/server/urls";

export async function isSlugTaken(directory: Database, slug: string): Promise<boolean> {
  // Deleted tenants keep their slug until purged, so live tenants alone are not enough.
  const [row] = await directory.execute<{ taken: boolean }>(sql`select app_slug_taken(${slug}) as taken`);
  return row?.taken === true;
}

export async function slugAvailability(directory: Database, slug: string): Promise<{ available: boolean; reason: string | null }> {
  const problem = slugProblem(slug);
  if (problem) return { available: false, reason: problem };
  if (await isSlugTaken(directory, slug)) return { available: false, reason: "That address is taken" };
  return { available: true, reason: null };
}

/** The tenant and its owner membership in one transaction: both exist, or neither. */
export async function createWorkspace(directory: Database, userId: string, input: CreateWorkspaceInput) {
  const tenantId = crypto.randomUUID();
  try {
    await enterNewTenant(directory, { tenantId, userId }, async ({ directory: tx }) => {
      // A workspace is owned by an address: an unproven one could be someone else's.
      await assertEmailVerified(tx, userId);
      const [tenant] = await tx.insert(tenants).values({ id: tenantId, slug: input.slug, name: input.name }).returning();
      await tx.insert(memberships).values({ tenantId, userId, role: "owner" });
      await writeAudit(tx, { tenantId, actorUserId: userId, action: "tenant.create", entityType: "tenant", entityId: tenantId, after: tenant ?? null });
    });
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code === "23505") throw new AppError("CONFLICT", "That address is taken");
    throw error;
  }
  return { tenantId, slug: input.slug, url: tenantUrl(input.slug) };
}
