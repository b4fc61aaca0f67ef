import type { ReactNode } from "react";
import { formatMoney, type Currency } from "@/lib/money";
import { formatQuantity, formatTaxRate } from "@/lib/schemas/invoice-form";

export type InvoiceLine = { description: string; quantityMilli: bigint; unitPrice: bigint; taxRateBp: number; amount: bigint };

/**
 * An invoice's lines and totals, as the workspace and the customer's public view show them. On a
 * phone the quantity, unit price and tax fold under each description, so every amount stays in view.
 * `children`: more rows after the total (the public view's amount due).
 */
export function InvoiceLines(props: {
  label: string;
  currency: string;
  items: InvoiceLine[];
  subtotal: bigint;
  taxTotal: bigint;
  total: bigint;
  totalTestId?: string;
  children?: ReactNode;
}) {
  const money = (v: bigint) => formatMoney(v, props.currency as Currency);
  const middle = "hidden px-3 py-2 text-right align-top tabular-nums sm:table-cell";
  return (
    <>
      <div className="mt-6">
        {/* Fixed layout: the description column gets what the amounts leave and its words wrap; the amounts are never cut. */}
        <table className="w-full table-fixed text-sm">
          <caption className="sr-only">Line items of {props.label}</caption>
          <thead className="border-b border-slate-200 text-left text-slate-600">
            <tr>
              <th scope="col" className="py-2 pr-3 font-medium">
                Description
              </th>
              <th scope="col" className="hidden w-20 px-3 py-2 text-right font-medium sm:table-cell">
                Qty
              </th>
              <th scope="col" className="hidden w-32 px-3 py-2 text-right font-medium sm:table-cell">
                Unit price
              </th>
              <th scope="col" className="hidden w-16 px-3 py-2 text-right font-medium sm:table-cell">
                Tax
              </th>
              <th scope="col" className="w-36 py-2 pl-3 text-right font-medium">
                Amount
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {props.items.map((item, i) => (
              <tr key={i}>
                <td className="wrap-anywhere py-2 pr-3 align-top">
                  {item.description}
                  <span className="mt-0.5 block text-xs text-slate-500 tabular-nums sm:hidden">
                    {formatQuantity(item.quantityMilli)} × {money(item.unitPrice)} · tax {formatTaxRate(item.taxRateBp)}%
                  </span>
                </td>
                <td className={middle}>{formatQuantity(item.quantityMilli)}</td>
                <td className={`${middle} wrap-anywhere`}>{money(item.unitPrice)}</td>
                <td className={middle}>{formatTaxRate(item.taxRateBp)}%</td>
                <td className="wrap-anywhere py-2 pl-3 text-right align-top tabular-nums">{money(item.amount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <dl className="ml-auto mt-4 w-full max-w-xs space-y-1 text-sm">
        <div className="flex justify-between">
          <dt className="text-slate-600">Subtotal</dt>
          <dd className="tabular-nums">{money(props.subtotal)}</dd>
        </div>
        <div className="flex justify-between">
          <dt className="text-slate-600">Tax</dt>
          <dd className="tabular-nums">{money(props.taxTotal)}</dd>
        </div>
        <div className={`flex justify-between border-t border-slate-200 pt-1 font-semibold${props.children ? "" : " text-base"}`}>
          <dt>Total</dt>
          <dd className="tabular-nums" data-testid={props.totalTestId}>
            {money(props.total)}
          </dd>
        </div>
        {props.children}
      </dl>
    </>
  );
}
