import { describe, expect, it } from "vitest";
import { BASE_CSP, createNonce, dynamicSecurityHeaders, HSTS, nextConfigHeaders, pageCsp, STATIC_SECURITY_HEADERS } from "@/lib/security-headers";

/** `script-src 'self' 'nonce-x'` → { "script-src": ["'self'", "'nonce-x'"] } */
const directives = (csp: string): Record<string, string[]> =>
  Object.fromEntries(
    csp.split(";").map((d) => {
      const [name = "", ...values] = d.trim().split(/\s+/);
      return [name, values];
    }),
  );

describe("page CSP", () => {
  const prod = directives(pageCsp({ nonce: "abc+/=", dev: false, secure: false }));

  it("runs only nonce'd scripts and what they load, never eval or inline handlers", () => {
    expect(prod["script-src"]).toEqual(["'self'", "'nonce-abc+/='", "'strict-dynamic'"]);
    expect(Object.values(prod).flat()).not.toContain("'unsafe-eval'");
    expect(prod["script-src"]).not.toContain("'unsafe-inline'");
  });

  it("keeps inline styles (style attributes, sonner) without a nonce that would turn 'unsafe-inline' off", () => {
    expect(prod["style-src"]).toEqual(["'self'", "'unsafe-inline'"]);
  });

  it("cannot be framed, has no plugins, and pins base, forms and connections to the origin", () => {
    expect(prod["frame-ancestors"]).toEqual(["'none'"]);
    expect(prod["object-src"]).toEqual(["'none'"]);
    expect(prod["base-uri"]).toEqual(["'self'"]);
    expect(prod["form-action"]).toEqual(["'self'"]);
    expect(prod["connect-src"]).toEqual(["'self'"]);
    expect(prod["default-src"]).toEqual(["'self'"]);
    expect(prod["img-src"]).toEqual(["'self'", "data:", "blob:"]);
    expect(prod).not.toHaveProperty("upgrade-insecure-requests");
  });

  it("lets a page's forms reach exactly the extra origins it names (the hand-off's redirect to another Canopy host)", () => {
    const handoff = directives(pageCsp({ nonce: "n", dev: false, secure: true, formTargets: ["https://canopy.example"] }));
    expect(handoff["form-action"]).toEqual(["'self'", "https://canopy.example"]);
  });

  it("allows eval only under next dev", () => {
    expect(directives(pageCsp({ nonce: "n", dev: true, secure: false }))["script-src"]).toContain("'unsafe-eval'");
  });

  it("upgrades sub-resource requests when served over TLS", () => {
    expect(directives(pageCsp({ nonce: "n", dev: false, secure: true }))).toHaveProperty("upgrade-insecure-requests");
  });
});

describe("per-request headers", () => {
  it("sends HSTS with includeSubDomains only when cookies are secure", () => {
    expect(dynamicSecurityHeaders({ page: null, secure: true })).toEqual({ "Content-Security-Policy": BASE_CSP, "Strict-Transport-Security": HSTS });
    expect(HSTS).toBe("max-age=63072000; includeSubDomains");
    expect(dynamicSecurityHeaders({ page: null, secure: false })).toEqual({ "Content-Security-Policy": BASE_CSP });
  });

  it("gives pages the nonce policy", () => {
    const headers = dynamicSecurityHeaders({ page: { nonce: "n0nce", dev: false, secure: true }, secure: true });
    expect(headers["Content-Security-Policy"]).toContain("'nonce-n0nce'");
    expect(headers["Strict-Transport-Security"]).toBe(HSTS);
  });
});

describe("static headers and the base policy", () => {
  it("cover sniffing, referrers and framing", () => {
    expect(Object.fromEntries(STATIC_SECURITY_HEADERS.map((h) => [h.key, h.value]))).toEqual({
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "strict-origin-when-cross-origin",
      "X-Frame-Options": "DENY",
    });
    expect(directives(BASE_CSP)).toEqual({ "default-src": ["'none'"], "frame-ancestors": ["'none'"] });
  });
});

describe("createNonce", () => {
  it("is 128 random bits in the form Next extracts from the policy", () => {
    const seen = new Set(Array.from({ length: 1000 }, createNonce));
    expect(seen.size).toBe(1000);
    for (const nonce of seen) expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});

describe("nextConfigHeaders", () => {
  it("sets the static headers and base CSP everywhere, and keeps the hand-off's no-referrer (a route cannot override them)", () => {
    const rules = nextConfigHeaders();
    expect(rules[0]?.source).toBe("/:path*");
    expect(rules[0]?.headers).toEqual([...STATIC_SECURITY_HEADERS, { key: "Content-Security-Policy", value: BASE_CSP }]);
    // A later rule for the same key wins in Next, so the hand-off's and the public invoice's rules must come after the catch-all.
    expect(rules.slice(1)).toEqual([
      { source: "/handoff/complete", headers: [{ key: "Referrer-Policy", value: "no-referrer" }] },
      {
        source: "/i/:path*",
        headers: [
          { key: "Referrer-Policy", value: "no-referrer" },
          { key: "X-Robots-Tag", value: "noindex, nofollow, noarchive" },
        ],
      },
    ]);
  });
});
