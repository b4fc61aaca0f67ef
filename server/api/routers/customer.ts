import { router, tenantProcedure } from "@/server/api/trpc";
import { createCustomerInput, customerIdInput, listCustomersInput, updateCustomerInput } from "@/lib/schemas/customer";
import { getCustomer } from "@/server/modules/customer/get-customer";
import { listCustomers } from "@/server/modules/customer/list-customers";
import { archiveCustomer, createCustomer, updateCustomer } from "@/server/modules/customer/mutate-customer";

const read = tenantProcedure.meta({ permission: "customer:read" });
const write = tenantProcedure.meta({ permission: "customer:write" });

export const customerRouter = router({
  list: read.input(listCustomersInput).query(({ ctx, input }) => listCustomers(ctx.scope, input)),
  byId: read.input(customerIdInput).query(({ ctx, input }) => getCustomer(ctx.scope, input)),
  create: write.input(createCustomerInput).mutation(({ ctx, input }) => createCustomer(ctx.scope, input)),
  update: write.input(updateCustomerInput).mutation(({ ctx, input }) => updateCustomer(ctx.scope, input)),
  archive: write.input(customerIdInput).mutation(({ ctx, input }) => archiveCustomer(ctx.scope, input)),
});
