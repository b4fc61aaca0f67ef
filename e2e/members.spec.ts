import { expect, test, type Page } from "@playwright/test";
import { e2e } from "../playwright.config";
import { linkIn, waitForMail } from "./mail";

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** A Bearer call from inside the page (Node cannot resolve *.localhost; Chromium can). */
async function bearerCall(page: Page, path: string, key: string) {
  return page.evaluate(
    async ({ path, key }) => {
      const res = await fetch(path, { headers: { authorization: `Bearer ${key}` }, credentials: "omit" });
      return { status: res.status, body: (await res.json()) as unknown };
    },
    { path, key },
  );
}

test.describe("members and invitations", () => {
  test.use({ storageState: "e2e/.auth/acme-owner.json" });

  test("invite by email → accept in a second browser after signing up → see the workspace; removal ends access", async ({ page, browser }) => {
    const id = unique();
    const email = `invitee-${id}@example.test`;
    const name = `Invitee ${id}`;

    await page.goto(e2e.url("acme", "/settings/members"));
    const form = page.getByRole("form", { name: "Invite a member" });
    await form.getByLabel("Email").fill(email);
    await form.getByLabel("Role").selectOption("member");
    await form.getByRole("button", { name: "Send invitation" }).click();
    await expect(page.getByText(`Invitation sent to ${email}`)).toBeVisible();
    await expect(page.getByRole("list", { name: "Pending invitations" })).toContainText(email);

    // Delivered over SMTP to the invitee's inbox (the test's mail sink); nobody in the workspace can read it.
    const link = linkIn(await waitForMail(email, /invited to Acme Corp/), e2e.url("acme", "/invite/"));
    expect(link).toMatch(new RegExp(`^${e2e.url("acme", "/invite/").replace(/[.]/g, "\\.")}[A-Za-z0-9_-]{43}$`));

    const invitee = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    try {
      // Signed out and without an account: sign up from the invitation and land back on it.
      const other = await invitee.newPage();
      await other.goto(link);
      await other.getByRole("link", { name: "Create an account" }).click();
      await other.getByLabel("Name").fill(name);
      await other.getByLabel("Email").fill(email);
      await other.getByLabel("Password").fill("a-long-password-1");
      await other.getByRole("button", { name: "Create account" }).click();
      await expect(other.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
      // The address is proven before the invitation can be accepted; the link brings them back to it.
      const confirm = linkIn(await waitForMail(email, /Confirm your email address/), e2e.url("acme", "/verify-email?token="));
      await other.goto(confirm);
      await other.getByRole("link", { name: "Sign in to confirm" }).click();
      await other.getByLabel("Email").fill(email);
      await other.getByLabel("Password").fill("a-long-password-1");
      await other.getByRole("button", { name: "Sign in" }).click();
      await expect(other.getByText(`${email} is confirmed.`)).toBeVisible();
      await other.getByRole("link", { name: "Continue" }).click();
      await expect(other).toHaveURL(link);
      await expect(other.getByRole("heading", { name: "Join Acme Corp" })).toBeVisible();
      await other.getByRole("button", { name: "Accept invitation" }).click();
      await expect(other.getByTestId("tenant-name")).toHaveText("Acme Corp");
      await expect(other).toHaveURL(e2e.url("acme", "/"));

      // The link worked once.
      await other.goto(link);
      await expect(other.getByText("This invitation has already been used.")).toBeVisible();

      // The owner sees the new member and removes them, after confirming.
      await page.goto(e2e.url("acme", "/settings/members"));
      const row = page.getByTestId("member-row").filter({ hasText: email });
      await expect(row).toContainText(name);
      await row.getByRole("button", { name: `Remove ${name}` }).click();
      const dialog = page.getByRole("dialog", { name: `Remove ${name}?` });
      await expect(dialog).toBeVisible();
      await dialog.getByRole("button", { name: "Remove member" }).click();
      await expect(page.getByText(`${name} was removed`)).toBeVisible();
      await expect(page.getByTestId("member-row").filter({ hasText: email })).toHaveCount(0);

      // On their very next request.
      const response = await other.goto(e2e.url("acme"));
      expect(response?.status()).toBe(403);
    } finally {
      await invitee.close();
    }
  });

  test("an invitation link opened while signed out offers sign-in and sign-up", async ({ browser }) => {
    // An explicitly empty state: a new context would otherwise inherit this file's signed-in storageState.
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    try {
      const page = await context.newPage();
      await page.goto(e2e.url("acme", `/invite/${"a".repeat(43)}`));
      await expect(page.getByRole("link", { name: "Sign in to accept" })).toHaveAttribute("href", `/signin?callbackUrl=${encodeURIComponent(`/invite/${"a".repeat(43)}`)}`);
      await expect(page.getByRole("link", { name: "Create an account" })).toHaveAttribute("href", `/signup?callbackUrl=${encodeURIComponent(`/invite/${"a".repeat(43)}`)}`);
    } finally {
      await context.close();
    }
  });

  test("an API key is shown once, works as a Bearer token on its tenant only within its scopes, and stops at revocation", async ({ page }) => {
    const keyName = `Script ${unique()}`;
    await page.goto(e2e.url("acme", "/settings/api-keys"));
    const form = page.getByRole("form", { name: "Create an API key" });
    await form.getByLabel("Name", { exact: true }).fill(keyName);
    const scopes = form.getByRole("group", { name: "Scopes" });
    // No scope at all is refused on the field, before anything is sent.
    for (const box of await scopes.getByRole("checkbox").all()) await box.uncheck();
    await form.getByRole("button", { name: "Create key" }).click();
    await expect(scopes).toContainText("Choose at least one scope");
    await expect(page.getByTestId("new-api-key")).toHaveCount(0);
    // Keyboard: tab to the first box, Space checks it.
    await scopes.getByRole("checkbox", { name: "Read projects" }).focus();
    await page.keyboard.press("Space");
    await expect(scopes.getByRole("checkbox", { name: "Read projects" })).toBeChecked();
    await form.getByLabel("Expires").selectOption({ label: "In 30 days" });
    await form.getByRole("button", { name: "Create key" }).click();
    const key = await page.getByTestId("new-api-key").inputValue();
    expect(key).toMatch(/^cnp_[A-Za-z0-9_-]{43}$/);
    await page.getByRole("button", { name: "Done" }).click();
    await expect(page.getByTestId("new-api-key")).toHaveCount(0);
    const row = page.getByTestId("api-key-row").filter({ hasText: keyName });
    await expect(row).toContainText(key.slice(0, 12));
    await expect(row).toContainText("Read projects");
    await expect(row).not.toContainText("Read invoices");
    await expect(row).toContainText("Active");
    await expect(row).toContainText("Never");
    await expect(row.locator("time")).toHaveAttribute("datetime", /^\d{4}-/);

    const ok = await bearerCall(page, "/api/trpc/tenant.current", key);
    expect(ok.status).toBe(200);
    expect(JSON.stringify(ok.body)).toContain('"scopes":["projects:read"]');
    // Out of its scopes, and never the people or the mail.
    expect((await bearerCall(page, "/api/trpc/invoice.list", key)).status).toBe(403);
    expect((await bearerCall(page, "/api/trpc/member.list", key)).status).toBe(403);

    // Another tenant's host does not know the key.
    await page.goto(e2e.url("globex", "/signin"));
    expect((await bearerCall(page, "/api/trpc/tenant.current", key)).status).toBe(401);

    await page.goto(e2e.url("acme", "/settings/api-keys"));
    await expect(page.getByTestId("api-key-row").filter({ hasText: keyName })).not.toContainText("Never");

    await page.getByTestId("api-key-row").filter({ hasText: keyName }).getByRole("button", { name: `Revoke ${keyName}` }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Revoke key" }).click();
    await expect(page.getByText(`API key “${keyName}” revoked`)).toBeVisible();
    await expect(page.getByTestId("api-key-row").filter({ hasText: keyName })).toContainText("Revoked");
    expect((await bearerCall(page, "/api/trpc/tenant.current", key)).status).toBe(401);
  });
});
