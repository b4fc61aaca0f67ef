"use client";

import { signOut } from "next-auth/react";
import { useHydrated } from "@/lib/use-hydrated";

export function SignOutButton() {
  const hydrated = useHydrated();
  return (
    <button type="button" disabled={!hydrated} onClick={() => void signOut({ callbackUrl: "/signin" })} className="text-sm text-slate-600 underline">
      Sign out
    </button>
  );
}
