/**
 * The PDF scenario of `npm run bench`: the render time of the worst-case invoice (100 lines of
 * 500-character words, `tests/support/worst-case-invoice.ts`) through `GET /api/invoices/[id]/pdf`, and
 * the health route's latency while nothing renders and while PDFs render back to back (alternating
 * windows, each health request labelled by whether a PDF was in flight when it was sent). The health
 * probe is open-loop at a fixed, light rate (20/s, not as fast as possible): each request is sent on its
 * schedule whether or not the previous ones have answered, and its latency counts from that scheduled
 * moment, so a stalled event loop shows in full (no coordinated omission). At 100/s on this shared
 * two-core machine the probe itself brought the server near saturation and measured queueing instead.
 * Latencies are taken with sub-millisecond resolution (autocannon's are whole ms).
 */
import { readFileSync } from "node:fs";
import http from "node:http";
import { worstCaseCreateInput } from "../tests/support/worst-case-invoice";
import { CLOCK_TICKS } from "./proc";

export type PdfTarget = { host: string; cookie: string; serverPid: number };
export type PdfBenchOptions = {
  rounds: number;
  /** Seconds of idle and as many of rendering per round, in alternating windows of `windowMs`. */
  duration: number;
  windowMs: number;
  samples: number;
  /** PDFs rendering at once in the rendering windows, each requested again as soon as it arrives. */
  renderers: number;
  healthRate: number;
  rootHost: string;
};
type Spread = { median: number; min: number; max: number; values: number[] };
type CpuCost = { mainMs: number; processMs: number };
export type PdfBenchResult = {
  invoiceId: string;
  pdfBytes: number;
  /** One render at a time, end to end through the route, ms. */
  renderMs: Spread;
  /** Renders while the health route is loaded, `renderers` at a time, ms. */
  renderUnderLoadMs: Spread;
  health: { round: number; idleP50: number; idleP99: number; idleN: number; busyP50: number; busyP99: number; busyN: number; busyRenders: number; non2xx: number }[];
  /** Over all rounds' samples: a p99 of one round's ~100 idle samples is nearly its largest one. */
  pooled: { idleP50: number; idleP99: number; idleN: number; busyP50: number; busyP99: number; busyN: number; ratio: number };
  /** busy p99 / idle p99 per round, for the range. */
  ratio: Spread;
  /**
   * CPU per request of the server's main thread (its event loop) and of the whole process, over
   * `requests` sequential requests each: the PDF, `invoice.byId` of the same invoice, and the health route.
   */
  cpu: { requests: number; pdf: CpuCost; byId: CpuCost; health: CpuCost };
};

function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0] ?? NaN, max: sorted.at(-1) ?? NaN, values };
}

function send(port: number, opts: { method: string; path: string; headers: Record<string, string>; body?: string; agent?: http.Agent }): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "localhost", port, method: opts.method, path: opts.path, headers: opts.headers, agent: opts.agent, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end(opts.body);
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? NaN;
const round2 = (x: number) => Math.round(x * 100) / 100;

type Sample = { busy: boolean; ms: number | null };

type RenderState = { inFlight: number; started: number };

/**
 * Open-loop GET /api/health at `rate` per second for `seconds`. A sample counts as "rendering" when a
 * PDF was in flight at any moment between its send and its answer, so an idle sample saw no render.
 */
async function probeHealth(port: number, host: string, rate: number, seconds: number, state: RenderState): Promise<Sample[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const pending: Promise<Sample>[] = [];
  const start = performance.now() + 50;
  for (let i = 0; i < rate * seconds; i++) {
    const at = start + (i * 1000) / rate;
    const wait = at - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const before = { ...state };
    const busy = () => before.inFlight > 0 || state.inFlight > 0 || state.started !== before.started;
    pending.push(
      send(port, { method: "GET", path: "/api/health", headers: { host }, agent }).then(
        (res) => ({ busy: busy(), ms: res.status === 200 ? performance.now() - at : null }),
        () => ({ busy: busy(), ms: null }),
      ),
    );
  }
  const samples = await Promise.all(pending);
  agent.destroy();
  return samples;
}

function latencyOf(samples: Sample[]) {
  const sorted = samples.flatMap((s) => (s.ms === null ? [] : [s.ms])).sort((a, b) => a - b);
  return { p50: round2(percentile(sorted, 0.5)), p99: round2(percentile(sorted, 0.99)), n: sorted.length, failed: samples.length - sorted.length };
}

/** CPU time (user + system, ms) of a /proc stat file: a process, or one of its threads under task/. */
function cpuMs(statFile: string): number {
  const stat = readFileSync(statFile, "utf8");
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(rest[11]) + Number(rest[12])) * 1000) / CLOCK_TICKS;
}

async function cpuPerRequest(pid: number, n: number, request: () => Promise<unknown>): Promise<CpuCost> {
  for (let i = 0; i < 3; i++) await request();
  const main0 = cpuMs(`/proc/${pid}/task/${pid}/stat`);
  const all0 = cpuMs(`/proc/${pid}/stat`);
  for (let i = 0; i < n; i++) await request();
  return { mainMs: round2((cpuMs(`/proc/${pid}/task/${pid}/stat`) - main0) / n), processMs: round2((cpuMs(`/proc/${pid}/stat`) - all0) / n) };
}

export async function benchPdfRender(port: number, target: PdfTarget, opts: PdfBenchOptions, log: (message: string) => void): Promise<PdfBenchResult> {
  const headers = { host: target.host, cookie: target.cookie };
  const created = await send(port, {
    method: "POST",
    path: "/api/trpc/invoice.create",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify({ json: worstCaseCreateInput() }),
  });
  if (created.status !== 200) throw new Error(`invoice.create (worst case) answered ${created.status}: ${created.body.toString("utf8").slice(0, 300)}`);
  const invoiceId = (JSON.parse(created.body.toString("utf8")) as { result: { data: { json: { id: string } } } }).result.data.json.id;
  let pdfBytes = 0;
  const render = async () => {
    const t0 = performance.now();
    const res = await send(port, { method: "GET", path: `/api/invoices/${invoiceId}/pdf`, headers });
    const ms = performance.now() - t0;
    if (res.status !== 200 || res.body.subarray(0, 5).toString("latin1") !== "%PDF-") throw new Error(`the worst-case PDF answered ${res.status}: ${res.body.toString("utf8").slice(0, 300)}`);
    pdfBytes = res.body.length;
    return ms;
  };

  await render(); // starts the render worker
  const alone: number[] = [];
  for (let i = 0; i < opts.samples; i++) alone.push(await render());
  log(`PDF worst case: ${spread(alone).median.toFixed(0)} ms median over ${opts.samples} renders, ${pdfBytes} bytes`);

  // The render's share of the event loop: a PDF request against an API call that reads the same invoice.
  const n = opts.samples * 4;
  const byIdPath = `/api/trpc/invoice.byId?input=${encodeURIComponent(JSON.stringify({ json: { id: invoiceId } }))}`;
  const ok = (what: string) => (res: { status: number; body: Buffer }) => {
    if (res.status !== 200) throw new Error(`${what} answered ${res.status}`);
  };
  const cpu = {
    requests: n,
    pdf: await cpuPerRequest(target.serverPid, n, render),
    byId: await cpuPerRequest(target.serverPid, n, () => send(port, { method: "GET", path: byIdPath, headers }).then(ok("invoice.byId"))),
    health: await cpuPerRequest(target.serverPid, n, () => send(port, { method: "GET", path: "/api/health", headers: { host: opts.rootHost } }).then(ok("health"))),
  };
  log(`PDF CPU per request, main thread / process: PDF ${cpu.pdf.mainMs} / ${cpu.pdf.processMs} ms, invoice.byId ${cpu.byId.mainMs} / ${cpu.byId.processMs} ms, health ${cpu.health.mainMs} / ${cpu.health.processMs} ms`);

  // Idle and rendering alternate every `windowMs` within each round, so a change in the machine's
  // background load (other processes on these two cores) falls on both sides alike.
  const health: PdfBenchResult["health"] = [];
  const underLoad: number[] = [];
  const all: Sample[] = [];
  for (let round = 1; round <= opts.rounds; round++) {
    const state: RenderState = { inFlight: 0, started: 0 };
    let rendering = false;
    let done = false;
    const during: number[] = [];
    const toggler = setInterval(() => (rendering = !rendering), opts.windowMs);
    const renderers = Array.from({ length: opts.renderers }, async () => {
      while (!done) {
        if (!rendering) {
          await new Promise((r) => setTimeout(r, 5));
          continue;
        }
        state.inFlight++;
        state.started++;
        try {
          during.push(await render());
        } finally {
          state.inFlight--;
        }
      }
    });
    const samples = await probeHealth(port, opts.rootHost, opts.healthRate, opts.duration * 2, state).finally(() => {
      done = true;
      clearInterval(toggler);
    });
    await Promise.all(renderers);
    underLoad.push(...during);
    all.push(...samples);
    const idle = latencyOf(samples.filter((x) => !x.busy));
    const busy = latencyOf(samples.filter((x) => x.busy));
    health.push({ round, idleP50: idle.p50, idleP99: idle.p99, idleN: idle.n, busyP50: busy.p50, busyP99: busy.p99, busyN: busy.n, busyRenders: during.length, non2xx: idle.failed + busy.failed });
    log(`PDF #${round}: health p99 idle ${idle.p99} ms (${idle.n}), while rendering ${busy.p99} ms (${busy.n}; ${during.length} PDFs, median ${spread(during).median.toFixed(0)} ms)`);
  }
  const idle = latencyOf(all.filter((x) => !x.busy));
  const busy = latencyOf(all.filter((x) => x.busy));
  return {
    cpu,
    pooled: { idleP50: idle.p50, idleP99: idle.p99, idleN: idle.n, busyP50: busy.p50, busyP99: busy.p99, busyN: busy.n, ratio: busy.p99 / idle.p99 },
    invoiceId,
    pdfBytes,
    renderMs: spread(alone),
    renderUnderLoadMs: spread(underLoad),
    health,
    ratio: spread(health.map((h) => h.busyP99 / h.idleP99)),
  };
}
