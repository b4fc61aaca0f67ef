const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function render(lines: { text: string; link?: { label: string; url: string } }[]) {
  const text = lines.map((l) => (l.link ? `${l.text}${l.text ? " " : ""}${l.link.url}` : l.text)).join("\n\n");
  const html = lines
    .map((l) => (l.link ? `<p>${escapeHtml(l.text)} <a href="${escapeHtml(l.link.url)}">${escapeHtml(l.link.label)}</a></p>` : `<p>${escapeHtml(l.text)}</p>`))
    .join("\n");
  return { text, html };
}

/** The link that proves an address. Confirming it also needs the account's password or session. */
export function verificationEmail(opts: { name: string; url: string; hours: number }) {
  return {
    subject: "Confirm your email address for Canopy",
    ...render([
      { text: `Hello ${opts.name},` },
      { text: "Confirm that this address is yours:", link: { label: "Confirm my email address", url: opts.url } },
      { text: `The link works once and expires in ${opts.hours} hours. You will be asked to sign in with the password you chose. If you did not create a Canopy account, ignore this email: nothing happens without that password.` },
    ]),
  };
}

/** Sent instead of a second account when someone signs up with an address that already has one. */
export function accountExistsEmail(opts: { name: string; signInUrl: string }) {
  return {
    subject: "You already have a Canopy account",
    ...render([
      { text: `Hello ${opts.name},` },
      { text: "Someone tried to create a Canopy account with this email address. You already have one, so nothing was created." },
      { text: "If it was you, sign in instead:", link: { label: "Sign in to Canopy", url: opts.signInUrl } },
      { text: "If it was not you, you can ignore this email; your account is unchanged." },
    ]),
  };
}

/** A reset link. Mailed whether or not the person asked: it does nothing unless used. */
export function passwordResetEmail(opts: { name: string; url: string; minutes: number }) {
  return {
    subject: "Reset your Canopy password",
    ...render([
      { text: `Hello ${opts.name},` },
      { text: "Someone asked to reset the password of the Canopy account with this address. To choose a new one:", link: { label: "Choose a new password", url: opts.url } },
      { text: `The link works once and expires in ${opts.minutes} minutes. Using it signs the account out everywhere. If you did not ask for this, ignore this email: your password stays as it is.` },
    ]),
  };
}

/** A proof for a new address: the account moves to it only once this is used. */
export function emailChangeEmail(opts: { name: string; url: string; hours: number }) {
  return {
    subject: "Confirm your new email address for Canopy",
    ...render([
      { text: `Hello ${opts.name},` },
      { text: "Confirm that this address should become the one you sign in to Canopy with:", link: { label: "Use this address", url: opts.url } },
      { text: `The link works once and expires in ${opts.hours} hours. Until then your account keeps its current address. If you did not ask for this, ignore this email.` },
    ]),
  };
}

export type SecurityEventKind = "password.changed" | "password.reset" | "email.changed" | "signin.new_device" | "mfa.enabled" | "mfa.disabled" | "mfa.recovery_used";

/** A security notice to the account's address: what happened, where from, and what to do if it was not them. */
export function securityNoticeEmail(opts: { name: string; kind: SecurityEventKind; device: string | null; newEmail?: string; resetUrl: string }) {
  const where = opts.device ? ` (${opts.device})` : "";
  const what: Record<SecurityEventKind, { subject: string; text: string }> = {
    "password.changed": { subject: "Your Canopy password was changed", text: `The password of your Canopy account was changed${where}. Your other sessions were signed out.` },
    "password.reset": { subject: "Your Canopy password was reset", text: `The password of your Canopy account was reset with a link sent to this address${where}. Every session was signed out.` },
    "email.changed": {
      subject: "Your Canopy email address was changed",
      text: `Your Canopy account now signs in with ${opts.newEmail ?? "a new address"}${where}. This address no longer receives its mail.`,
    },
    "signin.new_device": { subject: "New sign-in to your Canopy account", text: `Your Canopy account was signed in to from a browser it had not been used from before${where}.` },
    "mfa.enabled": { subject: "Two-factor authentication is on for your Canopy account", text: `Signing in to your Canopy account now also asks for a code from your authenticator app${where}.` },
    "mfa.disabled": { subject: "Two-factor authentication was removed from your Canopy account", text: `Signing in to your Canopy account no longer asks for a code from an authenticator app${where}.` },
    "mfa.recovery_used": {
      subject: "A recovery code was used to sign in to Canopy",
      text: `Your Canopy account was signed in to with one of its recovery codes${where}. That code no longer works; generate new codes in Account settings if you are running low.`,
    },
  };
  return {
    subject: what[opts.kind].subject,
    ...render([
      { text: `Hello ${opts.name},` },
      { text: what[opts.kind].text },
      { text: "If this was you, there is nothing to do. If it was not, reset your password now and sign out the sessions you do not recognise under Account settings:", link: { label: "Reset my password", url: opts.resetUrl } },
    ]),
  };
}
