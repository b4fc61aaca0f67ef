import "server-only";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import type { serverCaller } from "@/server/api/server-caller";
import { CUSTOMER_CHOICES_FIRST, toCustomerChoice, type CustomerChoices } from "../_components/customer-choices";

type Caller = Awaited<ReturnType<typeof serverCaller>>;

/**
 * The picker's first page of active customers, and the selected one read on its own when it is not
 * on that page (an archived customer a draft still links, or `?customer=` from a customer's page).
 * A selected id that is not one of this tenant's customers is dropped.
 */
export async function customerChoices(caller: Caller, selectedId: string | null | undefined): Promise<CustomerChoices> {
  const first = await caller.customer.list({ limit: CUSTOMER_CHOICES_FIRST });
  const listed = selectedId ? first.items.find((c) => c.id === selectedId) : undefined;
  let selected = listed ?? null;
  if (selectedId && !listed && z.uuid().safeParse(selectedId).success) {
    selected = await caller.customer.byId({ id: selectedId }).catch((error: unknown) => {
      if (error instanceof TRPCError && error.code === "NOT_FOUND") return null;
      throw error;
    });
  }
  return { items: first.items.map(toCustomerChoice), more: first.nextCursor != null, selected: selected ? toCustomerChoice(selected) : null };
}
