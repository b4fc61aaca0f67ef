import { expect, type Page } from "@playwright/test";

export type Mail = { to: string[]; subject: string; text: string };

/** The inbox of `to` at the test's SMTP sink (scripts/lib/mail-sink.ts), waiting for a mail whose subject matches. */
export async function waitForMail(to: string, subject: RegExp): Promise<Mail> {
  const base = process.env.E2E_MAIL_URL;
  if (!base) throw new Error("E2E_MAIL_URL is not set: run the specs through npm test");
  let found: Mail | undefined;
  await expect
    .poll(
      async () => {
        const res = await fetch(`${base}/messages?to=${encodeURIComponent(to)}`);
        const list = (await res.json()) as Mail[];
        found = list.reverse().find((m) => subject.test(m.subject));
        return found !== undefined;
      },
      { timeout: 15_000, message: `a mail to ${to} matching ${subject}` },
    )
    .toBe(true);
  return found!;
}

/** The first link in a mail that starts with `prefix`. */
export function linkIn(mail: Mail, prefix: string): string {
  const link = mail.text.match(/https?:\/\/\S+/g)?.find((url) => url.startsWith(prefix));
  if (!link) throw new Error(`no link starting with ${prefix} in "${mail.subject}"`);
  return link;
}

/**
 * A new account as a person makes one: the sign-up form, the confirmation link from the real
 * email, the sign-in it asks for; ends on the page the link continues to.
 */
export async function signUpConfirmed(page: Page, opts: { origin: string; name: string; email: string; password: string }) {
  await page.goto(`${opts.origin}/signup`);
  await page.getByLabel("Name").fill(opts.name);
  await page.getByLabel("Email").fill(opts.email);
  await page.getByLabel("Password").fill(opts.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  await page.goto(linkIn(await waitForMail(opts.email, /Confirm your email address/), `${opts.origin}/verify-email?token=`));
  await page.getByRole("link", { name: "Sign in to confirm" }).click();
  await page.getByLabel("Email").fill(opts.email);
  await page.getByLabel("Password").fill(opts.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText(`${opts.email} is confirmed.`)).toBeVisible();
  await page.getByRole("link", { name: "Continue" }).click();
}
