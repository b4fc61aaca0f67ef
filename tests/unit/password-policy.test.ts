import { describe, expect, it } from "vitest";
import { isGuessablePassword } from "@/lib/password-policy";
import { newPassword } from "@/lib/schemas/account";

describe("the password policy", () => {
  it("refuses fewer than 12 characters, whatever they are", () => {
    expect(newPassword.safeParse("x7#Kq!2mZp9").success).toBe(false);
    expect(newPassword.safeParse("x7#Kq!2mZp9w").success).toBe(true);
  });

  it("refuses passwords from the common list, in any case", () => {
    for (const pw of ["qwertyuiop123", "1qaz2wsx3edc", "QAZWSXEDCRFV", "iloveyou"]) expect(isGuessablePassword(pw), pw).toBe(true);
  });

  it("refuses a common password padded with digits and symbols", () => {
    for (const pw of ["password2024!", "!!Monkey123456", "sunshine_1990"]) expect(isGuessablePassword(pw), pw).toBe(true);
  });

  it("refuses one short unit repeated", () => {
    for (const pw of ["aaaaaaaaaaaa", "abcabcabcabc", "ab12ab12ab12"]) expect(isGuessablePassword(pw), pw).toBe(true);
  });

  it("accepts passphrases and random strings", () => {
    for (const pw of ["correct horse battery", "Tulip-Harbor-42-lamp", "x7#Kq!2mZp9w", "another password 1"]) expect(isGuessablePassword(pw), pw).toBe(false);
  });
});
