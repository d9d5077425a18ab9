import type { ClientScope, PeerRef, ServiceAddresses, ServiceIpCaveat } from '../engine/index.js';
import { ruleName } from './peers.js';
import { firstFewText, listText, terminalList, terminalText } from './terminal-text.js';

/** A peer of a rule in words: "peer 1 of shop/api egress rule 2". */
export function peerName(peer: PeerRef): string {
  return `peer ${peer.peerIndex + 1} of ${ruleName(peer.policy, peer.direction, peer.ruleIndex)}`;
}

/** How kube-proxy narrows a Service's backends by client, in words. */
const CLIENT_SCOPE_WORDS: Readonly<Record<ClientScope, string>> = {
  'internal-traffic-local':
    "internalTrafficPolicy Local: a client's connections go only to its own node's backends",
  'topology-hints':
    "topology hints: a client's connections may go only to the backends hinted for its zone or node",
};

/**
 * Why an ipBlock holding Service ClusterIPs may not do what it says: the words audit's finding
 * and the caveats of check and explain share.
 */
export function serviceIpBlockText(
  cidr: string,
  except: readonly string[],
  services: readonly ServiceAddresses[],
): string {
  const excepted = except.length > 0 ? ` except ${terminalList(except)}` : '';
  // A block as wide as 10.0.0.0/8 can hold every Service: the first few are named (-o json and
  // yaml keep them all).
  const named = firstFewText(
    services,
    (s) =>
      `service ${terminalText(s.service)} (${terminalList(s.clusterIPs)}${s.clientScope ? `; ${CLIENT_SCOPE_WORDS[s.clientScope]}` : ''})`,
  );
  return `ipBlock ${terminalText(cidr)}${excepted} contains the ClusterIP of ${named}: most network plugins apply policies after the Service translation, so they see the backend address and port (targetPort), not the ClusterIP`;
}

function backendsText(caveat: ServiceIpCaveat): string {
  const backends = [...new Set(caveat.services.flatMap((s) => s.backends))];
  const node = caveat.services.find((s) => s.clientNode)?.clientNode;
  const where = node ? ` (of those on node ${terminalText(node)}, the source's)` : '';
  if (backends.length === 0) {
    return node
      ? `no backend is on node ${terminalText(node)}, the source's`
      : 'the backends are unknown';
  }
  const outside = caveat.backendsOutside;
  if (outside.length === 0) return `the backends (${listText(backends)}) are inside it too${where}`;
  const one = outside.length === 1;
  return `the backend${one ? '' : 's'} ${listText(outside)} ${one ? 'is' : 'are'} outside it${where}`;
}

/** A check's caveat: an ipBlock holding ClusterIPs decided a verdict. */
export function serviceIpCaveatText(caveat: ServiceIpCaveat): string {
  const how = caveat.decided === 'allowed' ? 'allows this flow' : 'does not admit this backend';
  return `${peerName(caveat.peer)} ${how}; its ${serviceIpBlockText(caveat.cidr, caveat.except, caveat.services)}; ${backendsText(caveat)}`;
}

/** The lines of a flow's caveats: `caveat: ...`, indented under the flow. */
export function serviceIpCaveatLines(caveats: readonly ServiceIpCaveat[] = []): string[] {
  return caveats.map((caveat) => `  caveat: ${serviceIpCaveatText(caveat)}`);
}

/** The JSON/YAML form of a flow's caveats (the structure with its text), absent when none. */
export function serviceIpCaveatsData(caveats: readonly ServiceIpCaveat[] = []) {
  return caveats.length > 0
    ? { caveats: caveats.map((caveat) => ({ ...caveat, message: serviceIpCaveatText(caveat) })) }
    : {};
}
