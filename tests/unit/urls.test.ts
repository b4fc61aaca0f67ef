import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sameOriginRedirect, safeNextPath } from "@/lib/urls";

const SITE = "https://acme.canopy.example";

/** Where a browser ends up after `location.assign(path)` or a `Location: path` on SITE (the URL parser strips tab/CR/LF, reads `\` as `/`). */
const landsOn = (path: string) => new URL(path, SITE).origin;

describe("safeNextPath", () => {
  // Each of these, passed through unchanged, either leaves the site in a browser or would after one more decode.
  it.each([
    ["tab after the slash (callbackUrl=/%09/evil.example, decoded once)", "/\t/evil.example"],
    ["tab, still encoded", "/%09/evil.example"],
    ["line feed", "/\n/evil.example"],
    ["carriage return", "/\r/evil.example"],
    ["CR LF", "/\r\n/evil.example"],
    ["encoded CR LF (header splitting)", "/%0d%0aSet-Cookie:%20x=1"],
    ["NUL", "/\0/evil.example"],
    ["DEL", "/\x7f/evil.example"],
    ["backslash after the slash", "/\\evil.example"],
    ["backslash first", "\\/evil.example"],
    ["two backslashes", "\\\\evil.example"],
    ["slash, backslash, slash", "/\\/evil.example"],
    ["encoded backslash", "/%5C/evil.example"],
    ["encoded backslash, lower case", "/%5cevil.example"],
    ["protocol-relative", "//evil.example"],
    ["three slashes", "///evil.example"],
    ["encoded slashes", "/%2F%2Fevil.example"],
    ["slash, encoded slash", "/%2f/evil.example"],
    ["absolute https", "https://evil.example"],
    ["absolute, upper case scheme", "HTTPS://evil.example/"],
    ["scheme without slashes", "http:evil.example"],
    ["leading space", " https://evil.example"],
    ["javascript:", "javascript:alert(1)"],
    ["data:", "data:text/html,<script>alert(1)</script>"],
    ["bare host", "evil.example"],
    ["userinfo-looking", "@evil.example"],
    ["space after the slash", "/ /evil.example"],
    ["no-break space", "/\u00a0/evil.example"],
    ["ideographic space", "/\u3000/evil.example"],
    ["line separator", "/\u2028/evil.example"],
    ["zero-width space", "/\u200b/evil.example"],
    ["byte-order mark", "\ufeff//evil.example"],
    ["right-to-left override", "/\u202e/evil.example"],
    ["dot segments collapsing to //", "/..//evil.example"],
    ["deeper dot segments", "/a/../..//evil.example"],
    ["encoded dot segments", "/%2e%2e//evil.example"],
    ["malformed percent-encoding", "/%E0%A4%A"],
    ["absurdly long", `/${"a".repeat(5000)}`],
  ])("refuses %s", (_name, attack) => {
    expect(safeNextPath(attack)).toBe("/");
  });

  it.each([
    ["/", "/"],
    ["/invoices?status=paid#x", "/invoices?status=paid#x"],
    ["/invite/abc", "/invite/abc"],
    ["/invoices/0b9e2f6a-3c1d-4a57-9d11-2f1f4e5a6b7c", "/invoices/0b9e2f6a-3c1d-4a57-9d11-2f1f4e5a6b7c"],
    // The custom-domain hand-off sends its own path through sign-in as callbackUrl.
    ["/handoff/start?host=billing.acme.test&next=%2Finvoices%3Fstatus%3Dpaid", "/handoff/start?host=billing.acme.test&next=%2Finvoices%3Fstatus%3Dpaid"],
    ["/projects?q=a%2Fb", "/projects?q=a%2Fb"],
    ["/a/./b/../c", "/a/c"],
    ["/caf\u00e9", "/caf%C3%A9"],
  ])("keeps the same-site path %j", (value, expected) => {
    expect(safeNextPath(value)).toBe(expected);
  });

  it.each([null, undefined, "", ["/invoices", "//evil.example"]])("falls back to / for %j", (value) => {
    expect(safeNextPath(value)).toBe("/");
  });

  it("never returns anything that leaves the site, and is stable when applied again", () => {
    const candidate = fc.oneof(
      fc.string({ unit: "binary" }),
      fc.array(fc.constantFrom("/", "\\", "\t", "\n", "\r", " ", ".", "%2F", "%5C", "%09", ":", "@", "?", "#", "evil.example", "http", "\u3000"), { maxLength: 8 }).map((parts) => parts.join("")),
    );
    fc.assert(
      fc.property(candidate, (value) => {
        const path = safeNextPath(value);
        expect(path.startsWith("/")).toBe(true);
        expect(path.startsWith("//")).toBe(false);
        expect(landsOn(path)).toBe(SITE);
        expect(safeNextPath(path)).toBe(path);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("sameOriginRedirect (for next-auth's callbacks.redirect)", () => {
  const base = "http://acme.canopy.localhost:3100";
  it.each([
    ["/invoices?status=paid", `${base}/invoices?status=paid`],
    [`${base}/projects#top`, `${base}/projects#top`],
    ["/\t/evil.example", `${base}/`],
    ["//evil.example", `${base}/`],
    [`${base}//evil.example`, `${base}/`],
    ["https://evil.example/steal", base],
    ["http://acme.canopy.localhost:3100.evil.example/", base],
    ["http://acme.canopy.localhost:3100@evil.example/", base],
    ["javascript:alert(1)", base],
    ["not a url", base],
  ])("%j → %j", (url, expected) => {
    expect(sameOriginRedirect(url, base)).toBe(expected);
  });
});
