"use client";

import { useState } from "react";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatMoney, type Currency } from "@/lib/money";

export type RevenueSeries = { currency: Currency; totals: string[] };

const monthLabel = (ym: string) => new Date(`${ym}-01T00:00:00Z`).toLocaleDateString("en-US", { month: "short", year: "2-digit", timeZone: "UTC" });

/** Bars per month for one currency at a time: amounts in different currencies never share an axis. */
export function RevenueChart({ months, series }: { months: string[]; series: RevenueSeries[] }) {
  const [currency, setCurrency] = useState<Currency | undefined>(series[0]?.currency);
  const selected = series.find((s) => s.currency === currency) ?? series[0];
  if (!selected) return <p className="text-sm text-slate-600">No invoices were paid in the last 12 months.</p>;
  const data = months.map((month, i) => {
    const minor = BigInt(selected.totals[i] ?? "0");
    return { month: monthLabel(month), minor: minor.toString(), value: Number(minor) };
  });
  const format = (minor: string) => formatMoney(BigInt(minor), selected.currency);

  return (
    <div>
      {series.length > 1 ? (
        <div role="group" aria-label="Currency" className="mb-3 flex flex-wrap gap-1">
          {series.map((s) => (
            <button
              key={s.currency}
              type="button"
              aria-pressed={s.currency === selected.currency}
              onClick={() => setCurrency(s.currency)}
              className="rounded-md border border-slate-300 px-2 py-1 text-xs aria-pressed:border-emerald-700 aria-pressed:bg-emerald-50 aria-pressed:font-semibold"
            >
              {s.currency}
            </button>
          ))}
        </div>
      ) : null}
      <div role="img" aria-label={`Paid revenue per month in ${selected.currency}, last 12 months`} className="h-64 w-full">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="month" tick={{ fontSize: 12 }} interval="preserveStartEnd" />
            <YAxis tick={{ fontSize: 12 }} width={72} tickFormatter={(v: number) => formatMoney(BigInt(Math.round(v)), selected.currency).replace(/\.\d+$/, "")} />
            <Tooltip formatter={(_v, _n, item) => [format((item.payload as { minor: string }).minor), "Paid"]} />
            <Bar dataKey="value" fill="#047857" radius={[3, 3, 0, 0]} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <table className="sr-only">
        <caption>Paid revenue per month in {selected.currency}</caption>
        <thead>
          <tr>
            <th scope="col">Month</th>
            <th scope="col">Paid</th>
          </tr>
        </thead>
        <tbody>
          {data.map((d) => (
            <tr key={d.month}>
              <td>{d.month}</td>
              <td>{format(d.minor)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
