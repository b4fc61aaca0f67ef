import { createCallerFactory, router } from "@/server/trpc";
import { invoiceRouter } from "./invoice";
import { meRouter } from "./me";
import { projectRouter } from "./project";
import { tenantRouter } from "./tenant";

export const appRouter = router({
  tenant: tenantRouter,
  project: projectRouter,
  invoice: invoiceRouter,
  me: meRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
