import {
  type ChainRule,
  mainReading,
  type RuleAction,
  type RuleChain,
  type TierName,
} from '../compile/chains.js';
import type { CompiledPeer } from '../compile/compile.js';
import type { PortResolver } from '../compile/named-ports.js';
import type { PolicyPort } from '../model/types.js';
import {
  FULL_PORT_SET,
  intersectPortSets,
  isEmptyPortSet,
  type PortSet,
  subtractPortSets,
  unionPortSets,
} from '../primitives/port-set.js';
import type { PeerMiss } from './peer-miss.js';
import { type PortMiss, rulePortSet } from './port-match.js';

/**
 * The evaluation kernel. Every answer (a verdict on one port, allowed connections, the matrix,
 * reachable lists, the effect of new policies) walks a chain of tiered rules through the two
 * functions here; the other modules only decide, as fast as they can, which rules' peers match.
 */

/** Whether a peer of a rule (a bare podSelector looking in `namespace`) matches the other side. */
export type PeerTest = (peer: CompiledPeer, namespace: string) => boolean;

/** Hears that the rule at `index` of a chain decided `ports` (the first in its tier to match them). */
export type RuleVisit = (index: number, ports: PortSet) => void;

/** Whether a rule's peers match the other side: a rule without peers matches anyone. */
export function ruleMatchesPeer(rule: ChainRule, test: PeerTest): boolean {
  return rule.peers.length === 0 || rule.peers.some((peer) => test(peer, rule.namespace));
}

/** The hits of a chain in the evaluation order of a reading (the main one by default). */
function hitsInOrder(chain: RuleChain, hits: readonly number[], order?: readonly number[]) {
  if (order) {
    const hit = new Set(hits);
    return order.filter((index) => hit.has(index));
  }
  return chain.readings.length === 0
    ? hits
    : hits.filter((index) => !(chain.rules[index] as ChainRule).speculative);
}

/**
 * The ports a chain admits when the rules at `hits` (indexes into chain.rules, ascending) are
 * those whose peers match the other side, in the main reading or the one whose rule `order` is
 * given. In each tier the first matching rule decides a port: accept and deny end its
 * evaluation, pass leaves it to the next tier; a port no rule decides is allowed. `visit`, when
 * given, hears each rule that decides some ports (in its tier), in evaluation order.
 */
export function admittedPorts(
  chain: RuleChain,
  hits: readonly number[],
  resolve: PortResolver,
  order?: readonly number[],
  visit?: RuleVisit,
): PortSet {
  let undecided = FULL_PORT_SET;
  let undecidedInTier = FULL_PORT_SET;
  let tier: TierName | undefined;
  const accepted: PortSet[] = [];
  for (const index of hitsInOrder(chain, hits, order)) {
    const rule = chain.rules[index] as ChainRule;
    if (rule.tier !== tier) {
      tier = rule.tier;
      undecidedInTier = undecided;
    }
    const ports = intersectPortSets(rulePortSet(rule.ports, resolve), undecidedInTier);
    if (isEmptyPortSet(ports)) continue;
    undecidedInTier = subtractPortSets(undecidedInTier, ports);
    visit?.(index, ports);
    if (rule.action === 'pass') continue;
    if (rule.action === 'accept') accepted.push(ports);
    undecided = subtractPortSets(undecided, ports);
    if (isEmptyPortSet(undecided)) break;
  }
  accepted.push(undecided);
  return unionPortSets(accepted);
}

/** How one connection looks to rules: why a peer or a port entry does not match it. */
export interface ConnectionProbe {
  peerMiss(peer: CompiledPeer, namespace: string): PeerMiss | undefined;
  portMiss(entry: PolicyPort, portIndex: number): PortMiss | undefined;
}

/** A rule that matched a connection, by which peer and port entry (null: the rule has none). */
export interface TracedMatch {
  readonly rule: ChainRule;
  readonly peerIndex: number | null;
  readonly portIndex: number | null;
}

/** A rule that did not match, with why its peers or port entries failed (empty: they matched). */
export interface TracedMiss {
  readonly rule: ChainRule;
  readonly peerMisses: readonly PeerMiss[];
  readonly portMisses: readonly PortMiss[];
}

/** What one tier did with a connection: its first matching rank, or no match. */
export interface TierDecision {
  readonly tier: TierName;
  /** The action of the matching rules; `none` when no rule of the tier matched. */
  readonly action: RuleAction | 'none';
  /** The matching rules of the deciding rank. */
  readonly matches: readonly TracedMatch[];
  /** The tier's rules of earlier ranks, none of which matched. */
  readonly misses: readonly TracedMiss[];
}

function traceRule(rule: ChainRule, probe: ConnectionProbe): TracedMatch[] | TracedMiss {
  const peerMisses: PeerMiss[] = [];
  const peerHits: (number | null)[] = rule.peers.length === 0 ? [null] : [];
  for (const peer of rule.peers) {
    const miss = probe.peerMiss(peer, rule.namespace);
    if (miss) peerMisses.push(miss);
    else peerHits.push(peer.index);
  }
  const portMisses: PortMiss[] = [];
  const portHits: (number | null)[] = rule.ports.length === 0 ? [null] : [];
  rule.ports.forEach((entry, index) => {
    const miss = probe.portMiss(entry, index);
    if (miss) portMisses.push(miss);
    else portHits.push(index);
  });
  if (peerHits.length > 0 && portHits.length > 0) {
    return peerHits.flatMap((peerIndex) =>
      portHits.map((portIndex) => ({ rule, peerIndex, portIndex })),
    );
  }
  return {
    rule,
    peerMisses: peerHits.length > 0 ? [] : peerMisses,
    portMisses: portHits.length > 0 ? [] : portMisses,
  };
}

/**
 * The decisions of a chain's tiers on one connection, in order, ending with the first that
 * accepts or denies it, in the main reading or the one whose rule `order` is given. No
 * decision, or none that accepts or denies: allowed by default.
 */
export function decideConnection(
  chain: RuleChain,
  probe: ConnectionProbe,
  order?: readonly number[],
): TierDecision[] {
  const rules =
    order || chain.readings.length > 0
      ? (order ?? mainReading(chain.rules)).map((index) => chain.rules[index] as ChainRule)
      : chain.rules;
  const decisions: TierDecision[] = [];
  let i = 0;
  while (i < rules.length) {
    const tier = (rules[i] as ChainRule).tier;
    const misses: TracedMiss[] = [];
    let decision: TierDecision | undefined;
    while (i < rules.length && (rules[i] as ChainRule).tier === tier && !decision) {
      const rank = (rules[i] as ChainRule).rank;
      const matches: TracedMatch[] = [];
      const rankMisses: TracedMiss[] = [];
      for (; i < rules.length; i++) {
        const rule = rules[i] as ChainRule;
        if (rule.tier !== tier || rule.rank !== rank) break;
        const traced = traceRule(rule, probe);
        if (Array.isArray(traced)) matches.push(...traced);
        else rankMisses.push(traced);
      }
      const [first] = matches;
      if (first) decision = { tier, action: first.rule.action, matches, misses };
      else misses.push(...rankMisses);
    }
    decisions.push(decision ?? { tier, action: 'none', matches: [], misses });
    if (decision && decision.action !== 'pass') return decisions;
    while (i < rules.length && (rules[i] as ChainRule).tier === tier) i++;
  }
  return decisions;
}

/** Whether a side's decisions let the connection through: nothing denied it. */
export function decisionsAllow(decisions: readonly TierDecision[]): boolean {
  return decisions.at(-1)?.action !== 'deny';
}
