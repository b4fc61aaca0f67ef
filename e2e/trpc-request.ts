import type { APIRequestContext } from "@playwright/test";

/**
 * One tRPC mutation over HTTP (superjson's envelope), as the browser's client sends it: for
 * arranging what a spec then looks at, without driving forms another spec already covers.
 */
export async function trpcMutation<T>(request: APIRequestContext, url: string, path: string, input: unknown, headers: Record<string, string> = {}): Promise<T> {
  const res = await request.post(`${url}/api/trpc/${path}`, { data: { json: input }, headers: { "content-type": "application/json", ...headers } });
  const body = (await res.json()) as { result?: { data?: { json?: T } }; error?: unknown };
  if (!res.ok() || !body.result?.data) throw new Error(`${path} failed (${res.status()}): ${JSON.stringify(body.error ?? body)}`);
  return body.result.data.json as T;
}
