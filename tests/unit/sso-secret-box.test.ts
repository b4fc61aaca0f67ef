import { describe, expect, it } from "vitest";
import { openSecret, sealSecret } from "@/server/sso/secret-box";

const key = "k".repeat(40);
const tenant = "6f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f";
const other = "0d9e8f7a-6b5c-4d3e-8f2a-1b0c9d8e7f6a";

describe("sealed SSO client secrets", () => {
  it("opens for the tenant it was sealed for, and never holds the secret in clear", () => {
    const sealed = sealSecret("s3cret-value", tenant, key);
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain("s3cret-value");
    expect(openSecret(sealed, tenant, key)).toBe("s3cret-value");
    // A fresh IV every time: equal secrets do not look equal at rest.
    expect(sealSecret("s3cret-value", tenant, key)).not.toBe(sealed);
  });

  it("does not open in another tenant's row, under another AUTH_SECRET, or altered", () => {
    const sealed = sealSecret("s3cret-value", tenant, key);
    expect(openSecret(sealed, other, key)).toBeNull();
    expect(openSecret(sealed, tenant, "x".repeat(40))).toBeNull();
    const [v, iv, body, tag] = sealed.split(".");
    const flipped = body!.slice(0, -1) + (body!.endsWith("A") ? "B" : "A");
    expect(openSecret([v, iv, flipped, tag].join("."), tenant, key)).toBeNull();
    expect(openSecret("v2.a.b.c", tenant, key)).toBeNull();
    expect(openSecret("garbage", tenant, key)).toBeNull();
  });
});
