import type { Analysis } from '../compile/compile.js';
import { candidateNamespaces, candidatePods, peerMatchesPod } from '../evaluate/peer-match.js';
import type { ContainerPort, Pod, Protocol } from '../model/types.js';
import { likelyTypo } from '../primitives/label-difference.js';
import { selectorMatches } from '../primitives/selector.js';
import type { AuditFinding } from './types.js';
import { effectiveRules, type LocatedRule, policyObject } from './walk.js';

/**
 * Whether a pod is one of a rule's destinations (see destinations), asked of one pod. Every
 * pod's namespace is in the analysis, so a peer that matches a pod also lists it as a candidate.
 */
function isDestination(analysis: Analysis, { policy, rule }: LocatedRule, podIdx: number): boolean {
  const pod = analysis.pods[podIdx];
  if (!pod || pod.hostNetwork) return false;
  const namespace = policy.ref.namespace;
  if (rule.direction === 'ingress') {
    return pod.namespace === namespace && selectorMatches(policy.policy.podSelector, pod.labels);
  }
  return (
    rule.peers.length === 0 ||
    rule.peers.some((peer) => peerMatchesPod(analysis, peer, namespace, podIdx))
  );
}

/**
 * The pods a rule's named ports resolve on: the selected pods (ingress), the peers' (egress),
 * each found among its candidates as isDestination says.
 */
function destinations(analysis: Analysis, located: LocatedRule): Pod[] {
  const { policy, rule } = located;
  const namespace = policy.ref.namespace;
  const candidates =
    rule.direction === 'ingress'
      ? (analysis.podsByNamespace.get(namespace) ?? [])
      : rule.peers.length === 0
        ? analysis.pods.map((_, idx) => idx)
        : rule.peers.flatMap((peer) => candidatePods(analysis, peer, namespace));
  return [...new Set(candidates)].flatMap((idx) => {
    const pod = analysis.pods[idx];
    return pod && isDestination(analysis, located, idx) ? [pod] : [];
  });
}

/** The pods declaring each named port, by `PROTOCOL/name`: in the cluster, and per namespace. */
interface DeclaringPods {
  readonly anywhere: ReadonlyMap<string, readonly number[]>;
  readonly byNamespace: ReadonlyMap<string, ReadonlyMap<string, readonly number[]>>;
}

function podsByNamedPort(analysis: Analysis): DeclaringPods {
  const anywhere = new Map<string, number[]>();
  const byNamespace = new Map<string, Map<string, number[]>>();
  const add = (index: Map<string, number[]>, key: string, podIdx: number) => {
    const pods = index.get(key);
    if (pods) pods.push(podIdx);
    else index.set(key, [podIdx]);
  };
  analysis.pods.forEach((pod, podIdx) => {
    for (const { name, protocol } of pod.ports) {
      if (name === undefined) continue;
      const key = `${protocol}/${name}`;
      add(anywhere, key, podIdx);
      let inNamespace = byNamespace.get(pod.namespace);
      if (!inNamespace) {
        inNamespace = new Map();
        byNamespace.set(pod.namespace, inNamespace);
      }
      add(inNamespace, key, podIdx);
    }
  });
  return { anywhere, byNamespace };
}

/**
 * The tables of declaring pods a rule's destinations are among: the policy's namespace for
 * ingress; for egress, the namespaces its peers see (a peer such as an ipBlock sees all).
 */
function declaringTables(
  analysis: Analysis,
  declaring: DeclaringPods,
  { policy, rule }: LocatedRule,
): readonly (ReadonlyMap<string, readonly number[]> | undefined)[] {
  const namespace = policy.ref.namespace;
  if (rule.direction === 'ingress') return [declaring.byNamespace.get(namespace)];
  const seen = rule.peers.map((peer) => candidateNamespaces(analysis, peer, namespace));
  if (rule.peers.length === 0 || seen.includes(undefined)) return [declaring.anywhere];
  const namespaces = new Set(seen.flatMap((names) => names ?? []));
  return [...namespaces].map((name) => declaring.byNamespace.get(name));
}

/** A declared port that is probably the one meant: the same name for another protocol, or a typo. */
function similarPort(
  ports: readonly ContainerPort[],
  name: string,
  protocol: Protocol,
): { name: string; protocol: Protocol } | undefined {
  const named = ports.filter((p): p is ContainerPort & { name: string } => p.name !== undefined);
  // Thousands of pods declare a few dozen names: each is compared once.
  const typos = new Map<string, boolean>();
  const isTypo = (declared: string) => {
    const known = typos.get(declared);
    if (known !== undefined) return known;
    const typo = likelyTypo(declared, name);
    typos.set(declared, typo);
    return typo;
  };
  const match =
    named.find((p) => p.name === name) ??
    named.find((p) => p.protocol === protocol && isTypo(p.name));
  return match ? { name: match.name, protocol: match.protocol } : undefined;
}

/**
 * Named ports that none of the pods they resolve on declares (for ingress rules the pods the
 * policy selects, for egress rules the pods the peers match), so the port entry matches
 * nothing. An error when those pods declare a port that is probably the one meant, a warning
 * otherwise. Rules whose pods are all absent from the snapshot are not judged.
 */
export function namedPortFindings(analysis: Analysis): AuditFinding[] {
  const declaring = podsByNamedPort(analysis);
  return effectiveRules(analysis).flatMap((located) => {
    const named = located.rule.ports.flatMap((port, portIndex) =>
      typeof port.port === 'string'
        ? [{ name: port.port, protocol: port.protocol, portIndex }]
        : [],
    );
    // Most named ports are declared by one of the rule's destinations, found without listing
    // every destination (thousands for a wide peer): among the pods declaring the port in the
    // namespaces the destinations are in.
    const declaringHere = declaringTables(analysis, declaring, located);
    const declared = ({ name, protocol }: { name: string; protocol: Protocol }) =>
      declaringHere.some((table) =>
        (table?.get(`${protocol}/${name}`) ?? []).some((podIdx) =>
          isDestination(analysis, located, podIdx),
        ),
      );
    if (named.every(declared)) return [];
    const pods = destinations(analysis, located);
    if (pods.length === 0) return [];
    const ports = pods.flatMap((pod) => pod.ports);
    return named.flatMap(({ name, protocol, portIndex }): AuditFinding[] => {
      if (ports.some((p) => p.name === name && p.protocol === protocol)) return [];
      const match = similarPort(ports, name, protocol);
      return [
        {
          code: 'unknown-named-port',
          severity: match ? 'error' : 'warning',
          namespace: located.policy.ref.namespace,
          rule: located.ref,
          portIndex,
          port: name,
          protocol,
          podsChecked: pods.length,
          ...(match ? { similar: match } : {}),
          objects: [policyObject(located.policy.ref)],
          fixes:
            match && match.protocol === protocol
              ? [{ kind: 'set-port', rule: located.ref, portIndex, port: match.name }]
              : [],
        },
      ];
    });
  });
}
