import { parentPort } from "node:worker_threads";
import { drawInvoicePdf, type InvoicePdfModel } from "./draw-invoice-pdf";

/** The render worker's entry: one invoice model in, one PDF (or an error message) out, one at a time. */
export type RenderReply = { pdf: Uint8Array } | { error: string };

const port = parentPort;
if (!port) throw new Error("pdf-worker.ts runs only as a worker thread (see render-pool.ts)");

port.on("message", (model: InvoicePdfModel) => {
  drawInvoicePdf(model).then(
    (pdf) => port.postMessage({ pdf } satisfies RenderReply, [pdf.buffer as ArrayBuffer]),
    (error: unknown) => port.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies RenderReply),
  );
});
