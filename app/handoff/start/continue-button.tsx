"use client";

import { useHydrated } from "@/lib/use-hydrated";

export function ContinueButton() {
  const hydrated = useHydrated();
  return (
    <button type="submit" disabled={!hydrated} className="w-full rounded-md bg-emerald-700 px-4 py-2 font-medium text-white disabled:opacity-60">
      Continue
    </button>
  );
}
