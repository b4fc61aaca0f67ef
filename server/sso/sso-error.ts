/**
 * Why an SSO sign-in (or a provider check) stopped. Each refusal writes nothing: the sign-in
 * attempt is consumed, but no user, link, membership or session comes of it.
 */
export const ssoErrorMessages = {
  discovery: "Single sign-on is not available right now: the workspace's identity provider could not be reached. Sign in with your password, or ask your workspace owner.",
  state: "This sign-in link does not belong to this browser or has expired. Start again from the sign-in page.",
  replay: "This sign-in was already used. Start again from the sign-in page.",
  exchange: "Your identity provider's answer could not be verified. Start again from the sign-in page.",
  email_unverified: "Your identity provider has not verified your email address, so Canopy cannot sign you in with it.",
  domain: "Your identity provider returned an address outside the domains this workspace signs in with single sign-on.",
  subject_linked: "This identity at your provider is already linked to another Canopy account.",
  user_linked: "Your Canopy account is already linked to a different identity at this provider.",
  unproven: "An unconfirmed Canopy account already uses this address. Confirm it from the email we sent, then sign in again.",
  not_configured: "No workspace signs in this address with single sign-on. Sign in with your password.",
} as const;

export type SsoErrorCode = keyof typeof ssoErrorMessages;

export const isSsoErrorCode = (v: string | null | undefined): v is SsoErrorCode => typeof v === "string" && Object.hasOwn(ssoErrorMessages, v);

export class SsoError extends Error {
  constructor(
    readonly code: SsoErrorCode,
    /** For the owner and the logs; the person signing in sees ssoErrorMessages[code]. */
    readonly detail: string = ssoErrorMessages[code],
    options?: ErrorOptions,
  ) {
    super(detail, options);
    this.name = "SsoError";
  }
}
