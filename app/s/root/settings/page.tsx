import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { SignOutButton } from "@/app/sign-out-button";
import { Toaster } from "@/app/s/tenant/_components/toaster";
import { env } from "@/lib/env";
import { signedInAccount } from "@/server/api/server-caller";
import { EmailForm } from "./email-form";
import { MfaSection } from "./mfa-section";
import { NameForm } from "./name-form";
import { PasswordForm } from "./password-form";
import { SessionsList } from "./sessions-list";
import { SettingsSection } from "./settings-section";

export const metadata: Metadata = { title: "Account settings" };

/** The sections, in page order; the navigation is built from the same list. */
const sections = [
  { id: "profile", title: "Profile" },
  { id: "email", title: "Email address" },
  { id: "password", title: "Password" },
  { id: "mfa", title: "Two-factor authentication" },
  { id: "sessions", title: "Sessions" },
] as const;

export default async function SettingsPage({ searchParams }: { searchParams: Promise<{ required?: string }> }) {
  const status = await signedInAccount();
  if (!status) redirect("/signin?callbackUrl=%2Fsettings");
  // Set by a workspace page that refused a member without MFA (server/api/page-call.ts).
  const mfaRequired = (await searchParams).required === "mfa";
  return (
    <main className="mx-auto max-w-3xl p-4 sm:p-8">
      <Toaster />
      <div className="flex flex-wrap items-center justify-between gap-3">
        <Link href="/" className="text-sm text-emerald-700 underline">
          ← Your workspaces
        </Link>
        <SignOutButton />
      </div>
      <h1 className="mt-4 text-2xl font-bold">Account settings</h1>
      <p className="mt-1 text-sm text-slate-600">Your Canopy account, shared by all your workspaces.</p>
      <nav aria-label="Settings sections" className="mt-4 flex flex-wrap gap-x-4 gap-y-2 text-sm">
        {sections.map((s) => (
          <a key={s.id} href={`#${s.id}`} className="text-slate-700 underline decoration-slate-300 underline-offset-4 hover:text-emerald-700">
            {s.title}
          </a>
        ))}
      </nav>
      <div className="mt-6 space-y-6">
        <SettingsSection id="profile" title="Profile" description="The name your workspaces show for you.">
          <NameForm name={status.name} />
        </SettingsSection>
        <SettingsSection id="email" title="Email address" description="You sign in with it, and account mail goes to it.">
          <EmailForm email={status.email} verified={status.emailVerified} />
        </SettingsSection>
        <SettingsSection id="password" title="Password" description="Changing it signs out your other sessions.">
          <PasswordForm />
        </SettingsSection>
        <SettingsSection
          id="mfa"
          title="Two-factor authentication"
          description="Signing in also asks for a 6-digit code from an authenticator app on your phone, so a stolen password alone is not enough."
        >
          {mfaRequired ? (
            <p role="alert" className="mb-4 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="mfa-required-notice">
              A workspace you belong to requires two-factor authentication. Set it up here, then go back to the workspace.
            </p>
          ) : null}
          <MfaSection />
        </SettingsSection>
        <SettingsSection id="sessions" title="Sessions" description="Where your account is signed in. Sign out any you do not recognise, then change your password.">
          <SessionsList rootDomain={env().ROOT_DOMAIN} />
        </SettingsSection>
      </div>
    </main>
  );
}
