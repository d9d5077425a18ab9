import type { RuleChain } from '../compile/chains.js';
import type { NamedPortResolution, PortResolver } from '../compile/named-ports.js';
import { NO_NAMED_PORTS } from '../compile/named-ports.js';
import { admittedPorts, type PeerTest, ruleMatchesPeer } from './kernel.js';
import { PortSetTable } from './port-set-table.js';
import { RuleSetTrie } from './rule-set-trie.js';

/** Whether a chain's rules decide its side: it has rules, and nothing unseen could change them. */
export function decides(chain: RuleChain): boolean {
  return chain.rules.length > 0 && chain.undecided.length === 0;
}

/** The indexes of a chain's rules that have no peers: they match anyone. */
function rulesForAnyone(chain: RuleChain): number[] {
  return chain.rules.flatMap((rule, index) => (rule.peers.length === 0 ? [index] : []));
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
  private readonly anyone = new Map<number, readonly number[]>();
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

  /** The hit set of the chain's rules with peers that pass the test. */
  hitsOf(chain: RuleChain, test: PeerTest): number {
    let node = 0;
    chain.rules.forEach((rule, index) => {
      if (rule.peers.length > 0 && ruleMatchesPeer(rule, test)) {
        node = this.trie.extend(node, index);
      }
    });
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
      let anyone = this.anyone.get(chain.id);
      if (!anyone) {
        anyone = rulesForAnyone(chain);
        this.anyone.set(chain.id, anyone);
      }
      const hits = mergeAscending(this.trie.rules(node), anyone);
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
