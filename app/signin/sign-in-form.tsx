"use client";

import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { MFA_REQUIRED_SIGNAL } from "@/lib/mfa";
import { useHydrated } from "@/lib/use-hydrated";

const field = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};

export function SignInForm({ next }: { next: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const hydrated = useHydrated();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await signIn("credentials", {
      email: field(form, "email"),
      password: field(form, "password"),
      redirect: false,
    });
    if (result?.error === MFA_REQUIRED_SIGNAL) {
      // The password was right; no session exists yet. The code prompt finishes the sign-in.
      window.location.assign(`/signin/two-factor?callbackUrl=${encodeURIComponent(next)}`);
      return;
    }
    setPending(false);
    if (result?.ok && !result.error) window.location.assign(next);
    // Throttling and a workspace's SSO requirement say so plainly; anything else gets one message whether or not the email exists.
    else setError(result?.error?.startsWith("Too many") || result?.error?.startsWith("Single sign-on") ? result.error : "Email or password is incorrect.");
  }

  return (
    <form onSubmit={(e) => void onSubmit(e)} className="mt-6 space-y-4" noValidate>
      <div>
        <label htmlFor="email" className="block text-sm font-medium">
          Email
        </label>
        <input id="email" name="email" type="email" autoComplete="email" required className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2" />
      </div>
      <div>
        <label htmlFor="password" className="block text-sm font-medium">
          Password
        </label>
        <input id="password" name="password" type="password" autoComplete="current-password" required className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2" />
      </div>
      {error ? (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
      <button type="submit" disabled={!hydrated || pending} className="w-full rounded-md bg-emerald-700 px-4 py-2 font-medium text-white disabled:opacity-60">
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
