import { z } from "zod";
import { currencyCodes } from "./invoice";
import { optionalAddress, optionalTaxId } from "./tenant-settings";

const customerFields = {
  name: z.string().trim().min(1, "Enter the customer's name").max(200, "The name can be at most 200 characters"),
  email: z
    .string()
    .trim()
    .max(320, "The email can be at most 320 characters")
    .pipe(z.union([z.literal(""), z.email("Enter an email address like name@example.com")]))
    .nullish()
    .transform((v) => (v ? v.toLowerCase() : null)),
  // The same rules as the company's own address and tax ID: both print on the invoice.
  billingAddress: optionalAddress(),
  taxId: optionalTaxId(),
  // An empty string is the form's "No default" option.
  defaultCurrency: z
    .union([z.literal(""), z.enum(currencyCodes, { error: "Choose a currency" })])
    .nullish()
    .transform((v) => (v ? v : null)),
};

export const createCustomerInput = z.strictObject(customerFields);
export type CreateCustomerInput = z.infer<typeof createCustomerInput>;
/** What the create/edit form holds before parsing. */
export type CustomerFormValues = z.input<typeof createCustomerInput>;

/** Every field is sent: the form always holds the whole customer, and a blank clears it. */
export const updateCustomerInput = z.strictObject({ id: z.uuid(), ...customerFields });
export type UpdateCustomerInput = z.infer<typeof updateCustomerInput>;

export const customerIdInput = z.strictObject({ id: z.uuid() });

export const listCustomersInput = z.strictObject({
  /** Matches anywhere in the name or the email, case-insensitively. */
  search: z.string().trim().max(100).optional(),
  includeArchived: z.boolean().default(false),
  cursor: z.string().max(400).optional(),
  // tRPC's infinite queries send a direction with the cursor; only forward paging exists.
  direction: z.literal("forward").optional(),
  limit: z.number().int().min(1).max(100).default(20),
});
export type ListCustomersInput = z.input<typeof listCustomersInput>;
export type ListCustomersQuery = z.output<typeof listCustomersInput>;
