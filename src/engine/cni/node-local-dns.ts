import type { Workload } from '../model/types.js';
import { parseIpAddress } from '../primitives/ip-block.js';

/** The link-local address NodeLocal DNSCache listens on unless configured otherwise. */
export const NODE_LOCAL_DNS_ADDRESS = '169.254.20.10';

/** NodeLocal DNSCache as a snapshot shows it: where pods send their lookups, and what runs it. */
export interface NodeLocalDns {
  readonly address: string;
  readonly workloads: readonly Pick<Workload, 'kind' | 'namespace' | 'name'>[];
}

const IMAGE = /(^|\/)k8s-dns-node-cache(:|@|$)/;

/** The first address of node-cache's `-localip a,b` (or `-localip=a,b`), when it is one. */
function localIp(args: readonly string[]): string | undefined {
  const at = args.findIndex((arg) => /^--?localip$/.test(arg));
  const value =
    at >= 0 ? args[at + 1] : args.find((arg) => /^--?localip=/.test(arg))?.split('=')[1];
  const first = value?.split(',')[0]?.trim();
  return first && parseIpAddress(first) ? first : undefined;
}

/**
 * NodeLocal DNSCache, recognised by its node-cache image or the node-local-dns DaemonSet: a
 * host-network cache on every node that pods query at a link-local address (169.254.20.10 by
 * default, else its -localip). Undefined when the snapshot shows none.
 */
export function detectNodeLocalDns(workloads: readonly Workload[]): NodeLocalDns | undefined {
  const found = workloads.filter(
    (w) =>
      (w.kind === 'DaemonSet' && w.name === 'node-local-dns') ||
      w.containers.some((c) => IMAGE.test(c.image)),
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
