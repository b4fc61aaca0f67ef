import { listInvoicesInput, type invoiceListStatuses, type invoiceSortFields, type ListInvoicesInput } from "@/lib/schemas/invoice";

export const INVOICE_PAGE_SIZE = 20;

/** The list's filters as they appear in the URL, shared by the page and the CSV export. */
export type InvoiceFilters = {
  status?: (typeof invoiceListStatuses)[number];
  customer?: string;
  projectId?: string;
  issueDateFrom?: string;
  issueDateTo?: string;
  sort: (typeof invoiceSortFields)[number];
  direction: "asc" | "desc";
};

const keys = { status: "status", customer: "customer", projectId: "project", issueDateFrom: "from", issueDateTo: "to", sort: "sort", direction: "dir" } as const;

type Params = URLSearchParams | Record<string, string | string[] | undefined>;
const read = (params: Params, key: string) => {
  const v = params instanceof URLSearchParams ? params.get(key) : params[key];
  const s = Array.isArray(v) ? v[0] : v;
  return s?.trim() ? s.trim() : undefined;
};

/**
 * Reads filters with the API's own schema. A value it rejects (a hand-edited URL) is dropped, and
 * named in `ignored`, rather than failing the whole page.
 */
export function readInvoiceFilters(params: Params): { filters: InvoiceFilters; page: number; ignored: string[] } {
  const candidate: Record<string, string | undefined> = {};
  for (const [field, key] of Object.entries(keys)) candidate[field] = read(params, key);
  const ignored: string[] = [];
  let parsed = listInvoicesInput.safeParse(candidate);
  for (let i = 0; !parsed.success && i < 8; i++) {
    const bad = parsed.error.issues.map((issue) => String(issue.path[0] ?? "")).filter((k) => k in candidate && candidate[k] !== undefined);
    if (bad.length === 0) break;
    for (const k of bad) {
      ignored.push(keys[k as keyof typeof keys]);
      delete candidate[k];
    }
    parsed = listInvoicesInput.safeParse(candidate);
  }
  const data: ListInvoicesInput = parsed.success ? parsed.data : listInvoicesInput.parse({});
  const page = Math.max(1, Math.min(5000, Number.parseInt(read(params, "page") ?? "1", 10) || 1));
  const { status, customer, projectId, issueDateFrom, issueDateTo, sort, direction } = data;
  return { filters: { status, customer, projectId, issueDateFrom, issueDateTo, sort, direction }, page, ignored };
}

/** The URL query for filters (defaults left out), optionally with a page. */
export function invoiceFiltersQuery(filters: Partial<InvoiceFilters>, page?: number): string {
  const q = new URLSearchParams();
  for (const [field, key] of Object.entries(keys)) {
    const v = filters[field as keyof InvoiceFilters];
    if (!v || (field === "sort" && v === "createdAt") || (field === "direction" && v === "desc")) continue;
    q.set(key, v);
  }
  if (page && page > 1) q.set("page", String(page));
  const s = q.toString();
  return s ? `?${s}` : "";
}
