import type { Page } from "@playwright/test";

/**
 * One tRPC mutation over HTTP (superjson's envelope), sent by the page itself (Node cannot
 * resolve *.localhost; Chromium can): with the page's session, or with `bearer` and no cookies,
 * as a machine client would. For arranging what a spec then looks at.
 */
export async function trpcMutation<T>(page: Page, path: string, input: unknown, bearer?: string): Promise<T> {
  const { status, body } = await page.evaluate(
    async ({ path, input, bearer }) => {
      const res = await fetch(`/api/trpc/${path}`, {
        method: "POST",
        credentials: bearer ? "omit" : "same-origin",
        headers: { "content-type": "application/json", ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
        body: JSON.stringify({ json: input }),
      });
      return { status: res.status, body: (await res.json()) as { result?: { data?: { json?: unknown } }; error?: unknown } };
    },
    { path, input, bearer },
  );
  if (status !== 200 || !body.result?.data) throw new Error(`${path} failed (${status}): ${JSON.stringify(body.error ?? body)}`);
  return body.result.data.json as T;
}
