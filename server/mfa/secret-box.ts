import "server-only";
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";
import { env } from "@/lib/env";

/**
 * Keys for MFA, derived from AUTH_SECRET with HKDF-SHA256, one per purpose (distinct `info`), so
 * neither can be confused with the session's or the device cookie's keys. No extra variable to
 * provision or lose: every install already has AUTH_SECRET, and a database copy without it
 * yields no TOTP secret and no way to test guesses against the recovery-code hashes.
 */
const cache = new Map<string, { secret: string; key: Buffer }>();

function derivedKey(info: string): Buffer {
  const secret = env().AUTH_SECRET;
  const hit = cache.get(info);
  if (hit?.secret === secret) return hit.key;
  const key = Buffer.from(hkdfSync("sha256", secret, "", info, 32));
  cache.set(info, { secret, key });
  return key;
}

const VERSION = "v1";

/**
 * AES-256-GCM, 96-bit random IV, the user id as additional data: a ciphertext copied onto another
 * user's row does not decrypt there. Stored as `v1.<iv>.<tag>.<ciphertext>` (base64url).
 */
export function sealTotpSecret(userId: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", derivedKey("canopy mfa totp secret v1"), iv);
  cipher.setAAD(Buffer.from(userId));
  const body = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
}

export function openTotpSecret(userId: string, sealed: string): string {
  const [version, iv, tag, body] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || !body) throw new Error("unreadable MFA secret");
  const decipher = createDecipheriv("aes-256-gcm", derivedKey("canopy mfa totp secret v1"), Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(userId));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}

/** A recovery code's stored form: keyed, so a leaked table cannot be brute-forced offline (codes carry 50 bits). */
export function recoveryCodeHash(userId: string, normalizedCode: string): string {
  return createHmac("sha256", derivedKey("canopy mfa recovery code v1")).update(`${userId}\n${normalizedCode}`).digest("hex");
}
