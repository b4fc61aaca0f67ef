import "server-only";
import { isIP } from "node:net";
import * as oidc from "openid-client";
import { env } from "@/lib/env";
import { SsoError } from "./sso-error";

/** Seconds per request to the provider (discovery, keys, token): a slow IdP must not hold a sign-in open. */
const PROVIDER_TIMEOUT_S = 5;
const CONFIG_TTL_MS = 5 * 60 * 1000;

const privateV4 = [/^127\./, /^10\./, /^172\.(1[6-9]|2\d|3[01])\./, /^192\.168\./, /^169\.254\./, /^0\./, /^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\./];

function isInternalHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost") || host.endsWith(".internal") || host.endsWith(".local")) return true;
  const kind = isIP(host);
  if (kind === 4) return privateV4.some((re) => re.test(host));
  if (kind === 6) return host === "::1" || host === "::" || /^f[cd]/.test(host) || /^fe[89ab]/.test(host) || host.startsWith("::ffff:");
  return false;
}

/**
 * The issuer as Canopy will call it, or a field message. The server itself fetches from this URL,
 * so by default only https to a public name is allowed: an owner must not be able to aim Canopy's
 * requests at its own network (SSRF). SSO_ALLOW_INSECURE_ISSUERS lifts this for local providers.
 */
export function checkIssuerUrl(raw: string): { url: URL } | { error: string } {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { error: "Enter the issuer's URL, such as https://login.example.com" };
  }
  if (url.username || url.password || url.search || url.hash) return { error: "The issuer URL has no user, query or fragment" };
  const insecureOk = env().SSO_ALLOW_INSECURE_ISSUERS;
  if (url.protocol !== "https:" && !(insecureOk && url.protocol === "http:")) return { error: "The issuer URL must start with https://" };
  if (!insecureOk && isInternalHost(url.hostname)) return { error: "The issuer must be a public host name" };
  return { url };
}

export type ProviderClient = { issuer: string; clientId: string; config: oidc.Configuration };

const cache = new Map<string, { at: number; client: ProviderClient }>();

/**
 * Discovers the provider (its metadata must name exactly this issuer; openid-client checks) and
 * returns a client for it. Cached briefly per issuer, client and secret, so a sign-in does not
 * fetch the discovery document every time. Failures are SsoError("discovery") with the reason.
 */
export async function providerClient(opts: { issuer: string; clientId: string; clientSecret: string }, fresh = false): Promise<ProviderClient> {
  const key = JSON.stringify([opts.issuer, opts.clientId, opts.clientSecret]);
  const hit = cache.get(key);
  if (!fresh && hit && Date.now() - hit.at < CONFIG_TTL_MS) return hit.client;
  const checked = checkIssuerUrl(opts.issuer);
  if ("error" in checked) throw new SsoError("discovery", checked.error);
  let config: oidc.Configuration;
  try {
    config = await oidc.discovery(checked.url, opts.clientId, { client_secret: opts.clientSecret }, oidc.ClientSecretBasic(opts.clientSecret), {
      timeout: PROVIDER_TIMEOUT_S,
      execute: env().SSO_ALLOW_INSECURE_ISSUERS ? [oidc.allowInsecureRequests] : [],
    });
  } catch (error) {
    throw new SsoError("discovery", `Could not load the provider's OpenID configuration from ${checked.url.origin}: ${describe(error)}`, { cause: error });
  }
  const client = { issuer: config.serverMetadata().issuer, clientId: opts.clientId, config };
  if (cache.size > 500) cache.clear();
  cache.set(key, { at: Date.now(), client });
  return client;
}

function describe(error: unknown): string {
  const e = error as { message?: string; cause?: { code?: string; message?: string } };
  const cause = e.cause?.code ?? e.cause?.message;
  const text = (e.message ?? String(error)).slice(0, 200);
  return cause && !text.includes(cause) ? `${text} (${cause})` : text;
}

export type AuthorizationRequest = { url: URL; state: string; nonce: string; codeVerifier: string };

/** A fresh state, nonce and PKCE verifier (S256) and the provider's authorization URL carrying them. */
export async function authorizationRequest(client: ProviderClient, redirectUri: string, loginHint: string): Promise<AuthorizationRequest> {
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const url = oidc.buildAuthorizationUrl(client.config, {
    redirect_uri: redirectUri,
    scope: "openid email profile",
    response_type: "code",
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    state,
    nonce,
    login_hint: loginHint,
  });
  return { url, state, nonce, codeVerifier };
}

export type VerifiedIdentity = { issuer: string; subject: string; email: string | null; emailVerified: boolean; name: string | null };

/**
 * Trades the code for tokens and returns the ID token's claims. openid-client checks the
 * response's state and issuer, the PKCE verifier (at the provider), and the ID token's signature,
 * issuer, audience, expiry and nonce; anything off is an SsoError("exchange").
 */
export async function exchangeCode(client: ProviderClient, callbackUrl: URL, expected: { state: string; nonce: string; codeVerifier: string }): Promise<VerifiedIdentity> {
  let claims: oidc.IDToken | undefined;
  try {
    const tokens = await oidc.authorizationCodeGrant(client.config, callbackUrl, {
      expectedState: expected.state,
      expectedNonce: expected.nonce,
      pkceCodeVerifier: expected.codeVerifier,
      idTokenExpected: true,
    });
    claims = tokens.claims();
  } catch (error) {
    const providerError = callbackUrl.searchParams.get("error");
    throw new SsoError("exchange", providerError ? `The provider refused the sign-in (${providerError.slice(0, 100)})` : `The provider's answer could not be verified: ${describe(error)}`, { cause: error });
  }
  if (!claims) throw new SsoError("exchange", "The provider returned no ID token");
  const str = (v: unknown) => (typeof v === "string" && v.length > 0 ? v : null);
  return {
    issuer: claims.iss,
    subject: claims.sub,
    email: str(claims.email)?.toLowerCase() ?? null,
    // Only a JSON true counts: a string "true" or a missing claim is not the provider vouching for the address.
    emailVerified: claims.email_verified === true,
    name: str(claims.name),
  };
}
