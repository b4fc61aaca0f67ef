import { readlinkSync } from "node:fs";
import os from "node:os";
import { parentPort } from "node:worker_threads";
import { drawInvoicePdf, type InvoicePdfModel } from "./draw-invoice-pdf";

/** The render worker's entry: one invoice model in, one PDF (or an error message) out, one at a time. */
export type RenderReply = { pdf: Uint8Array } | { error: string };

const port = parentPort;
if (!port) throw new Error("pdf-worker.ts runs only as a worker thread (see render-pool.ts)");

/**
 * On Linux a nice value belongs to a thread: this one renders at the lowest CPU priority, so on a busy
 * machine a render waits rather than the thread that serves requests. A render starved past its time
 * bound is a 503, which is the intended trade.
 */
const RENDER_NICE = 19;
try {
  const tid = Number(readlinkSync("/proc/thread-self").split("/").at(-1));
  if (Number.isInteger(tid) && tid > 0) os.setPriority(tid, RENDER_NICE);
} catch {
  // Not Linux: the worker keeps the process's priority.
}

port.on("message", (model: InvoicePdfModel) => {
  drawInvoicePdf(model).then(
    (pdf) => port.postMessage({ pdf } satisfies RenderReply, [pdf.buffer as ArrayBuffer]),
    (error: unknown) => port.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies RenderReply),
  );
});
