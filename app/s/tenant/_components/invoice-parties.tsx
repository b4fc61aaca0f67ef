import type { ReactNode } from "react";

type Party = { name: ReactNode; address: string | null; taxId: string | null };

function PartyBlock({ heading, party, testId, email, note }: { heading: string; party: Party; testId: string; email?: string | null; note?: ReactNode }) {
  return (
    <div className="min-w-0 wrap-anywhere" data-testid={testId}>
      <h2 className="text-xs font-semibold uppercase tracking-wide text-slate-500">{heading}</h2>
      <p className="mt-1 font-medium" data-testid={`${testId}-name`}>
        {party.name}
      </p>
      {email ? <p className="text-sm text-slate-600">{email}</p> : null}
      {party.address ? (
        <p className="whitespace-pre-line text-sm text-slate-600" data-testid={`${testId}-address`}>
          {party.address}
        </p>
      ) : null}
      {party.taxId ? <p className="text-sm text-slate-600">Tax ID: {party.taxId}</p> : null}
      {note}
    </div>
  );
}

/**
 * The seller ("From") and buyer ("Bill to") blocks as a real invoice prints them, on the workspace's
 * invoice page and on the customer's public view. Long names wrap anywhere rather than push the
 * page sideways: an invoice shows them whole. `children` adds blocks after them (the project).
 */
export function InvoiceParties({
  seller,
  buyer,
  buyerEmail,
  buyerNote,
  children,
}: {
  seller: Party;
  buyer: Party;
  buyerEmail?: string | null;
  buyerNote?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <section className="mt-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-label="Parties">
      <PartyBlock heading="From" party={seller} testId="seller" />
      <PartyBlock heading="Bill to" party={buyer} testId="bill-to" email={buyerEmail} note={buyerNote} />
      {children}
    </section>
  );
}
