"use client";

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export type LoadBar = { label: string; dbSeconds: number; requests: number };

/**
 * Database time per tenant, heaviest first: one bar far longer than the rest is the noisy
 * neighbour. The numbers are in the table below it, so the chart is a picture with a summary.
 */
export function LoadChart({ bars }: { bars: LoadBar[] }) {
  const top = bars[0];
  if (!top) return null;
  const summary = `Database time per tenant, last hour. Heaviest: ${top.label} with ${top.dbSeconds.toFixed(1)} s over ${top.requests} calls.`;
  return (
    <div role="img" aria-label={summary} className="w-full" style={{ height: Math.max(120, 36 * bars.length + 40) }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={bars} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" tick={{ fontSize: 12 }} unit=" s" allowDecimals />
          <YAxis type="category" dataKey="label" tick={{ fontSize: 12 }} width={120} />
          <Tooltip formatter={(v) => [`${Number(v).toFixed(2)} s`, "Database time"]} />
          <Bar dataKey="dbSeconds" fill="#047857" radius={[0, 3, 3, 0]} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
