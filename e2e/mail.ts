import { expect } from "@playwright/test";

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
