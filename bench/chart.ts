import * as vega from "vega";

export type ChartRow = { label: string; rps: number; p50: number; p99: number };

/** Requests per second per scenario, each bar labelled with its p50/p99, rendered headless to SVG. */
export async function renderChart(rows: ChartRow[], subtitle: string): Promise<string> {
  const values = rows.map((r) => ({ ...r, note: `${Math.round(r.rps)} rps · p50 ${r.p50} ms · p99 ${r.p99} ms` }));
  const maxRps = Math.max(1, ...rows.map((r) => r.rps));
  const spec: vega.Spec = {
    $schema: "https://vega.github.io/schema/vega/v6.json",
    width: 560,
    height: Math.max(60, rows.length * 26),
    padding: 12,
    background: "white",
    title: { text: "Canopy bench: throughput per scenario", subtitle, anchor: "start", fontSize: 14 },
    data: [{ name: "table", values }],
    scales: [
      { name: "y", type: "band", domain: { data: "table", field: "label" }, range: "height", padding: 0.2 },
      // Headroom on the right for the labels.
      { name: "x", type: "linear", domain: [0, maxRps * 1.6], range: "width", nice: true, zero: true },
    ],
    axes: [
      { orient: "bottom", scale: "x", title: "requests per second", grid: true },
      { orient: "left", scale: "y", labelLimit: 320 },
    ],
    marks: [
      {
        type: "rect",
        from: { data: "table" },
        encode: {
          enter: {
            y: { scale: "y", field: "label" },
            height: { scale: "y", band: 1 },
            x: { scale: "x", value: 0 },
            x2: { scale: "x", field: "rps" },
            fill: { value: "#0f766e" },
          },
        },
      },
      {
        type: "text",
        from: { data: "table" },
        encode: {
          enter: {
            y: { scale: "y", field: "label", band: 0.5 },
            x: { scale: "x", field: "rps", offset: 4 },
            text: { field: "note" },
            baseline: { value: "middle" },
            fontSize: { value: 10 },
            fill: { value: "#0f172a" },
          },
        },
      },
    ],
  };
  const view = new vega.View(vega.parse(spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
