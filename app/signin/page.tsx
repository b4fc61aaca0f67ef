import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { env } from "@/lib/env";
import { classifyHost, normalizeHost } from "@/lib/host";
import { safeNextPath } from "@/lib/urls";
import { TenantInitial } from "@/app/tenant-initial";
import { hostBranding } from "@/server/branding";
import { getDb } from "@/server/tenancy/pools";
import { isSsoErrorCode, ssoErrorMessages } from "@/server/sso/sso-error";
import { rootUrl } from "@/server/urls";
import { HandoffButton } from "./handoff-button";
import { SignInForm } from "./sign-in-form";
import { SsoSignIn } from "./sso-sign-in";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string; sso_error?: string }> }) {
  const { callbackUrl, error, sso_error: ssoError } = await searchParams;
  const next = safeNextPath(callbackUrl);
  const host = normalizeHost((await headers()).get("host"));
  const classified = host ? classifyHost(host, env().ROOT_DOMAIN) : null;
  const custom = classified?.kind === "custom";
  const handoff = custom && host;
  // The Host's own tenant only (its public name and logo); the root and admin hosts show Canopy.
  const branding = await hostBranding(getDb(), classified);
  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center p-6">
      {branding ? (
        <div className="mb-6 flex items-center gap-3" data-testid="tenant-branding">
          {branding.logoUrl ? (
            <img src={branding.logoUrl} alt={`${branding.name} logo`} className="h-12 max-w-40 object-contain" data-testid="tenant-logo" />
          ) : (
            <TenantInitial name={branding.name} large />
          )}
          <span className="min-w-0 truncate text-lg font-semibold" data-testid="tenant-branding-name">
            {branding.name}
          </span>
        </div>
      ) : null}
      <h1 className="text-2xl font-bold">{branding ? `Sign in to ${branding.name}` : "Sign in to Canopy"}</h1>
      {error === "handoff" ? (
        <p role="alert" className="mt-3 rounded-md bg-amber-50 p-3 text-sm text-amber-900">
          That sign-in link has expired or was already used. Try again.
        </p>
      ) : null}
      {handoff ? (
        <div className="mt-6">
          {/* A same-origin POST: it plants this browser's verifier before the hop to the root domain. */}
          <form method="post" action="/handoff/begin">
            <input type="hidden" name="next" value={next} />
            <HandoffButton />
          </form>
          <p className="mt-2 text-xs text-slate-500">You will pass through {env().ROOT_DOMAIN} and come straight back, signed in.</p>
          <p className="mt-6 text-sm text-slate-600">Or sign in here with your email and password:</p>
        </div>
      ) : (
        <p className="mt-1 text-sm text-slate-600">
          Use your work email and password. New here?{" "}
          <Link className="text-emerald-700 underline" href={`/signup?callbackUrl=${encodeURIComponent(next)}`}>
            Create an account
          </Link>
        </p>
      )}
      <SignInForm next={next} />
      {/* SSO sessions belong to the root family: a custom domain signs in through the hand-off above. */}
      {custom ? null : <SsoSignIn initialError={isSsoErrorCode(ssoError) ? ssoErrorMessages[ssoError] : null} />}
      {/* Resetting lives on the root domain, whichever host the person signs in on. */}
      <p className="mt-4 text-sm">
        <a className="text-emerald-700 underline" href={rootUrl("/forgot-password")}>
          Forgot your password?
        </a>
      </p>
    </main>
  );
}
