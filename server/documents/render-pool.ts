import os from "node:os";
import { Worker } from "node:worker_threads";
import { AppError } from "@/server/errors";
import type { InvoicePdfModel } from "./draw-invoice-pdf";
import type { RenderReply } from "./pdf-worker";

/** A render refused or cut off: the server answers 503 with this message. */
export class PdfRenderError extends AppError {
  constructor(
    readonly reason: "timeout" | "busy",
    message: string,
  ) {
    super("UNAVAILABLE", message);
    this.name = "PdfRenderError";
  }
}

export type RenderPoolOptions = {
  /** Worker threads, each rendering one PDF at a time. */
  size: number;
  /** Renders waiting for a worker; one more is refused (busy) rather than queued without end. */
  queueLimit: number;
  /** From the moment a worker takes the render (its start-up included); then it is terminated. */
  timeoutMs: number;
  /** An idle worker is terminated after this long, returning its memory. */
  idleMs: number;
  /** The worker's own heap limit: a runaway render fails alone, not the server. */
  maxHeapMb: number;
};

type Job = { model: InvoicePdfModel; resolve: (pdf: Uint8Array) => void; reject: (error: unknown) => void };
type Slot = { worker: Worker | null; job: Job | null; timer?: NodeJS.Timeout; idle?: NodeJS.Timeout };

function startWorker(maxHeapMb: number): Worker {
  const options = { resourceLimits: { maxOldGenerationSizeMb: maxHeapMb } };
  // Inside Next (build or dev) Turbopack compiles this reference into a chunk of its own for the worker.
  // Its import.meta.url still names the .ts source, so only NEXT_RUNTIME (Next's runtime marker, not
  // configuration, hence read raw) tells the two cases apart.
  if (process.env.NEXT_RUNTIME) return new Worker(new URL("./pdf-worker.ts", import.meta.url), options);
  // Run from source (tsx scripts such as the job worker, vitest): load the TypeScript entry through tsx.
  const entry = import.meta.url.replace(/[^/]+\.ts$/, "pdf-worker.ts");
  return new Worker(`import("tsx/esm/api").then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(import.meta.url)}))`, { ...options, eval: true });
}

/**
 * Renders PDFs in worker threads, so a slow render never holds up the server's event loop. A small
 * fixed number of workers, reused; a bounded queue; a time bound per render.
 */
export class PdfRenderPool {
  private readonly slots: Slot[];
  private readonly queue: Job[] = [];
  private closed = false;

  constructor(private readonly options: RenderPoolOptions) {
    this.slots = Array.from({ length: options.size }, () => ({ worker: null, job: null }));
  }

  render(model: InvoicePdfModel): Promise<Uint8Array> {
    if (this.closed) return Promise.reject(new Error("the PDF render pool is closed"));
    if (this.queue.length >= this.options.queueLimit) {
      return Promise.reject(new PdfRenderError("busy", "Too many PDFs are being prepared right now; try again in a moment"));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ model, resolve, reject });
      this.pump();
    });
  }

  /** Rejects what is queued or rendering and terminates the workers. */
  async close(): Promise<void> {
    this.closed = true;
    const closed = new Error("the PDF render pool is closed");
    for (const job of this.queue.splice(0)) job.reject(closed);
    for (const slot of this.slots) {
      clearTimeout(slot.timer);
      slot.job?.reject(closed);
      slot.job = null;
    }
    await Promise.all(this.slots.map((slot) => this.discard(slot)));
  }

  private pump() {
    for (const slot of this.slots) {
      const job = slot.job ? undefined : this.queue.shift();
      if (job) this.start(slot, job);
    }
  }

  private start(slot: Slot, job: Job) {
    clearTimeout(slot.idle);
    const worker = slot.worker ?? this.spawn(slot);
    worker.ref();
    slot.job = job;
    slot.timer = setTimeout(() => {
      void this.discard(slot);
      const seconds = this.options.timeoutMs / 1000;
      this.finish(slot, () => job.reject(new PdfRenderError("timeout", `The PDF took longer than ${seconds} s to prepare and was stopped; try again later`)));
    }, this.options.timeoutMs);
    try {
      worker.postMessage(job.model);
    } catch (error) {
      this.finish(slot, () => job.reject(error));
    }
  }

  private spawn(slot: Slot): Worker {
    const worker = startWorker(this.options.maxHeapMb);
    slot.worker = worker;
    // Events of a worker that was already discarded (timed out, crashed) are ignored.
    worker.on("message", (reply: RenderReply) => {
      const job = slot.job;
      if (slot.worker !== worker || !job) return;
      this.finish(slot, () => ("pdf" in reply ? job.resolve(reply.pdf) : job.reject(new Error(`PDF render failed: ${reply.error}`))));
    });
    const lost = (cause: unknown) => {
      if (slot.worker !== worker) return;
      slot.worker = null;
      const job = slot.job;
      this.finish(slot, () => job?.reject(new Error("the PDF render worker stopped", { cause })));
    };
    worker.on("error", lost);
    worker.on("exit", (code) => lost(new Error(`exit code ${code}`)));
    return worker;
  }

  private finish(slot: Slot, settle: () => void) {
    clearTimeout(slot.timer);
    slot.job = null;
    settle();
    this.pump();
    const worker = slot.worker;
    if (!slot.job && worker) {
      // An idle worker must not keep a script alive, and gives its memory back after a while.
      worker.unref();
      slot.idle = setTimeout(() => void this.discard(slot), this.options.idleMs).unref();
    }
  }

  private async discard(slot: Slot) {
    clearTimeout(slot.idle);
    const worker = slot.worker;
    slot.worker = null;
    await worker?.terminate();
  }
}

let shared: PdfRenderPool | undefined;

/** The process's render pool: one worker on a two-core machine, two at most. */
export function pdfRenderPool(): PdfRenderPool {
  shared ??= new PdfRenderPool({
    size: Math.max(1, Math.min(2, os.availableParallelism() - 1)),
    queueLimit: 16,
    timeoutMs: 10_000,
    idleMs: 60_000,
    maxHeapMb: 64,
  });
  return shared;
}
