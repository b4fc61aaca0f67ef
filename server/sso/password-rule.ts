import "server-only";
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";

/** Shown on the sign-in form; the form passes messages with this prefix through as they are. */
export const SSO_REQUIRED_MESSAGE = "Single sign-on is required for your workspace. Choose “Use single sign-on (SSO)” below.";

export class SsoRequiredError extends Error {
  constructor() {
    super(SSO_REQUIRED_MESSAGE);
    this.name = "SsoRequiredError";
  }
}

/**
 * The "require SSO" rule (app_sso_password_refused): after the right password, refused when the
 * account is a non-owner member of an active workspace that requires SSO and has verified the
 * address's domain. Asked only once the password is right, so the answer tells nobody else whose
 * address belongs where.
 */
export async function assertPasswordSignInAllowed(directory: Database, email: string): Promise<void> {
  const [row] = await directory.execute<{ refused: boolean }>(sql`select app_sso_password_refused(${email}) as refused`);
  if (row?.refused === true) throw new SsoRequiredError();
}
