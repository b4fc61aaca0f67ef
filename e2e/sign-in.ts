import type { Page } from "@playwright/test";

/** Signs in through the real form at `url` and waits until the browser has left the sign-in page. */
export async function signIn(page: Page, url: string, email: string, password = "canopy-demo") {
  await page.goto(url);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/signin"));
}
