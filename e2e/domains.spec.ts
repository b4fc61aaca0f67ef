import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { e2e } from "../playwright.config";

const unique = () => Math.random().toString(36).slice(2, 8);

/** Sets records on the loopback DNS server that scripts/test.ts started for the app under test. */
async function publish(name: string, record: { txt?: string[]; cname?: string }) {
  const url = process.env.E2E_DNS_CONTROL_URL;
  if (!url) throw new Error("E2E_DNS_CONTROL_URL is not set: run the e2e tests through scripts/test.ts");
  const res = await fetch(url, { method: "POST", body: JSON.stringify({ name, ...record }) });
  expect(res.status).toBe(204);
}

/** As a TLS proxy would ask, on the bare loopback host (Node cannot resolve *.localhost; the matcher skips /api/tls/). */
const tlsAsk = async (request: APIRequestContext, domain: string) => (await request.get(`http://localhost:${e2e.port}/api/tls/ask?domain=${domain}`)).status();

async function addDomain(page: Page, domain: string) {
  await page.getByLabel("Domain").fill(domain);
  await page.getByRole("button", { name: "Add domain" }).click();
}

test.describe("custom domains", () => {
  test.use({ storageState: "e2e/.auth/acme-owner.json" });

  test("a tenant adds a domain, the loopback DNS serves the challenge, verify succeeds, the domain serves the tenant", async ({ page, browser, request }) => {
    const domain = `shop-${unique()}.acme.test`;
    await page.goto(e2e.url("acme", "/settings/domains"));
    await addDomain(page, domain.toUpperCase());
    const item = page.getByRole("listitem", { name: domain });
    await expect(item.getByTestId("domain-status")).toHaveText("Pending verification");

    await item.getByRole("button", { name: "Verify" }).click();
    await expect(item.getByText(`TXT _canopy-challenge.${domain} does not hold the verification token`)).toBeVisible();
    expect(await tlsAsk(request, domain)).toBe(404);

    const token = (await item.getByTestId("record-TXT").textContent())!.trim();
    const target = (await item.getByTestId("record-CNAME").textContent())!.trim();
    await publish(`_canopy-challenge.${domain}`, { txt: [token] });
    await publish(domain, { cname: target });
    await item.getByRole("button", { name: "Verify" }).click();
    await expect(item.getByTestId("domain-status")).toHaveText("Verified");
    expect(await tlsAsk(request, domain)).toBe(200);

    // A fresh browser on the custom domain: Acme's workspace answers there.
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const visitor = await context.newPage();
    await visitor.goto(e2e.customUrl(domain, "/signin"));
    await visitor.getByLabel("Email").fill("owner@acme.test");
    await visitor.getByLabel("Password").fill("canopy-demo");
    await visitor.getByRole("button", { name: "Sign in" }).click();
    await expect(visitor.getByTestId("tenant-name")).toHaveText("Acme Corp");
    await context.close();
  });

  test("a domain verified by another tenant cannot be claimed", async ({ browser }) => {
    const context = await browser.newContext({ storageState: "e2e/.auth/globex-owner.json" });
    const page = await context.newPage();
    await page.goto(e2e.url("globex", "/settings/domains"));
    // billing.acme.test is acme's verified demo domain.
    await addDomain(page, "billing.acme.test");
    await expect(page.getByText("This domain is already in use by another workspace")).toBeVisible();
    await context.close();
  });
});
