"use client";

import { useHydrated } from "@/lib/use-hydrated";

export function HandoffButton() {
  const hydrated = useHydrated();
  return (
    <button type="submit" disabled={!hydrated} className="block w-full rounded-md bg-emerald-700 px-4 py-2 text-center font-medium text-white disabled:opacity-60">
      Continue with your Canopy account
    </button>
  );
}
