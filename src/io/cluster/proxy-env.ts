import { BlockList, isIP } from 'node:net';

/** The value of the first of these variables that is set and not empty. */
function firstSet(env: NodeJS.ProcessEnv, names: readonly string[]): string | undefined {
  return names.map((name) => env[name]?.trim()).find((value) => !!value);
}

/** A proxy variable's value as a URL: "host:3128" means http://host:3128, as in Go. */
function proxyUrl(value: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
}

function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  const family = isIP(host);
  if (family === 0) return false;
  const loopback = new BlockList();
  loopback.addSubnet('127.0.0.0', 8, 'ipv4');
  loopback.addAddress('::1', 'ipv6');
  return loopback.check(host, family === 4 ? 'ipv4' : 'ipv6');
}

/** Whether one NO_PROXY entry (CIDR, IP, domain, each with an optional port) covers host:port. */
function excludes(entry: string, host: string, port: string): boolean {
  const [prefix, bits] = entry.split('/');
  if (bits !== undefined && prefix && isIP(prefix)) {
    const family = isIP(host);
    if (family === 0 || family !== isIP(prefix)) return false;
    const type = family === 4 ? 'ipv4' : 'ipv6';
    const range = new BlockList();
    range.addSubnet(prefix, Number(bits), type);
    return range.check(host, type);
  }
  if (isIP(entry)) return entry === host;
  const portMatch = /^(.*):(\d+)$/.exec(entry);
  const [name, wantedPort] = portMatch ? [portMatch[1] ?? '', portMatch[2]] : [entry, undefined];
  if (wantedPort && wantedPort !== port) return false;
  if (isIP(name.replace(/^\[|\]$/g, ''))) return name.replace(/^\[|\]$/g, '') === host;
  const domain = name.replace(/^\*\./, '.');
  if (domain.startsWith('.')) return host.endsWith(domain) || host === domain.slice(1);
  return host === domain || host.endsWith(`.${domain}`);
}

/**
 * The proxy kubectl would use for a server from HTTPS_PROXY / HTTP_PROXY (by the server's
 * scheme) and NO_PROXY, in either case, as Go's ProxyFromEnvironment reads them: never for
 * localhost or a loopback address; NO_PROXY holds "*", IPs, CIDRs and domains (a domain
 * covers its subdomains), each optionally with a port.
 */
export function proxyFromEnvironment(server: URL, env: NodeJS.ProcessEnv): string | undefined {
  const https = server.protocol === 'https:';
  const proxy = firstSet(
    env,
    https ? ['HTTPS_PROXY', 'https_proxy'] : ['HTTP_PROXY', 'http_proxy'],
  );
  if (!proxy) return undefined;
  const host = server.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (isLoopback(host)) return undefined;
  const port = server.port || (https ? '443' : '80');
  const noProxy = (firstSet(env, ['NO_PROXY', 'no_proxy']) ?? '')
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '');
  if (noProxy.some((entry) => entry === '*' || excludes(entry, host, port))) return undefined;
  return proxyUrl(proxy);
}
