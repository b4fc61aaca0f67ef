import { z } from "zod";
import { apiKeyScopes, normalizeScopes } from "@/lib/api-key-scopes";

/** Days until a new key expires; null: until revoked. A fixed choice, so no key is made to last a millennium by a typo. */
export const apiKeyExpiryDays = [7, 30, 90, 365] as const;

export const createApiKeyInput = z.strictObject({
  name: z.string().trim().min(1, "Name is required").max(100, "At most 100 characters"),
  scopes: z
    .array(z.enum(apiKeyScopes, { error: "Unknown scope" }), { error: "Choose at least one scope" })
    .min(1, "Choose at least one scope")
    .max(apiKeyScopes.length)
    .transform(normalizeScopes),
  expiresInDays: z.literal(apiKeyExpiryDays, { error: "Choose when the key expires" }).nullable(),
});
export type CreateApiKeyInput = z.infer<typeof createApiKeyInput>;

export const apiKeyIdInput = z.strictObject({ id: z.uuid() });
