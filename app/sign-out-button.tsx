"use client";

import { signOut } from "next-auth/react";

export function SignOutButton() {
  return (
    <button type="button" onClick={() => void signOut({ callbackUrl: "/signin" })} className="text-sm text-slate-600 underline">
      Sign out
    </button>
  );
}
