import { createCallerFactory, router } from "@/server/trpc";
import { auditRouter } from "./audit";
import { invoiceRouter } from "./invoice";
import { accountRouter } from "./account";
import { meRouter } from "./me";
import { projectRouter } from "./project";
import { tenantRouter } from "./tenant";

export const appRouter = router({
  account: accountRouter,
  tenant: tenantRouter,
  project: projectRouter,
  invoice: invoiceRouter,
  audit: auditRouter,
  me: meRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
