import type { Analysis, Direction } from '../compile/compile.js';
import type { Endpoint, PodEndpoint } from '../compile/endpoint.js';
import type { Pod, Protocol } from '../model/types.js';
import { identifyingLabels } from '../primitives/identifying-labels.js';
import { labelsSelector, selectorMatches } from '../primitives/selector.js';
import { labelsText } from '../primitives/selector-syntax.js';
import { CLUSTER_DNS, policyName, scaffoldPolicy } from './scaffold.js';
import { scaffoldRequests, type TemplateArgs } from './scaffold-args.js';

/** A scaffold that would allow a flow in one direction: `kubectl netpol scaffold ARGS -n NAMESPACE`. */
export interface ScaffoldFix {
  readonly namespace: string;
  readonly args: TemplateArgs;
}

/** Whether a pod is a cluster DNS pod (CoreDNS or kube-dns, k8s-app=kube-dns in kube-system). */
export function isClusterDnsPod(pod: Pod): boolean {
  return (
    pod.namespace === CLUSTER_DNS.namespace &&
    selectorMatches(labelsSelector(CLUSTER_DNS.podLabels), pod.labels)
  );
}

/** The arguments naming the other side of the flow: its pods by label, or its one address. */
function peerArgs(
  peer: Endpoint,
  namespace: string,
  ingress: boolean,
): Partial<TemplateArgs> | undefined {
  if (peer.kind === 'pod' && !peer.pod.hostNetwork) {
    const pods = labelsText(identifyingLabels(peer.pod));
    const other = peer.pod.namespace !== namespace ? peer.pod.namespace : undefined;
    return ingress
      ? { from: pods, ...(other ? { fromNamespace: other } : {}) }
      : { to: pods, ...(other ? { toNamespace: other } : {}) };
  }
  // Host-network pods send and receive with their node's address: only an ipBlock matches them.
  const ip = peer.kind === 'external' ? peer.ip : peer.pod.ips[0];
  if (ip === undefined) return undefined;
  const cidr = `${ip}/${ip.includes(':') ? 128 : 32}`;
  return ingress ? { fromCidr: cidr } : { toCidr: cidr };
}

/** The fix with a name of its own when the template's default name is taken in the namespace. */
function withFreeName(analysis: Analysis, fix: ScaffoldFix): ScaffoldFix {
  const taken = (name: string) =>
    analysis.cluster.policies.some((p) => p.namespace === fix.namespace && p.name === name);
  const requests = scaffoldRequests(fix.args, fix.namespace);
  const [policy] = requests.ok ? requests.value.map(scaffoldPolicy) : [];
  if (!policy || !taken(policy.name)) return fix;
  const name = policy.name;
  let n = 2;
  while (taken(policyName(name.slice(0, 59), `${n}`))) n++;
  return { ...fix, args: { ...fix.args, name: policyName(name.slice(0, 59), `${n}`) } };
}

/**
 * The smallest scaffold that allows a denied direction of a flow: an allow rule between the two
 * pods' identifying labels (or the peer's address) on the one port, or allow-dns for the
 * cluster DNS. Undefined when the peer is a host-network pod without an address.
 */
export function scaffoldFix(
  analysis: Analysis,
  direction: Direction,
  subject: PodEndpoint,
  peer: Endpoint,
  port: { readonly protocol: Protocol; readonly port: number; readonly dns: boolean },
): ScaffoldFix | undefined {
  const namespace = subject.pod.namespace;
  if (port.dns) return withFreeName(analysis, { namespace, args: { template: 'allow-dns' } });
  const ingress = direction === 'ingress';
  const peerPart = peerArgs(peer, namespace, ingress);
  if (!peerPart) return undefined;
  const own = labelsText(identifyingLabels(subject.pod));
  const args: TemplateArgs = ingress
    ? { template: 'allow', to: own, ...peerPart }
    : { template: 'allow', direction: 'egress', from: own, ...peerPart };
  return withFreeName(analysis, {
    namespace,
    args: { ...args, port: `${port.port}/${port.protocol}` },
  });
}
