import { createCallerFactory, router } from "@/server/trpc";
import { adminRouter } from "./admin";
import { domainRouter } from "./domain";
import { ssoRouter } from "./sso";
import { supportRouter } from "./support";
import { apiKeyRouter } from "./api-key";
import { auditRouter } from "./audit";
import { customerRouter } from "./customer";
import { invoiceRouter } from "./invoice";
import { accountRouter } from "./account";
import { invitationRouter } from "./invitation";
import { memberRouter } from "./member";
import { meRouter } from "./me";
import { projectRouter } from "./project";
import { tenantRouter } from "./tenant";

export const appRouter = router({
  account: accountRouter,
  tenant: tenantRouter,
  project: projectRouter,
  customer: customerRouter,
  invoice: invoiceRouter,
  audit: auditRouter,
  member: memberRouter,
  invitation: invitationRouter,
  apiKey: apiKeyRouter,
  me: meRouter,
  admin: adminRouter,
  domain: domainRouter,
  sso: ssoRouter,
  support: supportRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
