import { desc, eq, sql } from "drizzle-orm";
import { apiKeys } from "@/db/schema/accounts";
import { writeAudit } from "@/server/audit/write-audit";
import { AppError } from "@/server/errors";
import { API_KEY_PREFIX, newSecret, sha256Hex } from "@/server/tokens";
import type { CreateApiKeyInput } from "@/lib/schemas/api-key";
import type { TenantScope } from "@/server/tenancy/enter-tenant";

export type ApiKeyStatus = "active" | "expired" | "revoked";

export const listedApiKey = {
  id: apiKeys.id,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  scopes: apiKeys.scopes,
  expiresAt: apiKeys.expiresAt,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
  // By the database's clock, the one the tenant procedure refuses expired keys by.
  status: sql<ApiKeyStatus>`case when ${apiKeys.revokedAt} is not null then 'revoked' when ${apiKeys.expiresAt} <= now() then 'expired' else 'active' end`,
};

export async function listApiKeys({ tenantId, directory }: Pick<TenantScope, "tenantId" | "directory">) {
  return directory.select(listedApiKey).from(apiKeys).where(eq(apiKeys.tenantId, tenantId)).orderBy(desc(apiKeys.createdAt));
}

/** The clear key is returned once, here; only its SHA-256 is stored. */
export async function createApiKey({ tenantId, userId, apiKeyId, directory, data }: TenantScope, input: CreateApiKeyInput) {
  // A leaked key must not be able to mint its own replacement and survive being revoked (the
  // permission table already keeps keys out of apiKey.*; this holds even if that changed).
  if (apiKeyId || !userId) throw new AppError("FORBIDDEN", "API keys cannot create API keys; sign in to create one");
  const token = newSecret(API_KEY_PREFIX);
  const [row] = await directory
    .insert(apiKeys)
    .values({
      tenantId,
      name: input.name,
      scopes: input.scopes,
      expiresAt: input.expiresInDays === null ? null : sql`now() + make_interval(days => ${input.expiresInDays}::int)`,
      prefix: token.slice(0, 12),
      keyHash: sha256Hex(token),
      createdBy: userId,
    })
    .returning(listedApiKey);
  if (!row) throw new Error("insert returned no row");
  await writeAudit(data, {
    tenantId,
    actorUserId: userId,
    action: "apiKey.create",
    entityType: "api_key",
    entityId: row.id,
    after: { name: row.name, scopes: row.scopes, expiresAt: row.expiresAt, prefix: row.prefix },
  });
  return { ...row, token };
}
