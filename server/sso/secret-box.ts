import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { env } from "@/lib/env";

/**
 * Sealing of SSO client secrets at rest: AES-256-GCM under a key derived from AUTH_SECRET with
 * HKDF-SHA256 and an info string of its own, so the key never doubles as any other use of
 * AUTH_SECRET (session JWTs, device cookies). The tenant id is the additional authenticated
 * data: a sealed secret copied into another tenant's row does not open there.
 * Format: `v1.<iv>.<ciphertext>.<tag>`, base64url parts (the version names the key derivation).
 */
const INFO = "canopy sso client secret v1";
let derived: { secret: string; key: Buffer } | undefined;

function sealingKey(secret = env().AUTH_SECRET): Buffer {
  if (derived?.secret !== secret) derived = { secret, key: Buffer.from(hkdfSync("sha256", secret, "", INFO, 32)) };
  return derived.key;
}

export function sealSecret(plain: string, tenantId: string, secret?: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", sealingKey(secret), iv);
  cipher.setAAD(Buffer.from(tenantId));
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), body.toString("base64url"), cipher.getAuthTag().toString("base64url")].join(".");
}

/** The secret, or null when it does not open (another key, another tenant, altered bytes). */
export function openSecret(sealed: string, tenantId: string, secret?: string): string | null {
  const [version, iv, body, tag] = sealed.split(".");
  if (version !== "v1" || !iv || body === undefined || !tag) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", sealingKey(secret), Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(tenantId));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
