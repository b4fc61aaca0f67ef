import { Fragment, type ReactNode } from "react";
import { StatusBadge } from "./ui";

/** One line of the heading's dates: what happened, when, and whether it needs attention (overdue). */
export type InvoiceDate = { term: string; value: string; testId?: string; alert?: boolean };

/**
 * An invoice's title block, as the workspace's invoice page and the customer's public view both show
 * it: who issued it, its number, its status, and its dates. Each page names its own test ids.
 */
export function InvoiceHeading({
  eyebrow,
  label,
  status,
  overdue,
  dates,
  testIds,
}: {
  eyebrow: ReactNode;
  label: string;
  status: string;
  overdue: boolean;
  dates: InvoiceDate[];
  testIds: { number: string; status?: string };
}) {
  return (
    <>
      <div className="min-w-0">
        <p className="wrap-anywhere text-sm text-slate-500">{eyebrow}</p>
        <h1 id="invoice-title" className="text-2xl font-bold" data-testid={testIds.number}>
          {label}
        </h1>
        <div className="mt-1 flex items-center gap-2" data-testid={testIds.status}>
          <StatusBadge status={status} />
          {overdue ? <StatusBadge status="overdue" /> : null}
        </div>
      </div>
      <dl className="grid grid-cols-[auto_auto] gap-x-4 gap-y-1 text-sm">
        {dates.map((d) => (
          <Fragment key={d.term}>
            <dt className="text-slate-500">{d.term}</dt>
            <dd className={d.alert ? "font-semibold text-red-700" : ""} data-testid={d.testId}>
              {d.value}
            </dd>
          </Fragment>
        ))}
      </dl>
    </>
  );
}
