/** Types of client-address.mjs (plain JavaScript so that the server entry needs no build step). */

/** An IP range: the network's address bits and the prefix length. */
export type IpRange = { version: 4 | 6; value: bigint; prefix: number };

/** The canonical text of an IP address (IPv4-mapped IPv6 as IPv4), or null if it is not one. */
export function normalizeIp(text: string | null | undefined): string | null;

/** "10.0.0.0/8", "2001:db8::/32", or a single address (a /32 or /128). Throws a message for the setting. */
export function parseIpRange(text: string): IpRange;

/** TRUSTED_PROXIES: comma-separated IPs and CIDR ranges; empty means only the socket counts. */
export function parseTrustedProxies(raw: string | undefined): IpRange[];

/** The client's address from the socket and, through trusted proxies only, X-Forwarded-For. */
export function resolveClientAddress(
  request: { socketAddress: string | null | undefined; forwardedFor: string | string[] | null | undefined },
  trusted: readonly IpRange[],
): string | null;

/** Whether an address is this machine's loopback (127.0.0.0/8, ::1, IPv4-mapped 127.x). */
export function isLoopbackAddress(text: string | null | undefined): boolean;
/** Whether the socket's peer is one of the trusted proxies. */
export function isTrustedPeer(socketAddress: string | null | undefined, trusted: readonly IpRange[]): boolean;

export const CLIENT_ADDRESS_HEADER: "x-forwarded-for";

/** Overwrites X-Forwarded-For with the computed address and drops X-Real-IP (server entry only). */
export function applyClientAddress(
  req: { headers: Record<string, string | string[] | undefined>; socket: { remoteAddress?: string | undefined } },
  trusted: readonly IpRange[],
): void;

/** Called by the server entry: this process's X-Forwarded-For is the computed address. */
export function markClientAddressTrusted(): void;

/** The request's client address, or null when unknown (never a client-written value). */
export function requestClientAddress(headers: Headers | Record<string, unknown> | undefined): string | null;

/** The key an address counts under: an IPv4 address, an IPv6 /64, or "unknown". */
export function addressKey(address: string | null): string;
