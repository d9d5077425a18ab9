import type { ChainRule, RuleChain } from '../compile/chains.js';
import type { Endpoint } from '../compile/endpoint.js';
import type { NamedPortResolution, PortResolver } from '../compile/named-ports.js';
import { NO_NAMED_PORTS } from '../compile/named-ports.js';
import { admittedPorts, type PeerTest, ruleMatchesPeer } from './kernel.js';
import { mayBeNodeHost } from './node-local.js';
import { PortSetTable } from './port-set-table.js';
import { RuleSetTrie } from './rule-set-trie.js';

/** Whether a chain's rules decide its side: it has rules, and nothing unseen could change them. */
export function decides(chain: RuleChain): boolean {
  return chain.rules.length > 0 && chain.undecided.length === 0;
}

/** A chain's rules by what their peers can match, as indexes into chain.rules, ascending. */
interface RuleGroups {
  /** Rules without peers: they match anyone. */
  readonly anyone: readonly number[];
  /** Rules with peers. */
  readonly withPeers: readonly number[];
  /** Rules with a peer that can match a pod outside the host network (not only node-host peers). */
  readonly forWorkloads: readonly number[];
}

/** The indexes of a chain's rules that pass `keep`. */
function indexesOf(chain: RuleChain, keep: (rule: ChainRule) => boolean): number[] {
  return chain.rules.flatMap((rule, index) => (keep(rule) ? [index] : []));
}

/** A chain's rules grouped by what their peers can match. */
function ruleGroups(chain: RuleChain): RuleGroups {
  return {
    anyone: indexesOf(chain, (rule) => rule.peers.length === 0),
    withPeers: indexesOf(chain, (rule) => rule.peers.length > 0),
    forWorkloads: indexesOf(chain, (rule) => rule.peers.some((peer) => peer.kind !== 'node-host')),
  };
}

/** Two ascending lists of indexes merged into one. */
function mergeAscending(a: readonly number[], b: readonly number[]): number[] {
  if (b.length === 0) return [...a];
  const merged: number[] = [];
  let j = 0;
  for (const value of a) {
    while (j < b.length && (b[j] as number) < value) merged.push(b[j++] as number);
    merged.push(value);
  }
  while (j < b.length) merged.push(b[j++] as number);
  return merged;
}

/**
 * The kernel's answers as interned port sets, memoised. A chain's answer depends only on which
 * of its rules with peers match the other side (a hit set, numbered by a trie; rules without
 * peers match anyone and are always added) and, when its rules name ports, on how those names
 * resolve on the destination.
 */
export class ChainAnswers {
  readonly table: PortSetTable;
  private readonly trie = new RuleSetTrie();
  private readonly memo = new Map<number, Map<number, number>>();
  private readonly groups = new Map<number, RuleGroups>();
  private lastChain = -1;
  private lastAnswers = new Map<number, number>();
  /**
   * Per chain, the memo keys whose readings answer differently, each with the ports all of them
   * admit: on the others the answer is UNKNOWN.
   */
  private readonly split = new Map<number, Map<number, number>>();
  /** More than any signature, so that a hit set and a signature make one numeric key. */
  private readonly signatureSpace: number;

  constructor(
    private readonly namedPorts: NamedPortResolution,
    table?: PortSetTable,
  ) {
    this.table = table ?? new PortSetTable();
    this.signatureSpace = namedPorts.signatures.reduce((max, s) => Math.max(max, s), 0) + 2;
  }

  /**
   * The hit set of `node` plus the rule at `ruleIndex`, a rule with peers, added in ascending
   * order (0: none).
   */
  extend(node: number, ruleIndex: number): number {
    return this.trie.extend(node, ruleIndex);
  }

  /**
   * The hit set of the chain's rules with peers that pass the test. `other`, the endpoint the
   * test is about when it is one, lets rules none of whose peers can match it go unasked: a
   * pod outside the host network is no node's host, so the node-local rule cannot match it.
   */
  hitsOf(chain: RuleChain, test: PeerTest, other?: Endpoint): number {
    const groups = this.groupsOf(chain);
    const asked = other && !mayBeNodeHost(other) ? groups.forWorkloads : groups.withPeers;
    let node = 0;
    for (const index of asked) {
      if (ruleMatchesPeer(chain.rules[index] as ChainRule, test)) {
        node = this.trie.extend(node, index);
      }
    }
    return node;
  }

  /**
   * The interned ports a chain admits for a hit set, towards the destination pod at index
   * `destination` (-1: an address outside the cluster). Where the chain's readings answer
   * differently, the ports any of them admits (see `undecided`).
   */
  answer(chain: RuleChain, node: number, destination: number): number {
    if (chain.rules.length === 0) return PortSetTable.FULL;
    const answers = this.answersOf(chain);
    const key = this.keyOf(chain, node, destination);
    let id = answers.get(key);
    if (id === undefined) {
      const resolve: PortResolver =
        destination < 0 ? NO_NAMED_PORTS : (this.namedPorts.resolvers[destination] as PortResolver);
      const hits = mergeAscending(this.trie.rules(node), this.groupsOf(chain).anyone);
      id = this.table.intern(admittedPorts(chain, hits, resolve));
      let agreed = id;
      for (const { order } of chain.readings) {
        const other = this.table.intern(admittedPorts(chain, hits, resolve, order));
        if (other === id) continue;
        agreed = this.table.intersect(agreed, other);
        id = this.table.union(id, other);
      }
      if (agreed !== id) this.splitOf(chain).set(key, agreed);
      answers.set(key, id);
    }
    return id;
  }

  /**
   * The interned ports every reading of the chain admits for a hit set: `answer` itself unless
   * the readings disagree.
   */
  agreed(chain: RuleChain, node: number, destination: number): number {
    const id = this.answer(chain, node, destination);
    return this.split.get(chain.id)?.get(this.keyOf(chain, node, destination)) ?? id;
  }

  private keyOf(chain: RuleChain, node: number, destination: number): number {
    const signature = chain.namedPorts ? this.signatureOf(destination) : 0;
    return node * this.signatureSpace + signature;
  }

  private groupsOf(chain: RuleChain): RuleGroups {
    let groups = this.groups.get(chain.id);
    if (!groups) {
      groups = ruleGroups(chain);
      this.groups.set(chain.id, groups);
    }
    return groups;
  }

  private splitOf(chain: RuleChain): Map<number, number> {
    let keys = this.split.get(chain.id);
    if (!keys) {
      keys = new Map();
      this.split.set(chain.id, keys);
    }
    return keys;
  }

  /** The memo of one chain; the last one is kept at hand, as callers ask one chain many times. */
  private answersOf(chain: RuleChain): Map<number, number> {
    if (chain.id === this.lastChain) return this.lastAnswers;
    let answers = this.memo.get(chain.id);
    if (!answers) {
      answers = new Map();
      this.memo.set(chain.id, answers);
    }
    this.lastChain = chain.id;
    this.lastAnswers = answers;
    return answers;
  }

  /** The named-port signature of a destination: external addresses take the last one. */
  private signatureOf(destination: number): number {
    return destination < 0
      ? this.signatureSpace - 1
      : (this.namedPorts.signatures[destination] as number);
  }
}
