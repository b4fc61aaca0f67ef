"use client";

import { useEffect } from "react";
import { buttonClass } from "./_components/ui";

/** Any page of the workspace that throws lands here; the nav around it stays usable. */
export default function WorkspaceError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-white p-6">
      <h1 className="text-xl font-semibold">This page could not be loaded</h1>
      <p className="mt-2 text-sm text-slate-700">
        Something went wrong on our side{error.digest ? ` (reference ${error.digest})` : ""}. Your data is safe; try again in a moment.
      </p>
      <button type="button" className={buttonClass("primary", "mt-4")} onClick={reset}>
        Try again
      </button>
    </div>
  );
}
