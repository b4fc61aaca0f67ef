import { describe, expect, it } from "vitest";
import { invoicePdfModel, type InvoiceForPdf } from "@/server/documents/invoice-pdf";
import type { InvoicePdfModel } from "@/server/documents/draw-invoice-pdf";
import { PdfRenderError, PdfRenderPool, type RenderPoolOptions } from "@/server/documents/render-pool";
import { extractPdf } from "../support/pdf-text";
import { worstCaseCustomerName, worstCaseDescriptions } from "../support/worst-case-invoice";

const invoice = (descriptions: string[]): InvoiceForPdf => ({
  number: 7,
  status: "draft",
  customerName: worstCaseCustomerName,
  customerEmail: null,
  currency: "KRW",
  issueDate: "2026-03-01",
  dueDate: "2026-03-31",
  subtotal: 1000n,
  taxTotal: 0n,
  total: 1000n,
  overdue: true,
  items: descriptions.map((description) => ({ description, quantityMilli: 1500n, unitPrice: 1000n, taxRateBp: 825, amount: 1500n })),
});
const worstCase = invoicePdfModel(invoice(worstCaseDescriptions), { name: "Tenant" }, null);
const small = invoicePdfModel(invoice(["Consulting"]), { name: "Tenant" }, null);

async function withPool<T>(options: Partial<RenderPoolOptions>, fn: (pool: PdfRenderPool) => Promise<T>): Promise<T> {
  const pool = new PdfRenderPool({ size: 1, queueLimit: 4, timeoutMs: 60_000, idleMs: 60_000, maxHeapMb: 64, ...options });
  try {
    return await fn(pool);
  } finally {
    await pool.close();
  }
}

describe("PDF render pool", () => {
  it("formats the model on the caller's side as plain data", () => {
    expect(small).toMatchObject({ label: "INV-000007", status: "OVERDUE", issued: "March 1, 2026", currency: "KRW" });
    expect(small.items[0]).toMatchObject({ quantity: "1.5", taxRate: "8.25%", amount: { minor: 1500n, plain: "1500 KRW" } });
    expect(structuredClone(small)).toEqual(small);
  });

  it("stops a render that exceeds its time bound with a PdfRenderError", { timeout: 60_000 }, async () => {
    await withPool({ timeoutMs: 1 }, async (pool) => {
      const error: unknown = await pool.render(worstCase).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(PdfRenderError);
      expect(error).toMatchObject({ reason: "timeout", code: "UNAVAILABLE" });
    });
  });

  it("refuses renders beyond its queue instead of queueing without end", { timeout: 60_000 }, async () => {
    await withPool({ queueLimit: 1 }, async (pool) => {
      const first = pool.render(small); // taken by the worker at once
      const second = pool.render(small); // waits in the queue
      await expect(pool.render(small)).rejects.toMatchObject({ name: "PdfRenderError", reason: "busy" });
      const pdfs = await Promise.all([first, second]);
      for (const pdf of pdfs) expect(Buffer.from(pdf.subarray(0, 5)).toString("latin1")).toBe("%PDF-");
    });
  });

  it("reports a render that throws and keeps serving", { timeout: 60_000 }, async () => {
    await withPool({}, async (pool) => {
      const broken = { ...small, items: null } as unknown as InvoicePdfModel;
      await expect(pool.render(broken)).rejects.toThrow(/PDF render failed/);
      const uncloneable = { ...small, label: () => "INV" } as unknown as InvoicePdfModel;
      await expect(pool.render(uncloneable)).rejects.toThrow(/could not be cloned/);
      const { text } = await extractPdf(await pool.render(small));
      // The embedded Noto Sans has the won sign.
      expect(text).toContain("₩1,500");
      expect(text).toContain("OVERDUE");
    });
  });

  it("rejects renders in flight and queued when closed", { timeout: 60_000 }, async () => {
    const pool = new PdfRenderPool({ size: 1, queueLimit: 4, timeoutMs: 60_000, idleMs: 60_000, maxHeapMb: 64 });
    const outcomes = [pool.render(worstCase), pool.render(worstCase)].map((render) =>
      render.then(
        () => "rendered",
        (error: Error) => error.message,
      ),
    );
    await pool.close();
    expect(await Promise.all(outcomes)).toEqual(["the PDF render pool is closed", "the PDF render pool is closed"]);
  });
});
