import { createCallerFactory, router } from "@/server/api/trpc";
import { adminRouter } from "@/server/api/routers/admin";
import { domainRouter } from "@/server/api/routers/domain";
import { ssoRouter } from "@/server/api/routers/sso";
import { supportRouter } from "@/server/api/routers/support";
import { apiKeyRouter } from "@/server/api/routers/api-key";
import { auditRouter } from "@/server/api/routers/audit";
import { customerRouter } from "@/server/api/routers/customer";
import { invoiceRouter } from "@/server/api/routers/invoice";
import { accountRouter } from "@/server/api/routers/account";
import { invitationRouter } from "@/server/api/routers/invitation";
import { memberRouter } from "@/server/api/routers/member";
import { meRouter } from "@/server/api/routers/me";
import { projectRouter } from "@/server/api/routers/project";
import { tenantRouter } from "@/server/api/routers/tenant";

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
