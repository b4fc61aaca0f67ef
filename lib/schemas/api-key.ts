import { z } from "zod";

/** An API key never carries the owner role: owners are people. */
export const apiKeyRoles = ["admin", "member", "viewer"] as const;

export const createApiKeyInput = z.strictObject({
  name: z.string().trim().min(1, "Name is required").max(100, "At most 100 characters"),
  role: z.enum(apiKeyRoles, { error: "Choose a role" }),
});
export type CreateApiKeyInput = z.infer<typeof createApiKeyInput>;

export const apiKeyIdInput = z.strictObject({ id: z.uuid() });
