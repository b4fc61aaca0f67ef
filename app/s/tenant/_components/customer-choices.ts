export type CustomerChoice = { id: string; name: string; email: string | null; defaultCurrency: string | null; archived: boolean };
/** What a page hands the customer picker: the first page of active customers, whether there are more, and the selected one. */
export type CustomerChoices = { items: CustomerChoice[]; more: boolean; selected: CustomerChoice | null };

/** How many customers a page loads up front for the picker. */
export const CUSTOMER_CHOICES_FIRST = 100;

export const toCustomerChoice = (c: { id: string; name: string; email: string | null; defaultCurrency: string | null; archivedAt: Date | null }): CustomerChoice => ({
  id: c.id,
  name: c.name,
  email: c.email,
  defaultCurrency: c.defaultCurrency,
  archived: c.archivedAt !== null,
});
