import Link from "next/link";

/** A member whose role does not reach this page: said inside the workspace, with the nav still there. */
export default function WorkspaceForbidden() {
  return (
    <div role="alert" className="rounded-md border border-slate-200 bg-white p-6" data-testid="workspace-forbidden">
      <p className="text-sm font-semibold text-emerald-700">403</p>
      <h1 className="mt-1 text-xl font-semibold">No access</h1>
      <p className="mt-2 text-sm text-slate-700">Your role in this workspace does not allow this page. An owner or admin can change your role.</p>
      <p className="mt-4 text-sm">
        <Link href="/" className="text-emerald-800 underline">
          Back to the dashboard
        </Link>
      </p>
    </div>
  );
}
