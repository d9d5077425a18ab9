/**
 * Domain names as ClusterNetworkPolicy `domainNames` peers match them (v1alpha2 DomainName): an
 * exact name, or `*.` followed by a name, matching one or more whole labels in front of it but
 * not the name itself. DNS names compare without regard to case (RFC 4343), and a final dot
 * (the fully qualified form) names the same host.
 */

/** A host name of two or more labels, optionally fully qualified: what a hostname target is. */
const HOSTNAME = /^([a-z0-9]([-a-z0-9_]*[a-z0-9])?\.)+[a-z]([-a-z0-9_]*[a-z0-9])?\.?$/i;

/** A name in the form it is compared in: lower case, without the final dot. */
export function canonicalDomainName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/**
 * Whether text is a host name a client could resolve: labels separated by dots, at least two,
 * the last not all digits (so an IPv4 address or a typo of one is never a host name).
 */
export function isHostname(text: string): boolean {
  return text.length <= 254 && HOSTNAME.test(text);
}

/** Whether a domainNames entry (`kubernetes.io`, `*.kubernetes.io`) matches a host name. */
export function domainNameMatches(pattern: string, hostname: string): boolean {
  const name = canonicalDomainName(hostname);
  const wanted = canonicalDomainName(pattern);
  if (!wanted.startsWith('*.')) return name === wanted;
  // `*.` stands for one or more labels: the name has at least one label before the suffix.
  const suffix = wanted.slice(1);
  return name.endsWith(suffix) && name.length > suffix.length;
}
