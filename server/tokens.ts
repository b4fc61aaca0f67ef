import { createHash, randomBytes } from "node:crypto";

/** A bearer secret: 32 random bytes, base64url. Only its SHA-256 is ever stored. */
export function newSecret(prefix = ""): string {
  return `${prefix}${randomBytes(32).toString("base64url")}`;
}

export function sha256Hex(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

export const API_KEY_PREFIX = "cnp_";
/** `cnp_` + 43 base64url characters (32 bytes, unpadded). */
export const apiKeyPattern = /^cnp_[A-Za-z0-9_-]{43}$/;
