import type { Direction, PolicyPeer, PolicyRef } from '../engine/index.js';
import { selectorText } from './selectors.js';
import { terminalList, terminalText } from './terminal-text.js';

/** A policy as `namespace/name`, shown safely for a terminal. */
export function policyText(ref: PolicyRef): string {
  return `${terminalText(ref.namespace)}/${terminalText(ref.name)}`;
}

/** "production/allow-api ingress rule 1" (rules are numbered from 1 in text). */
export function ruleName(ref: PolicyRef, direction: Direction, ruleIndex: number): string {
  return `${policyText(ref)} ${direction} rule ${ruleIndex + 1}`;
}

/** What a peer admits, in words, for a policy in `policyNamespace`; null is "any peer". */
export function peerText(peer: PolicyPeer | null, policyNamespace: string): string {
  if (peer === null) return 'anyone (the rule names no peers)';
  if (peer.ipBlock) {
    const except =
      peer.ipBlock.except.length > 0 ? ` except ${terminalList(peer.ipBlock.except)}` : '';
    return `addresses in ${terminalText(peer.ipBlock.cidr)}${except}`;
  }
  const pods = peer.podSelector ? selectorText(peer.podSelector) : undefined;
  const podsPart = pods ? `pods with ${pods}` : 'all pods';
  if (!peer.namespaceSelector) return `${podsPart} in namespace ${terminalText(policyNamespace)}`;
  const namespaces = selectorText(peer.namespaceSelector);
  return namespaces
    ? `${podsPart} in namespaces with ${namespaces}`
    : `${podsPart} in all namespaces`;
}
