import { describe, expect, it } from "vitest";
import { addressKey, applyClientAddress, isLoopbackAddress, normalizeIp, parseIpRange, parseTrustedProxies, resolveClientAddress } from "@/lib/client-address.mjs";

const resolve = (socketAddress: string | null, forwardedFor: string | string[] | null, trusted = "") =>
  resolveClientAddress({ socketAddress, forwardedFor }, parseTrustedProxies(trusted));

describe("normalizeIp", () => {
  it.each([
    ["203.0.113.7", "203.0.113.7"],
    [" 203.0.113.7 ", "203.0.113.7"],
    ["::ffff:127.0.0.1", "127.0.0.1"],
    ["::FFFF:7f00:1", "127.0.0.1"],
    ["2001:DB8:0:0:0:0:0:1", "2001:db8::1"],
    ["2001:db8:0000:0:1:0:0:1", "2001:db8::1:0:0:1"],
    ["2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"],
    ["::", "::"],
    ["::1", "::1"],
    ["fe80::1%eth0", "fe80::1"],
    ["64:ff9b::192.0.2.33", "64:ff9b::c000:221"],
  ])("%s → %s", (input, expected) => {
    expect(normalizeIp(input)).toBe(expected);
  });

  it.each(["", "localhost", "256.0.0.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.4:80", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8::", "12345::", "::g", "[::1]", "1.2.3.4/8"])(
    "rejects %j",
    (input) => {
      expect(normalizeIp(input)).toBeNull();
    },
  );
});

describe("TRUSTED_PROXIES", () => {
  it("parses IPs and CIDR ranges, IPv4 and IPv6, and masks host bits", () => {
    expect(parseTrustedProxies(" 10.0.0.0/8, 192.0.2.1 ,2001:db8::/32,::1,")).toEqual([
      { version: 4, value: 0x0a000000n, prefix: 8 },
      { version: 4, value: 0xc0000201n, prefix: 32 },
      { version: 6, value: 0x20010db8n << 96n, prefix: 32 },
      { version: 6, value: 1n, prefix: 128 },
    ]);
    expect(parseIpRange("10.1.2.3/8")).toEqual({ version: 4, value: 0x0a000000n, prefix: 8 });
    // An IPv4-mapped range is the IPv4 range it maps.
    expect(parseIpRange("::ffff:10.0.0.0/104")).toEqual({ version: 4, value: 0x0a000000n, prefix: 8 });
    expect(parseTrustedProxies(undefined)).toEqual([]);
    expect(parseTrustedProxies("")).toEqual([]);
  });

  it.each([
    ["proxy.internal", "is not an IP address or CIDR range"],
    ["10.0.0.0/33", "invalid prefix length"],
    ["2001:db8::/129", "invalid prefix length"],
    ["10.0.0.0/", "invalid prefix length"],
    ["10.0.0.0/8/8", "is not an IP address or CIDR range"],
    ["10.0.0.0/-1", "invalid prefix length"],
  ])("refuses %j", (entry, message) => {
    expect(() => parseTrustedProxies(entry)).toThrow(message);
  });
});

describe("the client address", () => {
  it("with no trusted proxy is the socket's, whatever the client sent", () => {
    expect(resolve("203.0.113.7", "198.51.100.1")).toBe("203.0.113.7");
    expect(resolve("::ffff:203.0.113.7", "198.51.100.1, 198.51.100.2")).toBe("203.0.113.7");
    expect(resolve("2001:db8::7", null)).toBe("2001:db8::7");
    expect(resolve(null, "198.51.100.1")).toBeNull();
  });

  it("from an untrusted peer ignores X-Forwarded-For even when proxies are configured", () => {
    expect(resolve("203.0.113.7", "198.51.100.1", "10.0.0.0/8")).toBe("203.0.113.7");
  });

  it("through trusted proxies is the rightmost untrusted hop", () => {
    // client → (writes a fake entry) → proxy 10.0.0.2 appends the client's real address → app.
    expect(resolve("10.0.0.2", "1.1.1.1, 203.0.113.7", "10.0.0.0/8")).toBe("203.0.113.7");
    // Two trusted hops: CDN edge 10.1.0.1 then load balancer 10.0.0.2.
    expect(resolve("10.0.0.2", "6.6.6.6, 203.0.113.7, 10.1.0.1", "10.0.0.0/8")).toBe("203.0.113.7");
    // The header split over several lines.
    expect(resolve("10.0.0.2", ["6.6.6.6", "203.0.113.7, 10.1.0.1"], "10.0.0.0/8")).toBe("203.0.113.7");
    // IPv6 proxies and clients, with ports and brackets as some proxies write them.
    expect(resolve("fd00::2", "[2001:db8::7]:4711", "fd00::/8")).toBe("2001:db8::7");
    expect(resolve("::ffff:10.0.0.2", "203.0.113.7:4711", "10.0.0.2")).toBe("203.0.113.7");
  });

  it("stops at the proxy when an entry is malformed or missing", () => {
    expect(resolve("10.0.0.2", "203.0.113.7, not-an-ip", "10.0.0.0/8")).toBe("10.0.0.2");
    expect(resolve("10.0.0.2", "", "10.0.0.0/8")).toBe("10.0.0.2");
    expect(resolve("10.0.0.2", null, "10.0.0.0/8")).toBe("10.0.0.2");
  });

  it("is the leftmost hop when every hop is trusted", () => {
    expect(resolve("10.0.0.2", "10.0.0.9, 10.0.0.3", "10.0.0.0/8")).toBe("10.0.0.9");
  });

  it("applyClientAddress rewrites the request before Next sees it", () => {
    const req = { headers: { "x-forwarded-for": "1.1.1.1", "x-real-ip": "2.2.2.2", host: "a" } as Record<string, string | undefined>, socket: { remoteAddress: "::ffff:127.0.0.1" } };
    applyClientAddress(req, []);
    expect(req.headers).toEqual({ "x-forwarded-for": "127.0.0.1", host: "a" });
    const gone = { headers: { "x-forwarded-for": "1.1.1.1" } as Record<string, string | undefined>, socket: {} };
    applyClientAddress(gone, []);
    expect(gone.headers).toEqual({});
  });
});

describe("addressKey", () => {
  it("counts IPv4 per address and IPv6 per /64", () => {
    expect(addressKey("203.0.113.7")).toBe("203.0.113.7");
    expect(addressKey("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:db8:1:2:bbbb::9")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:db8:1:3::1")).toBe("2001:db8:1:3::/64");
    expect(addressKey(null)).toBe("unknown");
  });
});

describe("isLoopbackAddress (who may ask for a TLS certificate)", () => {
  it("accepts this machine's loopback in every spelling", () => {
    for (const address of ["127.0.0.1", "127.0.0.9", "::1", "::ffff:127.0.0.1", "0:0:0:0:0:0:0:1"]) expect(isLoopbackAddress(address), address).toBe(true);
  });
  it("refuses other, malformed and missing addresses", () => {
    for (const address of ["10.0.0.1", "128.0.0.1", "::2", "::ffff:10.0.0.1", "localhost", "127.0.0.1.5", "", null, undefined]) expect(isLoopbackAddress(address), String(address)).toBe(false);
  });
  it("a request relayed by a trusted proxy is its client's, not the proxy's loopback", () => {
    const trusted = parseTrustedProxies("127.0.0.1,::1");
    expect(isLoopbackAddress(resolveClientAddress({ socketAddress: "127.0.0.1", forwardedFor: "203.0.113.9" }, trusted))).toBe(false);
    expect(isLoopbackAddress(resolveClientAddress({ socketAddress: "127.0.0.1", forwardedFor: null }, trusted))).toBe(true);
  });
});
