/**
 * A real SMTP server on loopback that keeps what it receives: the development mail viewer and the
 * e2e tests' inbox. The app delivers to it through nodemailer exactly as to a production relay.
 * Never part of the production server: `npm run dev` and `npm test` start it.
 */
import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export type SunkMail = { id: number; to: string[]; subject: string; text: string; html: string | null; receivedAt: string };

export type MailSink = { smtpUrl: string; viewerUrl: string; messages: SunkMail[]; close: () => Promise<void> };

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const linkify = (s: string) => escapeHtml(s).replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`);

export async function startMailSink(opts: { smtpPort?: number; httpPort?: number; onMail?: (mail: SunkMail) => void } = {}): Promise<MailSink> {
  const messages: SunkMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const mail: SunkMail = {
            id: messages.length + 1,
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            subject: parsed.subject ?? "",
            text: parsed.text ?? "",
            html: typeof parsed.html === "string" ? parsed.html : null,
            receivedAt: new Date().toISOString(),
          };
          messages.push(mail);
          opts.onMail?.(mail);
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => smtp.listen(opts.smtpPort ?? 0, "127.0.0.1", resolve));
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  const http: Server = createHttpServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const to = url.searchParams.get("to")?.toLowerCase();
    const list = to ? messages.filter((m) => m.to.includes(to)) : messages;
    if (url.pathname === "/messages") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(list));
      return;
    }
    const items = [...list]
      .reverse()
      .map((m) => `<li><h2>${escapeHtml(m.subject)}</h2><p>To ${escapeHtml(m.to.join(", "))} · ${m.receivedAt}</p><pre>${linkify(m.text)}</pre></li>`)
      .join("");
    res
      .writeHead(200, { "content-type": "text/html; charset=utf-8", "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'" })
      .end(
        `<!doctype html><meta charset="utf-8"><title>Canopy dev mail</title><style>body{font:14px system-ui;max-width:50rem;margin:2rem auto}li{border:1px solid #ccc;margin:1rem 0;padding:0 1rem;list-style:none}pre{white-space:pre-wrap}</style><h1>Mail sent by Canopy (development)</h1><ul>${items || "<p>No mail yet.</p>"}</ul>`,
      );
  });
  await new Promise<void>((resolve) => http.listen(opts.httpPort ?? 0, "127.0.0.1", resolve));
  const httpPort = (http.address() as AddressInfo).port;

  return {
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    viewerUrl: `http://127.0.0.1:${httpPort}`,
    messages,
    close: async () => {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
