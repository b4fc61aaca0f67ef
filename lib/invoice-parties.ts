/** A party's lines under its name on an invoice: the postal address and tax ID, each possibly unset. */
export type PartyDetails = { address: string | null; taxId: string | null };

/**
 * The buyer's address and tax ID as the invoice prints them. A draft shows its linked customer's
 * details as they are now; from sending on, the copy the invoice took when it was sent.
 */
export function billToDetails(
  invoice: { customerAddress: string | null; customerTaxId: string | null },
  draftCustomer: { billingAddress: string | null; taxId: string | null } | null,
): PartyDetails {
  return draftCustomer ? { address: draftCustomer.billingAddress, taxId: draftCustomer.taxId } : { address: invoice.customerAddress, taxId: invoice.customerTaxId };
}
