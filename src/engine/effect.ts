import { compileCluster } from './compile.js';
import { computeMatrix } from './matrix.js';
import { type PortSet, portSetAllows, portSetKey, unionPortSets } from './port-set.js';
import { CLUSTER_DNS } from './scaffold.js';
import { labelsSelector, selectorMatches } from './selector.js';
import type { Cluster, NetworkPolicy } from './types.js';

/** A pair of pods whose allowed connections change. */
export interface FlowChange {
  readonly from: string;
  readonly to: string;
  readonly before: PortSet;
  readonly after: PortSet;
}

/** What adding policies to a cluster would change. */
export interface PolicyEffect {
  /** Pairs that gain ports. */
  readonly opened: readonly FlowChange[];
  /** Pairs that lose ports. */
  readonly closed: readonly FlowChange[];
  /** Pods that could resolve names through the cluster DNS before and cannot after. */
  readonly dnsBlocked: readonly string[];
  /** False when the snapshot holds no cluster DNS pods, so DNS could not be judged. */
  readonly dnsKnown: boolean;
}

/** The cluster with the policies added (a policy of the same namespace and name is replaced). */
export function withPolicies(cluster: Cluster, added: readonly NetworkPolicy[]): Cluster {
  const replaced = new Set(added.map((p) => `${p.namespace}/${p.name}`));
  return {
    ...cluster,
    policies: [
      ...cluster.policies.filter((p) => !replaced.has(`${p.namespace}/${p.name}`)),
      ...added,
    ],
  };
}

/** Computes, with the engine, every flow that adding the policies opens or closes. */
export function policyEffect(cluster: Cluster, added: readonly NetworkPolicy[]): PolicyEffect {
  const before = compileCluster(cluster);
  const after = compileCluster(withPolicies(cluster, added));
  const matrixBefore = computeMatrix(before);
  const matrixAfter = computeMatrix(after);
  const opened: FlowChange[] = [];
  const closed: FlowChange[] = [];
  const verdicts = new Map<string, { opens: boolean; closes: boolean }>();
  const pods = before.pods;
  const dnsPods = pods.flatMap((pod, idx) =>
    pod.namespace === CLUSTER_DNS.namespace &&
    selectorMatches(labelsSelector(CLUSTER_DNS.podLabels), pod.labels)
      ? [idx]
      : [],
  );
  const dnsBlocked: string[] = [];
  pods.forEach((from, i) => {
    let resolvedBefore = false;
    let resolvedAfter = false;
    pods.forEach((to, j) => {
      const a = matrixBefore.connections(i, j);
      const b = matrixAfter.connections(i, j);
      if (dnsPods.includes(j)) {
        resolvedBefore ||= portSetAllows(a, 'UDP', 53);
        resolvedAfter ||= portSetAllows(b, 'UDP', 53);
      }
      const key = `${portSetKey(a)}>${portSetKey(b)}`;
      let verdict = verdicts.get(key);
      if (!verdict) {
        const union = portSetKey(unionPortSets([a, b]));
        verdict = { opens: union !== portSetKey(a), closes: union !== portSetKey(b) };
        verdicts.set(key, verdict);
      }
      if (verdict.opens) opened.push({ from: from.id, to: to.id, before: a, after: b });
      if (verdict.closes) closed.push({ from: from.id, to: to.id, before: a, after: b });
    });
    if (resolvedBefore && !resolvedAfter) dnsBlocked.push(from.id);
  });
  return { opened, closed, dnsBlocked, dnsKnown: dnsPods.length > 0 };
}
