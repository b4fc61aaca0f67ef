import { and, desc, eq } from "drizzle-orm";
import type { Transaction } from "@/db/client";
import { apiKeys } from "@/db/schema/accounts";
import { writeAudit } from "@/server/audit/write-audit";
import { AppError } from "@/server/errors";
import { API_KEY_PREFIX, newSecret, sha256Hex } from "@/server/tokens";
import type { CreateApiKeyInput } from "@/lib/schemas/api-key";

type KeyScope = {
  tenantId: string;
  userId: string | null;
  apiKeyId: string | null;
  db: Transaction;
  /** Where the audit entries (and emails) go: the tenant's placement. `db` is the shared directory's. */
  data: Transaction;
};

const listed = {
  id: apiKeys.id,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  scopes: apiKeys.scopes,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
};

export async function listApiKeys({ tenantId, db }: Pick<KeyScope, "tenantId" | "db">) {
  return db.select(listed).from(apiKeys).where(eq(apiKeys.tenantId, tenantId)).orderBy(desc(apiKeys.createdAt));
}

/** The clear key is returned once, here; only its SHA-256 is stored. */
export async function createApiKey({ tenantId, userId, apiKeyId, db, data }: KeyScope, input: CreateApiKeyInput) {
  // A leaked key must not be able to mint its own replacement and survive being revoked.
  if (apiKeyId) throw new AppError("FORBIDDEN", "API keys cannot create API keys; sign in to create one");
  const token = newSecret(API_KEY_PREFIX);
  const [row] = await db
    .insert(apiKeys)
    .values({ tenantId, name: input.name, scopes: input.role === "viewer" ? ["projects:read", "invoices:read"] : ["projects:read", "projects:write", "invoices:read", "invoices:write"], prefix: token.slice(0, 12), keyHash: sha256Hex(token), createdBy: userId })
    .returning(listed);
  if (!row) throw new Error("insert returned no row");
  await writeAudit(data, { tenantId, actorUserId: userId, action: "apiKey.create", entityType: "api_key", entityId: row.id, after: { name: row.name, scopes: row.scopes, prefix: row.prefix } });
  return { ...row, token };
}

/** Refused from the very next request: the tenant procedure reads revoked_at on every call. */
export async function revokeApiKey({ tenantId, userId, db, data }: KeyScope, id: string) {
  const [before] = await db
    .select(listed)
    .from(apiKeys)
    .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, id)))
    .for("update");
  if (!before) throw new AppError("NOT_FOUND", "API key not found");
  if (before.revokedAt) throw new AppError("INVALID_TRANSITION", "This API key is already revoked");
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, id)))
    .returning(listed);
  if (!row) throw new AppError("NOT_FOUND", "API key not found");
  await writeAudit(data, { tenantId, actorUserId: userId, action: "apiKey.revoke", entityType: "api_key", entityId: id, before: { name: before.name, prefix: before.prefix } });
  return row;
}
