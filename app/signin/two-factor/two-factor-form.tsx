"use client";

import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { MFA_FORMAT_MESSAGES, MFA_MESSAGES } from "@/lib/mfa";
import { useHydrated } from "@/lib/use-hydrated";

const KNOWN = new Set<string>([...Object.values(MFA_MESSAGES), ...Object.values(MFA_FORMAT_MESSAGES)]);

export function TwoFactorForm({ next }: { next: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const hydrated = useHydrated();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = new FormData(event.currentTarget).get("code");
    setPending(true);
    setError(null);
    const result = await signIn("mfa", { code: typeof code === "string" ? code : "", redirect: false });
    setPending(false);
    if (result?.ok && !result.error) window.location.assign(next);
    // The provider throws the field's message; anything unexpected (next-auth's own codes) reads as a wrong code.
    else setError(result?.error && KNOWN.has(result.error) ? result.error : MFA_MESSAGES.wrong);
  }

  const expired = error === MFA_MESSAGES.expired;
  return (
    <form onSubmit={(e) => void onSubmit(e)} className="mt-6 space-y-4" noValidate>
      <div>
        <label htmlFor="code" className="block text-sm font-medium">
          Code
        </label>
        <input
          id="code"
          name="code"
          inputMode="text"
          autoComplete="one-time-code"
          autoFocus
          required
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "code-error" : undefined}
          className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 font-mono tracking-widest aria-[invalid=true]:border-red-600"
        />
        {error ? (
          <p id="code-error" role="alert" className="mt-1 text-sm text-red-700">
            {error}
            {expired ? (
              <>
                {" "}
                <a className="text-emerald-700 underline" href={`/signin?callbackUrl=${encodeURIComponent(next)}`}>
                  Sign in again
                </a>
              </>
            ) : null}
          </p>
        ) : null}
      </div>
      <button type="submit" disabled={!hydrated || pending} className="w-full rounded-md bg-emerald-700 px-4 py-2 font-medium text-white disabled:opacity-60">
        {pending ? "Checking…" : "Verify"}
      </button>
    </form>
  );
}
