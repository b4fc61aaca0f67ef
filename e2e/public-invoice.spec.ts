import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { e2e } from "../playwright.config";
import { linkIn, waitForMail } from "./mail";
import { send, strangerAddress, type Reply } from "./raw-http";
import { trpcMutation } from "./trpc-request";

test.use({ storageState: "e2e/.auth/acme-owner.json" });

const run = () => Math.random().toString(36).slice(2, 8);

/**
 * Wholly on screen once the window scrolls down to it: scrolled vertically only, so a cell clipped
 * by a sideways-scrolling box (what a phone layout must avoid) still fails.
 */
async function expectOnScreen(cell: Locator) {
  await cell.evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 100));
  await expect(cell).toBeInViewport({ ratio: 1 });
}

type Created = { id: string; number: number; numberPrefix: string };

/** An invoice of acme's, created over the API by the signed-in owner; `label` is its number as people read it. */
async function createInvoice(page: Page, customerEmail: string) {
  await page.goto(e2e.url("acme", "/invoices"));
  const invoice = await trpcMutation<Created>(page, "invoice.create", {
    customerName: `Public customer ${customerEmail.split("@")[0]}`,
    customerEmail,
    currency: "EUR",
    issueDate: "2026-11-01",
    dueDate: "2026-12-01",
    projectId: null,
    items: [
      { description: "Discovery workshop", quantity: "1", unitPrice: 90_000, taxRateBp: 2000 },
      { description: "Prototype", quantity: "2.5", unitPrice: 40_000, taxRateBp: 2000 },
    ],
  });
  return { ...invoice, label: `${invoice.numberPrefix}${String(invoice.number).padStart(6, "0")}` };
}

test("a sent invoice's email links to a public view the customer opens without signing in, until it is revoked", async ({ page, browser }) => {
  const customerEmail = `public-${run()}@e2e.test`;
  const invoice = await createInvoice(page, customerEmail);
  const number = invoice.label;

  await page.goto(e2e.url("acme", `/invoices/${invoice.id}`));
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await page.getByRole("dialog", { name: `Send ${number}?` }).getByRole("button", { name: "Send invoice" }).click();
  await expect(page.getByTestId("public-link-status")).toContainText("Active since");

  // The e2e run's worker takes only mail jobs (a full one would also take the jobs other specs run
  // themselves): the job the send queued runs here as the worker would; its email's delivery job goes to the sink.
  const ran = execFileSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "e2e/run-invoice-email-job.ts", invoice.id], { env: process.env, stdio: "pipe", timeout: 60_000 }).toString();
  expect(ran).toContain('"value":"queued"');
  const mail = await waitForMail(customerEmail, new RegExp(`^Invoice ${number} from `));
  expect(mail.text).toContain("Amount due: €2,280.00");
  const link = linkIn(mail, "http://");
  expect(link).toMatch(/\/i\/[A-Za-z0-9_-]{43}$/);
  const token = link.slice(link.lastIndexOf("/") + 1);

  // The customer: a fresh browser with no cookies, and none once it has seen the invoice.
  const customer = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  try {
    const view = await customer.newPage();
    const answer = await view.goto(link);
    expect(answer?.status()).toBe(200);
    await expect(view.getByRole("heading", { name: number })).toBeVisible();
    await expect(view.getByTestId("public-invoice-seller")).not.toBeEmpty();
    // The seller's and the buyer's blocks, as on the invoice itself.
    await expect(view.getByTestId("seller").getByRole("heading", { name: "From" })).toBeVisible();
    await expect(view.getByTestId("bill-to-name")).toHaveText(`Public customer ${customerEmail.split("@")[0]}`);
    await expect(view.getByRole("cell", { name: "Discovery workshop" })).toBeVisible();
    await expect(view.getByRole("cell", { name: "Prototype" })).toBeVisible();
    await expect(view.getByTestId("public-invoice-due")).toHaveText("€2,280.00");
    await expect(view.getByTestId("public-invoice-status")).toContainText(/sent/i);
    await view.screenshot({ path: ".data/screenshots/public-invoice-desktop.png", fullPage: true });
    await view.setViewportSize({ width: 390, height: 844 });
    // On a phone every line's amount stays on screen (not behind a sideways scroll).
    await expectOnScreen(view.getByRole("cell", { name: "€1,000.00", exact: true }));
    await view.screenshot({ path: ".data/screenshots/public-invoice-phone.png", fullPage: true });

    const [download] = await Promise.all([view.waitForEvent("download"), view.getByRole("link", { name: "Download PDF" }).click()]);
    expect(download.suggestedFilename()).toBe(`${number}.pdf`);
    expect((await readFile(await download.path())).subarray(0, 5).toString()).toBe("%PDF-");
    expect(await customer.cookies()).toEqual([]);

    // Another tenant's host does not know the token.
    expect((await view.goto(e2e.url("globex", `/i/${token}`)))?.status()).toBe(404);
    expect((await view.goto(e2e.url("globex", `/i/${token}/pdf`)))?.status()).toBe(404);

    await page.reload();
    await page.getByRole("button", { name: "Revoke link" }).click();
    await page.getByRole("dialog", { name: `Revoke the link to ${number}?` }).getByRole("button", { name: "Revoke link" }).click();
    await expect(page.getByTestId("public-link-status")).toContainText("No active link");
    await page.screenshot({ path: ".data/screenshots/invoice-link-revoked-desktop.png", fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await expectOnScreen(page.getByRole("cell", { name: "€1,000.00", exact: true }));
    await page.screenshot({ path: ".data/screenshots/invoice-link-revoked-phone.png", fullPage: true });

    expect((await view.goto(link))?.status()).toBe(404);
    await expect(view.getByText(number)).toHaveCount(0);
    expect((await view.goto(`${link}/pdf`))?.status()).toBe(404);
  } finally {
    await customer.close();
  }
});

/** Host and path of a public link, for raw requests with that Host. */
function parts(url: string) {
  const u = new URL(url);
  return { host: u.host, token: u.pathname.slice("/i/".length) };
}

const aToken = () => randomBytes(32).toString("base64url");

/** What every answer on /i/ must carry, 200 or 404: nothing cached, nothing indexed, no Referer, no cookie. */
function expectPrivate(res: Reply, what: string) {
  expect(res.headers["set-cookie"], `${what}: no cookie`).toBeUndefined();
  expect(res.headers["cache-control"], `${what}: cache-control`).toMatch(/(^|[ ,])private([ ,]|$)/);
  expect(res.headers["cache-control"], `${what}: cache-control`).toMatch(/(^|[ ,])no-store([ ,]|$)/);
  expect(res.headers["referrer-policy"], `${what}: referrer-policy`).toBe("no-referrer");
  expect(res.headers["x-robots-tag"], `${what}: x-robots-tag`).toMatch(/noindex/);
}

/** The text a person sees on an HTML answer (scripts, styles and tags dropped), to compare two 404s. */
const visibleText = (html: string) =>
  html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();

test("an attacker learns nothing from /i/: other hosts, guessed, revoked and voided tokens are one plain 404, and guessing is throttled", async ({ page }) => {
  const invoice = await createInvoice(page, `probe-${run()}@e2e.test`);
  await trpcMutation(page, "invoice.send", { id: invoice.id });
  const { host, token } = parts((await trpcMutation<{ url: string }>(page, "invoice.publicLink.issue", { id: invoice.id })).url);

  const live = await send({ host, path: `/i/${token}` });
  expect(live.status).toBe(200);
  expect(live.body).toContain(invoice.label);
  expectPrivate(live, "page");
  expect(live.body).toMatch(/<meta name="robots" content="noindex, nofollow"\s*\/?>/);
  const pdf = await send({ host, path: `/i/${token}/pdf` });
  expect(pdf.status).toBe(200);
  expect(pdf.headers["content-type"]).toBe("application/pdf");
  expectPrivate(pdf, "PDF");

  // A token that was never issued: the answer every other probe must be indistinguishable from.
  const guessed = aToken();
  const unknown = await send({ host, path: `/i/${guessed}` });
  expect(unknown.status).toBe(404);
  expectPrivate(unknown, "unknown token");
  const unknownText = visibleText(unknown.body);
  expect(unknownText).not.toContain(invoice.label);

  // The live token anywhere but the issuing tenant's hosts: another tenant, the root, the admin
  // host, and the internal route tree the middleware rewrites to.
  const elsewhere = [
    { host: `globex.${e2e.root}:${e2e.port}`, path: `/i/${token}` },
    { host: `globex.${e2e.root}:${e2e.port}`, path: `/i/${token}/pdf` },
    { host: `${e2e.root}:${e2e.port}`, path: `/i/${token}` },
    { host: `admin.${e2e.root}:${e2e.port}`, path: `/i/${token}` },
    { host: `${e2e.root}:${e2e.port}`, path: `/s/i/${token}` },
    { host, path: `/s/i/${token}` },
  ];
  for (const probe of elsewhere) {
    const res = await send(probe);
    expect(res.status, `${probe.host}${probe.path}`).toBe(404);
    expect(res.body, `${probe.host}${probe.path}`).not.toContain(invoice.label);
    expect(res.body, `${probe.host}${probe.path}`).not.toContain("Discovery workshop");
    expect(res.headers["set-cookie"], `${probe.host}${probe.path}`).toBeUndefined();
  }
  // On globex's own host the answer is globex's plain 404, word for word the one for a guess there.
  const onGlobex = await send({ host: `globex.${e2e.root}:${e2e.port}`, path: `/i/${token}` });
  const guessOnGlobex = await send({ host: `globex.${e2e.root}:${e2e.port}`, path: `/i/${aToken()}` });
  expect(visibleText(onGlobex.body)).toBe(visibleText(guessOnGlobex.body));

  // Revoked: the same 404 as a guess, page and PDF.
  await trpcMutation(page, "invoice.publicLink.revoke", { id: invoice.id });
  const revoked = await send({ host, path: `/i/${token}` });
  expect(revoked.status).toBe(404);
  expectPrivate(revoked, "revoked token");
  expect(visibleText(revoked.body)).toBe(unknownText);
  const revokedPdf = await send({ host, path: `/i/${token}/pdf` });
  const unknownPdf = await send({ host, path: `/i/${guessed}/pdf` });
  expect([revokedPdf.status, revokedPdf.body]).toEqual([unknownPdf.status, unknownPdf.body]);
  expect(revokedPdf.status).toBe(404);
  expectPrivate(revokedPdf, "revoked PDF");

  // Voided: a fresh link stops working the moment the invoice is voided.
  const { token: fresh } = parts((await trpcMutation<{ url: string }>(page, "invoice.publicLink.issue", { id: invoice.id })).url);
  expect((await send({ host, path: `/i/${fresh}` })).status).toBe(200);
  await trpcMutation(page, "invoice.void", { id: invoice.id });
  const voided = await send({ host, path: `/i/${fresh}` });
  expect(voided.status).toBe(404);
  expect(visibleText(voided.body)).toBe(unknownText);

  // Guessing from one address (its own loopback address: no other spec's budget) is throttled, PDF
  // and page alike, in a bucket of its own: the same address's anonymous API calls still get through.
  const guesser = await strangerAddress(21);
  let throttled: Reply | null = null;
  for (let i = 0; i < 400 && !throttled; i++) {
    const res = await send({ from: guesser, host, path: `/i/${aToken()}/pdf` });
    if (res.status === 429) throttled = res;
    else expect(res.status).toBe(404);
  }
  expect(throttled, "the guesser is throttled").not.toBeNull();
  expect(Number(throttled!.headers["retry-after"])).toBeGreaterThan(0);
  expectPrivate(throttled!, "throttled PDF");
  const throttledPage = await send({ from: guesser, host, path: `/i/${token}` });
  expect(visibleText(throttledPage.body)).toContain("Too many requests");
  expectPrivate(throttledPage, "throttled page");
  expect((await send({ from: guesser, host, path: "/api/trpc/tenant.current" })).status).toBe(401);
});
