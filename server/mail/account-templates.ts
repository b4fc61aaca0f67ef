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
