/**
 * The effect of a change computed the slow, obvious way: two full matrices, every pair
 * compared. The reference for the engine's policyEffect.
 */

import type { ConnectivityMatrix } from '../../src/engine/evaluate/matrix.js';
import type {
  Cluster,
  FamilyName,
  NetworkPolicy,
  Pod,
  PolicyEffect,
  PortSet,
  Protocol,
  ScaffoldedPolicy,
} from '../../src/engine/index.js';
import { compileCluster, computeMatrix, withPolicies } from '../../src/engine/index.js';
import { portSetAllows, portSetKey, unionPortSets } from '../../src/engine/primitives/port-set.js';
import { selectorMatches } from '../../src/engine/primitives/selector.js';
import { findClusterDns, servesDns } from '../../src/engine/scaffold/cluster-dns.js';
import type { FlowChange } from '../../src/engine/scaffold/effect.js';

/** Whether a rule's port list admits port 53 of a protocol (named ports name no DNS port). */
function admits53(ports: NetworkPolicy['egress'][number]['ports'], protocol: Protocol): boolean {
  return (
    ports.length === 0 ||
    ports.some(
      (p) =>
        p.protocol === protocol &&
        (p.port === undefined ||
          (typeof p.port === 'number' && p.port <= 53 && 53 <= (p.endPort ?? p.port))),
    )
  );
}

/**
 * Whether pod i resolves names over a protocol: to some cluster DNS pod on port 53 as the matrix
 * says, or, with no DNS pods in the snapshot, when its egress is not isolated or a rule of an
 * isolating policy admits port 53. Host-network pods are not judged.
 */
function resolves(cluster: Cluster, matrix: ConnectivityMatrix, i: number, protocol: Protocol) {
  const from = cluster.pods[i] as Pod;
  if (from.hostNetwork) return true;
  const { candidates } = findClusterDns(cluster);
  const dns = cluster.pods.flatMap((pod, j) =>
    candidates.some((c) => servesDns(c, pod)) && !pod.hostNetwork ? [j] : [],
  );
  if (dns.length > 0) return dns.some((j) => portSetAllows(matrix.connections(i, j), protocol, 53));
  const isolating = cluster.policies.filter(
    (p) =>
      p.namespace === from.namespace &&
      p.policyTypes.includes('Egress') &&
      selectorMatches(p.podSelector, from.labels),
  );
  return (
    isolating.length === 0 ||
    isolating.some((p) => p.egress.some((rule) => admits53(rule.ports, protocol)))
  );
}

const FAMILIES = ['IPv4', 'IPv6'] as const;

/** A pair's connections over each address family (the same for both unless the matrix splits them). */
function familyConnections(matrix: ConnectivityMatrix, i: number, j: number) {
  const families = matrix.familyIds?.(i, j);
  const over = (family: FamilyName) =>
    families ? matrix.portSet(families[family].connectionId) : matrix.connections(i, j);
  return { IPv4: over('IPv4'), IPv6: over('IPv6') };
}

/**
 * The pairs that gain or lose ports (over some address family) when the policies are added, in pod order, and the pods
 * that lose DNS as `PROTOCOL pod`: UDP when they resolved names before and cannot after, TCP
 * when they still resolve over UDP but lose TCP.
 */
export function matrixEffect(
  cluster: Cluster,
  added: readonly ScaffoldedPolicy[],
): { opened: FlowChange[]; closed: FlowChange[]; dnsBlocked: string[] } {
  const changed = withPolicies(cluster, added);
  const before = computeMatrix(compileCluster(cluster));
  const after = computeMatrix(compileCluster(changed));
  const opened: FlowChange[] = [];
  const closed: FlowChange[] = [];
  const dnsBlocked: string[] = [];
  cluster.pods.forEach((from, i) => {
    cluster.pods.forEach((to, j) => {
      const [a, b] = [familyConnections(before, i, j), familyConnections(after, i, j)];
      const grows = (x: PortSet, y: PortSet) => portSetKey(unionPortSets([x, y])) !== portSetKey(x);
      const change = {
        from: from.id,
        to: to.id,
        before: before.connections(i, j),
        after: after.connections(i, j),
      };
      if (FAMILIES.some((family) => grows(a[family], b[family]))) opened.push(change);
      if (FAMILIES.some((family) => grows(b[family], a[family]))) closed.push(change);
    });
    const was = (p: Protocol) => resolves(cluster, before, i, p);
    const is = (p: Protocol) => resolves(changed, after, i, p);
    if (was('UDP') && !is('UDP')) dnsBlocked.push(`UDP ${from.id}`);
    else if (is('UDP') && !is('TCP') && was('UDP') && was('TCP')) dnsBlocked.push(`TCP ${from.id}`);
  });
  return { opened, closed, dnsBlocked };
}

/** The engine's DNS losses in the reference's form: `PROTOCOL pod`. */
export function dnsLosses(effect: PolicyEffect): string[] {
  return effect.dnsBlocked.flatMap((loss) => loss.pods.map((pod) => `${loss.protocol} ${pod}`));
}
