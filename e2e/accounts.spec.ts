import { expect, test, type Page } from "@playwright/test";
import { e2e } from "../playwright.config";
import { signUpConfirmed, waitForMail } from "./mail";

const PASSWORD = "canopy-demo";
const unique = () => Math.random().toString(36).slice(2, 8);

async function signInAt(page: Page, url: string, email: string, password = PASSWORD) {
  await page.goto(url);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** From the custom domain's sign-in page through the root domain's confirmation and back, signed in. */
async function handOff(page: Page) {
  await page.goto(e2e.customUrl("billing.acme.test", "/signin"));
  await page.getByRole("button", { name: "Continue with your Canopy account" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
}

test.describe("accounts", () => {
  test("sign up, confirm the address from the email, create a workspace, land on its subdomain", async ({ page }) => {
    const id = unique();
    // The link from the real email; confirming it asks for the account's own sign-in first.
    await signUpConfirmed(page, { origin: e2e.url(null, ""), name: `Newcomer ${id}`, email: `new-${id}@example.test`, password: "a-long-password-1" });
    await expect(page.getByRole("heading", { name: "Create a workspace" })).toBeVisible();

    await page.getByLabel("Workspace name").fill(`Team ${id}`);
    await page.getByLabel("Address").fill("admin");
    await page.getByLabel("Workspace name").focus();
    await expect(page.getByText("That address is reserved")).toBeVisible();
    await page.getByLabel("Address").fill("acme");
    await expect(page.getByText("That address is taken")).toBeVisible();
    await page.getByLabel("Address").fill(`team-${id}`);
    await page.getByRole("button", { name: "Create workspace" }).click();

    await expect(page).toHaveURL(new RegExp(`^http://team-${id}\\.`));
    await expect(page.getByTestId("tenant-name")).toHaveText(`Team ${id}`);
  });

  test("signing up with an address that has an account answers the same and mails its owner instead", async ({ page }) => {
    await page.goto(e2e.url(null, "/signup"));
    await page.getByLabel("Name").fill("Impostor");
    await page.getByLabel("Email").fill("member@acme.test");
    await page.getByLabel("Password").fill("a-long-password-1");
    await page.getByRole("button", { name: "Create account" }).click();
    // Exactly what a new address sees: nothing tells the visitor that the account exists.
    await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
    const notice = await waitForMail("member@acme.test", /already have a Canopy account/);
    expect(notice.text).not.toMatch(/verify-email/);
    // And the old password still works: nothing about the account changed.
    await signInAt(page, e2e.url(null, "/signin"), "member@acme.test");
    await expect(page.getByRole("heading", { name: "Your workspaces" })).toBeVisible();
  });

  test("a sign-up with a short password gets a field message and keeps the input", async ({ page }) => {
    await page.goto(e2e.url(null, "/signup"));
    await page.getByLabel("Name").fill("Shorty");
    await page.getByLabel("Email").fill(`short-${unique()}@example.test`);
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByText("Use at least 12 characters")).toBeVisible();
    await expect(page.getByLabel("Name")).toHaveValue("Shorty");
  });

  test("before the page's scripts run, Sign in is disabled and Enter cannot put the password in the URL", async ({ page }) => {
    // Hold the page's JavaScript so the form is the server's HTML only, as on a slow connection.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route("**/_next/static/**/*.js", async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(e2e.url(null, "/signin"), { waitUntil: "commit" });
    await expect(page.getByRole("button", { name: "Sign in" })).toBeDisabled();
    await page.getByLabel("Email").fill("owner@acme.test");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByLabel("Password").press("Enter");

    release();
    await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
    // A native submit would have loaded /signin?email=…&password=… with empty fields.
    expect(new URL(page.url()).search).toBe("");
    await expect(page.getByLabel("Password")).toHaveValue(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { name: "Your workspaces" })).toBeVisible();
  });

  test("custom-domain sign-in hands off from the root domain without a second password", async ({ page }) => {
    // Signed in on the root domain first.
    await signInAt(page, e2e.url(null, "/signin"), "owner@acme.test");
    await expect(page.getByRole("heading", { name: "Your workspaces" })).toBeVisible();

    await page.goto(e2e.customUrl("billing.acme.test"));
    await expect(page).toHaveURL(/\/signin/);
    await page.getByRole("button", { name: "Continue with your Canopy account" }).click();
    // The root domain asks before it mints anything.
    await expect(page.getByText("Continue to billing.acme.test as owner@acme.test?")).toBeVisible();
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page).toHaveURL(new RegExp(`^http://billing\\.acme\\.test:${e2e.port}/`));
    await expect(page.getByTestId("tenant-name")).toHaveText("Acme Corp");
    const cookies = await page.context().cookies(e2e.customUrl("billing.acme.test"));
    const session = cookies.find((c) => c.name.endsWith("canopy.session-token"));
    expect(session?.domain).toBe("billing.acme.test");
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe("Lax");
  });

  test("a hand-off token works once, and only in the browser that started it", async ({ page, browser }) => {
    await signInAt(page, e2e.url(null, "/signin"), "owner@acme.test");
    await expect(page.getByRole("heading", { name: "Your workspaces" })).toBeVisible();
    let tokenUrl = "";
    page.on("request", (r) => {
      if (r.url().includes("/handoff/complete")) tokenUrl ||= r.url();
    });
    await handOff(page);
    await expect(page.getByTestId("tenant-name")).toHaveText("Acme Corp");
    expect(tokenUrl).toContain("token=");

    // The same link in another browser (the victim of a login CSRF, or whoever intercepted it): refused.
    for (const fresh of [true, false]) {
      const other = await browser.newContext({ storageState: { cookies: [], origins: [] } });
      const replay = await other.newPage();
      if (!fresh) {
        // This browser has a verifier of its own, just not the one the token was minted for.
        await replay.goto(e2e.customUrl("billing.acme.test", "/signin"));
        await replay.getByRole("button", { name: "Continue with your Canopy account" }).click();
        await expect(replay).toHaveURL(/\/signin\?callbackUrl=/);
      }
      await replay.goto(tokenUrl);
      await expect(replay).toHaveURL(/\/signin\?error=handoff/);
      await other.close();
    }
    // And a second time in the browser that used it.
    await page.goto(tokenUrl);
    await expect(page).toHaveURL(/\/signin\?error=handoff/);
  });

  test("a hand-off is minted only by a same-origin POST after the member confirms", async ({ page }) => {
    await signInAt(page, e2e.url(null, "/signin"), "owner@acme.test");
    await expect(page.getByRole("heading", { name: "Your workspaces" })).toBeVisible();
    const challenge = "a".repeat(64);
    // A link (GET) from anywhere shows the question and mints nothing.
    let minted = false;
    page.on("request", (r) => {
      if (r.url().includes("/handoff/complete")) minted = true;
    });
    await page.goto(e2e.url(null, `/handoff/start?host=billing.acme.test&next=/&challenge=${challenge}`));
    await expect(page.getByText("Continue to billing.acme.test as owner@acme.test?")).toBeVisible();
    // The old one-click form of the link is not valid at all.
    await page.goto(e2e.url(null, "/handoff/start?host=billing.acme.test&next=/"));
    await expect(page.getByText("This sign-in link is not valid")).toBeVisible();

    // A form on another origin posting to the confirmation, with the root cookie riding along
    // (a tenant subdomain is the same site, so SameSite=Lax does not stop it): refused by the server.
    // Posted from JSON documents, whose CSP has no form-action (the pages' own CSP would stop the
    // form before it left the browser, which is not what this checks).
    for (const from of [e2e.url("acme", "/api/health"), e2e.customUrl("billing.acme.test", "/api/health")]) {
      await page.goto(from);
      await page.evaluate(
        ({ action, challenge }) => {
          const form = document.createElement("form");
          form.method = "post";
          form.action = action;
          for (const [name, value] of Object.entries({ host: "billing.acme.test", next: "/", challenge })) {
            const input = document.createElement("input");
            input.type = "hidden";
            input.name = name;
            input.value = value;
            form.append(input);
          }
          document.body.append(form);
          form.submit();
        },
        { action: e2e.url(null, "/handoff/confirm"), challenge },
      );
      await expect(page.getByText("Cross-site request refused")).toBeVisible();
    }
    expect(minted).toBe(false);
  });

  test("a signed-in non-member is told so on the root domain, with no token and no redirect", async ({ page }) => {
    await signInAt(page, e2e.url(null, "/signin"), "owner@globex.test");
    await expect(page.getByRole("heading", { name: "Your workspaces" })).toBeVisible();
    await page.goto(e2e.customUrl("billing.acme.test", "/signin"));
    await page.getByRole("button", { name: "Continue with your Canopy account" }).click();
    await expect(page.getByText("Your account (owner@globex.test) has no access to this workspace")).toBeVisible();
    expect(new URL(page.url()).host).toBe(`${e2e.root}:${e2e.port}`);
    await expect(page.getByRole("button", { name: "Continue" })).toHaveCount(0);
  });

  test("signing out ends the session on subdomains and on the custom domain", async ({ page }) => {
    await signInAt(page, e2e.url(null, "/signin"), "owner@acme.test");
    await expect(page.getByRole("heading", { name: "Your workspaces" })).toBeVisible();
    await handOff(page);
    await expect(page.getByTestId("tenant-name")).toHaveText("Acme Corp");
    await page.goto(e2e.url("acme"));
    await expect(page.getByTestId("tenant-name")).toHaveText("Acme Corp");

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/signin/);

    await page.goto(e2e.url("acme"));
    await expect(page).toHaveURL(/\/signin/);
    // The custom domain still holds its own cookie, but the session behind it is gone.
    await page.goto(e2e.customUrl("billing.acme.test"));
    await expect(page).toHaveURL(/\/signin/);
  });

  test("a session cookie issued on a custom domain is worth nothing on the admin host", async ({ browser }) => {
    // The tenant controls its domain's DNS and edge, so it can capture any cookie set there.
    const victim = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const page = await victim.newPage();
    await signInAt(page, e2e.customUrl("billing.acme.test", "/signin"), "admin@canopy.test");
    await expect(page).not.toHaveURL(/\/signin/);
    const captured = (await victim.cookies(e2e.customUrl("billing.acme.test"))).find((c) => c.name.endsWith("canopy.session-token"));
    expect(captured?.value).toBeTruthy();
    await victim.close();

    const attacker = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const adminHost = `admin.${e2e.root}`;
    await attacker.addCookies([{ name: captured!.name, value: captured!.value, domain: adminHost, path: "/", httpOnly: true, sameSite: "Lax" }]);
    const replay = await attacker.newPage();
    await replay.goto(e2e.url("admin", "/"));
    await expect(replay).toHaveURL(/\/signin/);
    const api = await replay.evaluate(async () => (await fetch("/api/trpc/admin.stats")).status);
    expect(api).toBe(401);
    // A root-domain sign-in of the same admin opens the console (positive control; the planted
    // host-only cookie would shadow the root one, so it goes first).
    await attacker.clearCookies();
    await signInAt(replay, e2e.url(null, "/signin"), "admin@canopy.test");
    await expect(replay.getByRole("heading", { name: "Your workspaces" })).toBeVisible();
    await replay.goto(e2e.url("admin", "/"));
    await expect(replay).not.toHaveURL(/\/signin/);
    await attacker.close();
  });

  test("repeated failed sign-ins are throttled with a clear message", async ({ page }) => {
    const email = `nobody-${unique()}@example.test`;
    await page.goto(e2e.url(null, "/signin"));
    for (let i = 0; i < 5; i++) {
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill(`wrong-${i}`);
      await page.getByRole("button", { name: "Sign in" }).click();
      // Next's route announcer is also role=alert: pick ours by its text.
      await expect(page.getByRole("alert").filter({ hasText: "Email or password is incorrect." })).toBeVisible();
    }
    await page.getByLabel("Password").fill("wrong-again");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Too many sign-in attempts" })).toBeVisible();
  });
});
