import { apiKeyIdInput, createApiKeyInput } from "@/lib/schemas/api-key";
import { directoryScopeOf, router, tenantProcedure, type TenantContext } from "@/server/api/trpc";
import { createApiKey, listApiKeys } from "@/server/modules/api-key/manage-api-keys";
import { revokeApiKey } from "@/server/modules/api-key/revoke-api-key";

const manage = tenantProcedure.meta({ permission: "apiKey:manage" });

const scope = (ctx: TenantContext) => ({ ...directoryScopeOf(ctx), apiKeyId: ctx.apiKeyId });

export const apiKeyRouter = router({
  list: manage.query(({ ctx }) => listApiKeys(scope(ctx))),
  create: manage.input(createApiKeyInput).mutation(({ ctx, input }) => createApiKey(scope(ctx), input)),
  revoke: manage.input(apiKeyIdInput).mutation(({ ctx, input }) => revokeApiKey(scope(ctx), input.id)),
});
