import type { Analysis, CompiledPeer, CompiledRule, Direction } from '../compile/compile.js';
import { podEndpoint } from '../compile/endpoint.js';
import type { Pod } from '../model/types.js';
import { EMPTY_PORT_SET, type PortSet, unionPortSets } from '../primitives/port-set.js';
import { ConnectionEvaluator, endpointPeerPredicate, restrictingPolicies } from './connections.js';
import type { PeerIndex } from './peer-index.js';
import { peerMatchesPod } from './peer-match.js';
import { resolveNamedPort, rulePortSet } from './port-match.js';
import { PortSetTable } from './port-set-table.js';

/** A pod on the other side of allowed traffic, with the connections both sides allow. */
export interface ReachablePod {
  readonly pod: string;
  readonly connections: PortSet;
}

/** The named-port values a pod gives to the rules' named ports: part of a memo key. */
function namedPortSignature(rules: readonly CompiledRule[], pod: Pod): string {
  let signature = '';
  for (const rule of rules) {
    for (const port of rule.ports) {
      if (typeof port.port === 'string') {
        signature += `${resolveNamedPort(port.port, port.protocol, pod.ports) ?? '-'},`;
      }
    }
  }
  return signature;
}

/** Which policies restrict each pod in a direction, numbered; the far side's memo key. */
interface PolicyProfiles {
  readonly ids: Int32Array;
  /** The profile of pods no policy restricts. */
  readonly unrestricted: number;
  /** Per profile, the ingress rules with named ports (they resolve on the far pod itself). */
  readonly namedPortRules: readonly (readonly CompiledRule[])[];
}

function policyProfiles(analysis: Analysis, direction: Direction): PolicyProfiles {
  const numbers = new Map<string, number>();
  const namedPortRules: CompiledRule[][] = [];
  const ids = new Int32Array(analysis.pods.length);
  analysis.pods.forEach((_, idx) => {
    const policies = restrictingPolicies(analysis, podEndpoint(analysis, idx), direction);
    const key = policies.map((p) => p.id).join(',');
    let id = numbers.get(key);
    if (id === undefined) {
      id = numbers.size;
      numbers.set(key, id);
      namedPortRules.push(
        direction === 'ingress'
          ? policies
              .flatMap((p) => p.ingress)
              .filter((r) => r.ports.some((port) => typeof port.port === 'string'))
          : [],
      );
    }
    ids[idx] = id;
  });
  return { ids, unrestricted: numbers.get('') ?? -1, namedPortRules };
}

/**
 * The pods that may reach a pod (ingress) or that it may reach (egress), with the connections
 * both sides allow. The subject's own rules are matched once per peer; answers are memoised
 * on which rules a pod hits and, for the far side, on the far pod's own policies.
 */
export function reachablePods(
  analysis: Analysis,
  podIdx: number,
  direction: Direction,
  peerIndex?: PeerIndex,
): ReachablePod[] {
  const subject = podEndpoint(analysis, podIdx);
  const far: Direction = direction === 'ingress' ? 'egress' : 'ingress';
  const table = new PortSetTable();
  const evaluator = new ConnectionEvaluator(analysis, table);
  const subjectAsPeer = endpointPeerPredicate(analysis, subject);
  const nearPolicies = restrictingPolicies(analysis, subject, direction);
  const nearRules = nearPolicies.flatMap((p) => (direction === 'ingress' ? p.ingress : p.egress));
  const namespaceOf = new Map(
    nearPolicies.flatMap((p) =>
      [...p.ingress, ...p.egress].flatMap((r) =>
        r.peers.map((peer) => [peer, p.ref.namespace] as const),
      ),
    ),
  );
  const members = new Map<CompiledPeer, Uint8Array>();
  const matches = (peer: CompiledPeer, other: number) => {
    let set = members.get(peer);
    if (!set) {
      set = new Uint8Array(analysis.pods.length);
      const indexed = peerIndex?.podsOf[peerIndex.idOf.get(peer) ?? -1];
      if (indexed) for (const idx of indexed) set[idx] = 1;
      else {
        const namespace = namespaceOf.get(peer) as string;
        for (let idx = 0; idx < set.length; idx++)
          set[idx] = peerMatchesPod(analysis, peer, namespace, idx) ? 1 : 0;
      }
      members.set(peer, set);
    }
    return set[other] === 1;
  };
  const profiles = policyProfiles(analysis, far);
  const nearAnswers = new Map<number | string, number>();
  const farAnswers = new Map<number | string, number>();
  const pods: ReachablePod[] = [];
  analysis.pods.forEach((pod, other) => {
    if (other === podIdx) return;
    const destination = direction === 'ingress' ? subject.pod : pod;
    let near = PortSetTable.FULL;
    if (nearPolicies.length > 0) {
      // Which rules this pod hits, as a number (exact for up to 52 rules) or a list beyond.
      const hit: CompiledRule[] = [];
      let mask = 0;
      nearRules.forEach((rule, r) => {
        if (rule.peers.length > 0 && !rule.peers.some((peer) => matches(peer, other))) return;
        hit.push(rule);
        mask += r < 52 ? 2 ** r : 0;
      });
      const hits =
        nearRules.length < 52 ? mask : hit.map((rule) => nearRules.indexOf(rule)).join(',');
      const named =
        direction === 'egress' &&
        hit.some((rule) => rule.ports.some((p) => typeof p.port === 'string'));
      const key = named ? `${hits}|${namedPortSignature(hit, pod)}` : hits;
      const known = nearAnswers.get(key);
      if (known === undefined) {
        const sets = hit.map((rule) => rulePortSet(rule.ports, destination.ports));
        near = table.intern(sets.length === 0 ? EMPTY_PORT_SET : unionPortSets(sets));
        nearAnswers.set(key, near);
      } else near = known;
    }
    if (near === PortSetTable.EMPTY) return;
    const profile = profiles.ids[other] as number;
    let farId = PortSetTable.FULL;
    if (profile !== profiles.unrestricted) {
      const namedRules = profiles.namedPortRules[profile] ?? [];
      const key =
        namedRules.length > 0 ? `${profile}|${namedPortSignature(namedRules, pod)}` : profile;
      const known = farAnswers.get(key);
      farId =
        known ??
        evaluator.side(far, podEndpoint(analysis, other), subjectAsPeer, destination.ports);
      if (known === undefined) farAnswers.set(key, farId);
    }
    const id = table.intersect(near, farId);
    if (id !== PortSetTable.EMPTY) pods.push({ pod: pod.id, connections: table.get(id) });
  });
  return pods;
}
