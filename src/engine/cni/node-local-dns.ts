import type { Pod, Workload } from '../model/types.js';
import { type IpAddress, parseIpAddress } from '../primitives/ip-block.js';

/** The link-local address NodeLocal DNSCache listens on unless configured otherwise. */
export const NODE_LOCAL_DNS_ADDRESS = '169.254.20.10';

/** NodeLocal DNSCache as a snapshot shows it: where pods send their lookups, and what runs it. */
export interface NodeLocalDns {
  readonly address: string;
  readonly workloads: readonly Pick<Workload, 'kind' | 'namespace' | 'name'>[];
}

const IMAGE = /(^|\/)k8s-dns-node-cache(:|@|$)/;

/**
 * The label the upstream manifest gives the DaemonSet and its pods (kubernetes/kubernetes
 * cluster/addons/dns/nodelocaldns/nodelocaldns.yaml: `k8s-app: node-local-dns`).
 */
const LABEL = { key: 'k8s-app', value: 'node-local-dns' } as const;

/**
 * Whether an address is link-local (169.254.0.0/16, fe80::/10), where node-cache binds the address
 * pods query (169.254.20.10 by default). Worked out by bits, not by parsing the ranges: the engine
 * parses no address as it loads (a shell's Tab loads it).
 */
function isLinkLocal(address: IpAddress): boolean {
  return address.family === 4 ? address.value >> 16n === 0xa9fen : address.value >> 118n === 0x3fan;
}

/** The first address of node-cache's `-localip a,b` (or `-localip=a,b`), when it is one. */
function localIp(args: readonly string[]): string | undefined {
  const at = args.findIndex((arg) => /^--?localip$/.test(arg));
  const value =
    at >= 0 ? args[at + 1] : args.find((arg) => /^--?localip=/.test(arg))?.split('=')[1];
  const first = value?.split(',')[0]?.trim();
  return first && parseIpAddress(first) ? first : undefined;
}

/** Whether a container binds a link-local address with node-cache's -localip. */
function bindsLinkLocal(args: readonly string[]): boolean {
  // Most containers have no -localip: nothing to parse (parsing '' runs ipaddr.js's parsers).
  const text = localIp(args);
  const address = text === undefined ? undefined : parseIpAddress(text);
  return address !== undefined && isLinkLocal(address);
}

/**
 * NodeLocal DNSCache, recognised by the node-local-dns DaemonSet, by pods labelled as its
 * upstream manifest labels them (`labelled`: the snapshot's pods), or by a container running its
 * node-cache image or binding a link-local -localip: a host-network cache on every node that pods
 * query at a link-local address (169.254.20.10 by default, else its -localip). Undefined when
 * the snapshot shows none.
 */
export function detectNodeLocalDns(
  workloads: readonly Workload[],
  labelled: readonly Pick<Pod, 'kind' | 'namespace' | 'name' | 'labels'>[] = [],
): NodeLocalDns | undefined {
  const key = (o: Pick<Workload, 'kind' | 'namespace' | 'name'>) =>
    `${o.kind}/${o.namespace}/${o.name}`;
  const byLabel = new Set(labelled.filter((pod) => pod.labels[LABEL.key] === LABEL.value).map(key));
  const found = workloads.filter(
    (w) =>
      (w.kind === 'DaemonSet' && w.name === 'node-local-dns') ||
      byLabel.has(key(w)) ||
      w.containers.some((c) => IMAGE.test(c.image) || bindsLinkLocal(c.args)),
  );
  const owned = found.filter((w) => w.owner === undefined);
  const shown = owned.length > 0 ? owned : found.slice(0, 1);
  const [first] = shown;
  if (!first) return undefined;
  const address =
    found.flatMap((w) => w.containers.flatMap((c) => localIp(c.args) ?? []))[0] ??
    NODE_LOCAL_DNS_ADDRESS;
  return {
    address,
    workloads: shown.map(({ kind, namespace, name }) => ({ kind, namespace, name })),
  };
}
