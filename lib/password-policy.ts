import "server-only";
import { dictionary } from "@zxcvbn-ts/language-common";

/**
 * The server's half of the password policy (the length half is in the shared form schemas): a
 * password from the ~49,000 most common ones (zxcvbn-ts's `passwords-common`, shipped in the
 * package, no network), or one of them padded with digits and symbols ("password2024!"), or one
 * short unit repeated, is the first thing a guesser tries, whatever its length.
 */
const common = new Set(dictionary["passwords-common"]);

export const COMMON_PASSWORD_MESSAGE = "This password is too common or too easy to guess; choose a less predictable one";

export function isGuessablePassword(password: string): boolean {
  const lowered = password.normalize("NFKC").toLowerCase();
  if (common.has(lowered)) return true;
  const core = lowered.replace(/^[\d\W_]+|[\d\W_]+$/gu, "");
  if (core.length > 0 && core !== lowered && common.has(core)) return true;
  // "abcabcabcabc", "aaaaaaaaaaaa": a unit of up to four characters repeated.
  if (/^(.{1,4})\1+$/su.test(lowered)) return true;
  return false;
}
