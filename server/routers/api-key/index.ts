import { apiKeyIdInput, createApiKeyInput } from "@/lib/schemas/api-key";
import { router, tenantProcedure, type TenantContext } from "@/server/trpc";
import { createApiKey, listApiKeys, revokeApiKey } from "./manage-api-keys";

const manage = tenantProcedure.meta({ permission: "apiKey:manage" });

const scope = (ctx: TenantContext) => ({ tenantId: ctx.tenant.id, userId: ctx.userId, apiKeyId: ctx.apiKeyId, db: ctx.db });

export const apiKeyRouter = router({
  list: manage.query(({ ctx }) => listApiKeys(scope(ctx))),
  create: manage.input(createApiKeyInput).mutation(({ ctx, input }) => createApiKey(scope(ctx), input)),
  revoke: manage.input(apiKeyIdInput).mutation(({ ctx, input }) => revokeApiKey(scope(ctx), input.id)),
});
