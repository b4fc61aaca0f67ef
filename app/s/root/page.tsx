import Link from "next/link";
import { TRPCError } from "@trpc/server";
import { env } from "@/lib/env";
import { serverCaller } from "@/server/caller";

export default async function Home() {
  const caller = await serverCaller();
  const workspaces = await caller.me.workspaces().catch((e: unknown) => {
    if (e instanceof TRPCError && e.code === "UNAUTHORIZED") return null;
    throw e;
  });
  const root = env().ROOT_DOMAIN;
  return (
    <main className="mx-auto max-w-2xl p-8">
      <h1 className="text-3xl font-bold">Canopy</h1>
      <p className="mt-2 text-slate-600">Projects and invoices for every team, each in its own workspace.</p>
      {workspaces === null ? (
        <Link href="/signin" className="mt-6 inline-block rounded-md bg-emerald-700 px-4 py-2 font-medium text-white">
          Sign in
        </Link>
      ) : (
        <section className="mt-8" aria-labelledby="ws-heading">
          <h2 id="ws-heading" className="text-lg font-semibold">
            Your workspaces
          </h2>
          {workspaces.length === 0 ? <p className="mt-2 text-slate-600">You are not a member of any workspace yet.</p> : null}
          <ul className="mt-2 space-y-2">
            {workspaces.map((w) => (
              <li key={w.tenantId}>
                <a className="text-emerald-700 underline" href={`//${w.slug}.${root}${portSuffix()}/`}>
                  {w.name}
                </a>{" "}
                <span className="text-sm text-slate-500">({w.role})</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </main>
  );
}

function portSuffix(): string {
  const port = process.env.PUBLIC_PORT;
  return port && port !== "80" && port !== "443" ? `:${port}` : "";
}
