import { isIP } from 'node:net';
import type { SubjectAltNames } from '#pki';

const DNS_NAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

function hostOf(address: string): string | undefined {
  try {
    const url = new URL(address.includes('://') ? address : `tcp://${address}`);
    return url.hostname.replace(/^\[(.*)\]$/, '$1') || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The DNS/IP SANs of a validator certificate: the hosts of its p2p address and REST URL, plus
 * localhost for development. Peers dial these hosts, so the certificate must name them.
 */
export function validatorSans(p2pAddress: string | null, restUrl: string | null): SubjectAltNames {
  const dns = new Set<string>(['localhost']);
  const ips = new Set<string>(['127.0.0.1']);
  for (const address of [p2pAddress, restUrl]) {
    const host = address ? hostOf(address) : undefined;
    if (!host) continue;
    if (isIP(host)) ips.add(host);
    // A host that is not a valid DNS name cannot go into a SAN; peers cannot verify it anyway.
    else if (DNS_NAME.test(host)) dns.add(host.toLowerCase());
  }
  return { dns: [...dns], ips: [...ips] };
}
