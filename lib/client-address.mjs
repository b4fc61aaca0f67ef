// @ts-check
/**
 * The client's address, from the socket or from proxies the operator trusts (TRUSTED_PROXIES), never
 * from what the client itself sends.
 *
 * Next keeps a client-sent X-Forwarded-For as it is (it fills in the socket address only when the
 * header is missing), so a header the client wrote would otherwise become the rate-limit and
 * sign-in throttle key. The server entry (scripts/serve.mjs) overwrites X-Forwarded-For with the one
 * address computed here on every request, before Next sees it; the app reads that single address
 * (`requestClientAddress`).
 *
 * Plain JavaScript with its types in client-address.d.mts: the server entry loads it with no
 * build step and no TypeScript loader in the production server process.
 */

import { log } from "./log.mjs";

/** @typedef {{ version: 4 | 6; value: bigint }} Ip */
/** @typedef {import("./client-address.d.mts").IpRange} IpRange */

const BITS = { 4: 32, 6: 128 };

/** @param {string} text */
function parseIpv4(text) {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    // No leading zeros: "010" is octal to some parsers and decimal to others.
    if (!/^(0|[1-9]\d{0,2})$/.test(part)) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

/** @param {string} text */
function parseIpv6(text) {
  // A zone (fe80::1%eth0) names an interface on this machine; it is not part of the address.
  let rest = text.replace(/%[\w.-]+$/, "");
  if (!/^[0-9a-fA-F:.]+$/.test(rest)) return null;
  if (rest.includes(".")) {
    const at = rest.lastIndexOf(":");
    const v4 = parseIpv4(rest.slice(at + 1));
    if (v4 === null) return null;
    rest = `${rest.slice(0, at + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = rest.split("::");
  if (halves.length > 2) return null;
  /** @param {string} half */
  const groups = (half) => (half === "" ? [] : half.split(":"));
  const compressed = halves.length === 2;
  const head = groups(halves[0] ?? "");
  const tail = compressed ? groups(halves[1] ?? "") : [];
  const missing = 8 - head.length - tail.length;
  if (compressed ? missing < 1 : missing !== 0) return null;
  let value = 0n;
  /** @type {string[]} */
  const zeros = Array(compressed ? missing : 0).fill("0");
  for (const group of [...head, ...zeros, ...tail]) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return null;
    value = (value << 16n) | BigInt(parseInt(group, 16));
  }
  return value;
}

/**
 * @param {string} text
 * @returns {Ip | null}
 */
function parseIp(text) {
  const v4 = parseIpv4(text);
  if (v4 !== null) return { version: 4, value: v4 };
  const v6 = parseIpv6(text);
  if (v6 === null) return null;
  // ::ffff:a.b.c.d is an IPv4 client on a dual-stack socket: one client, one key.
  if (v6 >> 32n === 0xffffn) return { version: 4, value: v6 & 0xffffffffn };
  return { version: 6, value: v6 };
}

/** @param {Ip} ip */
function formatIp(ip) {
  if (ip.version === 4) return [24n, 16n, 8n, 0n].map((shift) => String((ip.value >> shift) & 0xffn)).join(".");
  const groups = Array.from({ length: 8 }, (_, i) => Number((ip.value >> BigInt(112 - 16 * i)) & 0xffffn));
  // RFC 5952: the longest run of two or more zero groups (the first on a tie) becomes "::".
  let best = { at: -1, length: 1 };
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length) best = { at: i, length: j - i };
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.at < 0) return hex.join(":");
  return `${hex.slice(0, best.at).join(":")}::${hex.slice(best.at + best.length).join(":")}`;
}

/** @param {string | null | undefined} text */
export function normalizeIp(text) {
  if (!text) return null;
  const ip = parseIp(text.trim());
  return ip ? formatIp(ip) : null;
}

/**
 * @param {string} text
 * @returns {IpRange}
 */
export function parseIpRange(text) {
  const entry = text.trim();
  const [address, prefixText, extra] = entry.split("/");
  const ip = extra === undefined && address ? parseIp(address) : null;
  if (!ip || !address) throw new Error(`has an entry that is not an IP address or CIDR range: ${JSON.stringify(entry)}`);
  const bits = BITS[ip.version];
  // An IPv4-mapped range (::ffff:10.0.0.0/104) is the IPv4 range it maps.
  const offset = ip.version === 4 && address.includes(":") ? 96 : 0;
  const prefix = prefixText === undefined ? bits : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) - offset : NaN;
  if (!(prefix >= 0 && prefix <= bits)) throw new Error(`has an invalid prefix length in ${JSON.stringify(entry)}`);
  const host = BigInt(bits - prefix);
  return { version: ip.version, value: (ip.value >> host) << host, prefix };
}

/** @param {string | undefined} raw */
export function parseTrustedProxies(raw) {
  return (raw ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map(parseIpRange);
}

/**
 * @param {Ip} ip
 * @param {readonly IpRange[]} ranges
 */
function inRanges(ip, ranges) {
  return ranges.some((range) => {
    if (range.version !== ip.version) return false;
    const host = BigInt(BITS[ip.version] - range.prefix);
    return ip.value >> host === range.value >> host;
  });
}

const LOOPBACK = [parseIpRange("127.0.0.0/8"), parseIpRange("::1")];

/**
 * Whether an address is this machine's loopback (127.0.0.0/8, ::1, or IPv4-mapped 127.x).
 * @param {string | null | undefined} text
 */
export function isLoopbackAddress(text) {
  const ip = text ? parseIp(text.trim()) : null;
  return ip !== null && inRanges(ip, LOOPBACK);
}

/**
 * A forwarded entry may carry a port ("203.0.113.7:4711", "[2001:db8::7]:443").
 * @param {string} entry
 */
function stripPort(entry) {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(entry);
  if (bracketed?.[1]) return bracketed[1];
  const v4WithPort = /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(entry);
  return v4WithPort?.[1] ?? entry;
}

/**
 * The client's address. An untrusted peer is the client, whatever it sent. A trusted peer (a proxy
 * of ours) vouches for the entry it appended to X-Forwarded-For, so the list is walked from the
 * right while the hops are trusted; the first untrusted hop is the client. Entries further left
 * were written by the client and are never read. A malformed entry stops the walk at the proxy
 * that passed it on.
 * @param {{ socketAddress: string | null | undefined; forwardedFor: string | string[] | null | undefined }} request
 * @param {readonly IpRange[]} trusted
 */
export function resolveClientAddress(request, trusted) {
  const peer = request.socketAddress ? parseIp(request.socketAddress) : null;
  if (!peer) return null;
  let current = peer;
  if (trusted.length > 0 && inRanges(peer, trusted)) {
    const header = Array.isArray(request.forwardedFor) ? request.forwardedFor.join(",") : (request.forwardedFor ?? "");
    const hops = header
      .split(",")
      .map((hop) => hop.trim())
      .filter(Boolean);
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = parseIp(stripPort(hops[i] ?? ""));
      if (!hop) break;
      current = hop;
      if (!inRanges(hop, trusted)) break;
    }
  }
  return formatIp(current);
}

/**
 * Whether the socket's peer is one of the proxies the operator trusts (TRUSTED_PROXIES).
 * @param {string | null | undefined} socketAddress
 * @param {readonly IpRange[]} trusted
 */
export function isTrustedPeer(socketAddress, trusted) {
  const peer = socketAddress ? parseIp(socketAddress) : null;
  return peer !== null && trusted.length > 0 && inRanges(peer, trusted);
}

/** The one header the app reads the address from, written by the server entry on every request. */
export const CLIENT_ADDRESS_HEADER = "x-forwarded-for";

/**
 * Rewrites a Node request in place before Next sees it: X-Forwarded-For becomes the single computed
 * address and X-Real-IP is dropped, so no client-written address reaches the app.
 * @param {{ headers: Record<string, string | string[] | undefined>; socket: { remoteAddress?: string | undefined } }} req
 * @param {readonly IpRange[]} trusted
 */
export function applyClientAddress(req, trusted) {
  const address = resolveClientAddress({ socketAddress: req.socket.remoteAddress, forwardedFor: req.headers[CLIENT_ADDRESS_HEADER] }, trusted);
  if (address) req.headers[CLIENT_ADDRESS_HEADER] = address;
  else delete req.headers[CLIENT_ADDRESS_HEADER];
  delete req.headers["x-real-ip"];
}

const ENTRY_MARK = Symbol.for("canopy.client-address-from-entry");

/** Called by the server entry: from now on this process's X-Forwarded-For is the computed address. */
export function markClientAddressTrusted() {
  /** @type {Record<symbol, unknown>} */ (globalThis)[ENTRY_MARK] = true;
}

let warned = false;

/**
 * The client address of a request served by this process, or null when unknown. Read only when
 * the server entry wrote the header: under a bare `next start` it would be whatever the client sent.
 * @param {Headers | Record<string, unknown> | undefined} headers
 */
export function requestClientAddress(headers) {
  if (/** @type {Record<symbol, unknown>} */ (globalThis)[ENTRY_MARK] !== true) {
    if (!warned) {
      warned = true;
      log.warn("the server was not started through scripts/serve.mjs: client addresses are unknown, so all clients share one per-address budget");
    }
    return null;
  }
  const value = headers instanceof Headers ? headers.get(CLIENT_ADDRESS_HEADER) : headers?.[CLIENT_ADDRESS_HEADER];
  return typeof value === "string" ? normalizeIp(value) : null;
}

/**
 * The key an address is counted under. An IPv6 client usually holds a whole /64 and can pick any
 * address in it, so IPv6 addresses count per /64; IPv4 addresses count one by one.
 * @param {string | null} address
 */
export function addressKey(address) {
  const ip = address ? parseIp(address) : null;
  if (!ip) return "unknown";
  if (ip.version === 4) return formatIp(ip);
  return `${formatIp({ version: 6, value: (ip.value >> 64n) << 64n })}/64`;
}
