/**
 * The largest invoice the API accepts, made of the text that is hardest to lay out: 100 lines, each
 * one 500-character word of wide glyphs (every line is cut many times), and a 200-character customer
 * name. Used by the PDF tests and by `npm run bench`.
 */
const GLYPHS = "WMQOGDHNUCABKRVXYZwmqodgbhnu@%&0123456789";

/** A deterministic word of `length` characters, different for every `seed`. */
export function longWord(seed: number, length: number): string {
  let state = (seed * 2654435761) >>> 0 || 1;
  let word = "";
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    word += GLYPHS[(state >>> 16) % GLYPHS.length];
  }
  return word;
}

export const WORST_CASE_LINES = 100;
export const worstCaseCustomerName = longWord(0, 200);
export const worstCaseDescriptions = Array.from({ length: WORST_CASE_LINES }, (_, i) => longWord(i + 1, 500));

/** `invoice.create` input (superjson's `json` part). */
export function worstCaseCreateInput() {
  return {
    customerName: worstCaseCustomerName,
    customerEmail: "ap@worst-case.test",
    currency: "EUR",
    issueDate: "2026-01-01",
    dueDate: "2026-01-31",
    items: worstCaseDescriptions.map((description, i) => ({ description, quantity: String(1 + (i % 7)), unitPrice: 12_345 + i, taxRateBp: 2000 })),
  };
}
