"use client";

import { useState, type FormEvent } from "react";
import { useHydrated } from "@/lib/use-hydrated";

/**
 * "Sign in with SSO": asks /sso/begin (same origin) for the workspace's provider and goes there.
 * The navigation is made here rather than by a form redirect, which the page's CSP form-action
 * (this origin only) would block for the provider's origin.
 */
export function SsoSignIn({ initialError }: { initialError: string | null }) {
  const [error, setError] = useState<string | null>(initialError);
  const [pending, setPending] = useState(false);
  // Folded until asked for (or until a refusal is shown), so the page keeps one "Email" field at first.
  const [open, setOpen] = useState(initialError !== null);
  const hydrated = useHydrated();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = new FormData(event.currentTarget).get("sso-email");
    setPending(true);
    setError(null);
    try {
      const res = await fetch("/sso/begin", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: typeof email === "string" ? email : "" }) });
      const body = (await res.json().catch(() => ({}))) as { url?: string; error?: string };
      if (res.ok && body.url) {
        window.location.assign(body.url);
        return;
      }
      setError(body.error ?? "Single sign-on could not start. Sign in with your password instead.");
    } catch {
      setError("Single sign-on could not start. Check your connection and try again.");
    }
    setPending(false);
  }

  return (
    <section className="mt-8 border-t border-slate-200 pt-6" aria-labelledby="sso-heading">
      <h2 id="sso-heading" className="text-sm font-semibold text-slate-800">
        Single sign-on
      </h2>
      {open ? null : (
        <button type="button" aria-expanded="false" aria-controls="sso-form" disabled={!hydrated} onClick={() => setOpen(true)} className="mt-3 w-full rounded-md border border-slate-300 bg-white px-4 py-2 font-medium text-slate-800 disabled:opacity-60">
          Use single sign-on (SSO)
        </button>
      )}
      {open ? (
        <form id="sso-form" onSubmit={(e) => void onSubmit(e)} className="mt-3 space-y-3" noValidate>
          <p className="text-sm text-slate-600">If your company signs in with its identity provider, enter your work email and continue there.</p>
          <div>
            <label htmlFor="sso-email" className="block text-sm font-medium">
              Work email
            </label>
            <input id="sso-email" name="sso-email" type="email" autoComplete="email" required autoFocus={initialError === null} aria-describedby={error ? "sso-error" : undefined} className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2" />
          </div>
          {error ? (
            <p id="sso-error" role="alert" className="text-sm text-red-700">
              {error}
            </p>
          ) : null}
          <button type="submit" disabled={!hydrated || pending} className="w-full rounded-md bg-slate-800 px-4 py-2 font-medium text-white disabled:opacity-60">
            {pending ? "Finding your provider…" : "Continue to your identity provider"}
          </button>
        </form>
      ) : null}
    </section>
  );
}
