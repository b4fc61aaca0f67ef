import { router, scopeOf as scope, tenantProcedure } from "@/server/api/trpc";
import { createCustomerInput, customerIdInput, listCustomersInput, updateCustomerInput } from "@/lib/schemas/customer";
import { getCustomer } from "@/server/modules/customer/get-customer";
import { listCustomers } from "@/server/modules/customer/list-customers";
import { archiveCustomer, createCustomer, updateCustomer } from "@/server/modules/customer/mutate-customer";

const read = tenantProcedure.meta({ permission: "customer:read" });
const write = tenantProcedure.meta({ permission: "customer:write" });

export const customerRouter = router({
  list: read.input(listCustomersInput).query(({ ctx, input }) => listCustomers({ tenantId: ctx.tenant.id, db: ctx.db, input })),
  byId: read.input(customerIdInput).query(({ ctx, input }) => getCustomer({ tenantId: ctx.tenant.id, db: ctx.db, id: input.id })),
  create: write.input(createCustomerInput).mutation(({ ctx, input }) => createCustomer(scope(ctx), input)),
  update: write.input(updateCustomerInput).mutation(({ ctx, input }) => updateCustomer(scope(ctx), input)),
  archive: write.input(customerIdInput).mutation(({ ctx, input }) => archiveCustomer(scope(ctx), input.id)),
});
