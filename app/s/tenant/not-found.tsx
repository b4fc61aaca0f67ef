import Link from "next/link";

/** Inside the workspace's shell: the nav stays, so a dead link is one click from somewhere useful. */
export default function WorkspaceNotFound() {
  return (
    <div role="alert" className="rounded-md border border-slate-200 bg-white p-6" data-testid="workspace-not-found">
      <p className="text-sm font-semibold text-emerald-700">404</p>
      <h1 className="mt-1 text-xl font-semibold">Not found</h1>
      <p className="mt-2 text-sm text-slate-700">There is nothing at this address in this workspace. It may have been deleted, or the link is mistyped.</p>
      <p className="mt-4 flex flex-wrap gap-4 text-sm">
        <Link href="/" className="text-emerald-800 underline">
          Dashboard
        </Link>
        <Link href="/invoices" className="text-emerald-800 underline">
          Invoices
        </Link>
        <Link href="/projects" className="text-emerald-800 underline">
          Projects
        </Link>
      </p>
    </div>
  );
}
