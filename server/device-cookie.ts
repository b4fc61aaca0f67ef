import "server-only";
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";
import { cookieName } from "./cookie-name";

/**
 * Device cookies (OWASP, "Slow down online guessing attacks with device cookies"): after a
 * successful sign-in the browser gets a long-lived HttpOnly cookie binding a random device id to
 * the email, signed with a key derived from AUTH_SECRET. When that email is locked by failures
 * from elsewhere, a sign-in presenting a valid device cookie for it is judged by the device's own
 * counter (server/throttle.ts), so an attacker cannot lock the owner's browser out.
 *
 * Value: `v1.<device id>.<tag>[.<tag>…]`, one 128-bit HMAC tag per email signed in from this
 * browser (newest first, at most 5). The email itself is not in the cookie; a tag is checked by
 * recomputing it for the email being signed in.
 */

const VERSION = "v1";
const MAX_EMAILS = 5;
const MAX_AGE_S = 365 * 24 * 60 * 60;
const ID = /^[A-Za-z0-9_-]{22}$/;

let derived: { secret: string; key: Buffer } | undefined;

function macKey(): Buffer {
  const secret = env().AUTH_SECRET;
  if (derived?.secret !== secret) {
    // A key of its own: a device tag can never be confused with anything else signed by AUTH_SECRET.
    derived = { secret, key: Buffer.from(hkdfSync("sha256", secret, "", "canopy device cookie v1", 32)) };
  }
  return derived.key;
}

const tagFor = (deviceId: string, email: string) =>
  createHmac("sha256", macKey()).update(`${deviceId}\n${email.toLowerCase()}`).digest().subarray(0, 16).toString("base64url");

function parse(value: string | null | undefined): { deviceId: string; tags: string[] } | null {
  const [version, deviceId, ...tags] = (value ?? "").split(".");
  if (version !== VERSION || !deviceId || !ID.test(deviceId)) return null;
  return { deviceId, tags: tags.filter((t) => ID.test(t)).slice(0, MAX_EMAILS) };
}

/** The device id if `value` carries a valid tag for `email`, else null. */
export function verifyDeviceCookie(value: string | null | undefined, email: string): string | null {
  const parsed = parse(value);
  if (!parsed) return null;
  const expected = Buffer.from(tagFor(parsed.deviceId, email));
  const valid = parsed.tags.some((tag) => {
    const given = Buffer.from(tag);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return valid ? parsed.deviceId : null;
}

/**
 * The cookie value after `email` signed in: the same device id (a new one for a new browser), this
 * email's tag first, the others kept. Tags for other emails cannot be checked here; a planted one
 * is harmless, since only this server can make a tag that verifies.
 */
export function nextDeviceCookie(value: string | null | undefined, email: string): string {
  const parsed = parse(value);
  const deviceId = parsed?.deviceId ?? randomBytes(16).toString("base64url");
  const tag = tagFor(deviceId, email);
  const others = (parsed?.tags ?? []).filter((t) => t !== tag);
  return [VERSION, deviceId, tag, ...others.slice(0, MAX_EMAILS - 1)].join(".");
}

export function deviceCookieName(secure: boolean): string {
  // Path=/api/auth, so over HTTPS it can be `__Secure-` but not `__Host-`.
  return cookieName("canopy.device", { secure, hostOnly: false });
}

/** The device cookie's value from a raw Cookie header (next-auth hands authorize() plain headers). */
export function readDeviceCookie(cookieHeader: unknown, secure: boolean): string | null {
  if (typeof cookieHeader !== "string") return null;
  const name = deviceCookieName(secure);
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/**
 * Sets the device cookie on the sign-in response. next-auth v4 gives authorize() no response, so
 * this uses the route handler's cookie store (next/headers), which Next merges into whatever
 * Response the handler returns.
 */
export async function rememberDevice(opts: { email: string; current: string | null; secure: boolean; domain: string | undefined }): Promise<void> {
  const { cookies } = await import("next/headers");
  (await cookies()).set({
    name: deviceCookieName(opts.secure),
    value: nextDeviceCookie(opts.current, opts.email),
    // HttpOnly: scripts (XSS) cannot read it. Strict and /api/auth: sent only with this site's own
    // sign-in requests, the one place it is read.
    httpOnly: true,
    secure: opts.secure,
    sameSite: "strict",
    path: "/api/auth",
    domain: opts.domain,
    maxAge: MAX_AGE_S,
  });
}
