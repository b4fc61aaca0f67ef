import { Resolver } from "node:dns/promises";
import { env } from "@/lib/env";

export const CHALLENGE_LABEL = "_canopy-challenge";

export const cnameTarget = () => env().CANOPY_CNAME_TARGET ?? `cname.${env().ROOT_DOMAIN}`;

export function dnsRecordsFor(domain: string, token: string) {
  return [
    { type: "TXT" as const, name: `${CHALLENGE_LABEL}.${domain}`, value: token, purpose: "Proves you control the domain" },
    { type: "CNAME" as const, name: domain, value: cnameTarget(), purpose: "Sends the domain's traffic to Canopy" },
  ];
}

/** A resolver that asks DNS_SERVERS when set (tests run a DNS server on loopback), else the system's. */
export function domainResolver(servers = env().DNS_SERVERS): Resolver {
  const resolver = new Resolver({ timeout: 2000, tries: 2 });
  if (servers?.length) resolver.setServers(servers);
  return resolver;
}

type Lookup<T> = { ok: true; value: T } | { ok: false; missing: boolean };

/** NXDOMAIN and NODATA are answers ("not there"); timeouts and SERVFAIL are not, so they never count against a domain. */
async function lookup<T>(fn: () => Promise<T>): Promise<Lookup<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    const code = (error as { code?: string }).code;
    return { ok: false, missing: code === "ENODATA" || code === "ENOTFOUND" || code === "NOTFOUND" };
  }
}

const bare = (name: string) => name.toLowerCase().replace(/\.$/, "");

export type DnsCheck = { verified: boolean; txt: boolean; cname: boolean; inconclusive: boolean; problems: string[] };

export type TxtCheck = { ok: boolean; inconclusive: boolean; problem: string | null };

/** Whether the TXT record at `name` holds `token` (one of its strings, chunks joined). */
export async function checkTxtRecord(name: string, token: string, resolver: Resolver = domainResolver()): Promise<TxtCheck> {
  const txt = await lookup(() => resolver.resolveTxt(name));
  const ok = txt.ok && txt.value.some((chunks) => chunks.join("") === token);
  const problem = ok ? null : txt.ok || txt.missing ? `TXT ${name} does not hold the verification token` : `TXT ${name} could not be looked up`;
  return { ok, inconclusive: !txt.ok && !txt.missing, problem };
}

export async function checkDomainRecords(domain: string, token: string, resolver: Resolver = domainResolver()): Promise<DnsCheck> {
  const target = cnameTarget();
  const [txt, cname] = await Promise.all([checkTxtRecord(`${CHALLENGE_LABEL}.${domain}`, token, resolver), lookup(() => resolver.resolveCname(domain))]);
  const cnameOk = cname.ok && cname.value.some((name) => bare(name) === target);
  const problems: string[] = [];
  if (txt.problem) problems.push(txt.problem);
  if (!cnameOk) problems.push(cname.ok || cname.missing ? `CNAME ${domain} does not point to ${target}` : `CNAME ${domain} could not be looked up`);
  const inconclusive = txt.inconclusive || (!cname.ok && !cname.missing);
  return { verified: txt.ok && cnameOk, txt: txt.ok, cname: cnameOk, inconclusive, problems };
}
