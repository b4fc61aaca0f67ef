import { env } from "@/lib/env";
import { createTrpcHandler } from "@/server/api/trpc-handler";
import { rateLimiterFromEnv } from "@/server/rate-limit";

export const dynamic = "force-dynamic";

// Built on first request, not at import: `next build` loads this module without a runtime environment.
let handle: ((req: Request) => Promise<Response>) | undefined;
const handler = (req: Request) => {
  handle ??= createTrpcHandler({ limiter: rateLimiterFromEnv(), maxBatchSize: env().TRPC_MAX_BATCH_SIZE });
  return handle(req);
};

export { handler as GET, handler as POST };
