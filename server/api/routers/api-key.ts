import { apiKeyIdInput, createApiKeyInput } from "@/lib/schemas/api-key";
import { router, tenantProcedure } from "@/server/api/trpc";
import { createApiKey, listApiKeys } from "@/server/modules/api-key/manage-api-keys";
import { revokeApiKey } from "@/server/modules/api-key/revoke-api-key";

const manage = tenantProcedure.meta({ permission: "apiKey:manage" });

export const apiKeyRouter = router({
  list: manage.query(({ ctx }) => listApiKeys(ctx.scope)),
  create: manage.input(createApiKeyInput).mutation(({ ctx, input }) => createApiKey(ctx.scope, input)),
  revoke: manage.input(apiKeyIdInput).mutation(({ ctx, input }) => revokeApiKey(ctx.scope, input.id)),
});
