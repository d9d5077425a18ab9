import type { ChainReading, ChainRule, RuleChain } from '../compile/chains.js';
import type { Analysis, Direction } from '../compile/compile.js';
import { NO_NAMED_PORTS, type PortResolver } from '../compile/named-ports.js';
import { admittedPorts } from '../evaluate/kernel.js';
import { buildPeerIndex, type PeerIndex } from '../evaluate/peer-index.js';
import { RuleSetTrie } from '../evaluate/rule-set-trie.js';
import { type IpAddress, ipBlockVerdict } from '../primitives/ip-block.js';
import type { PortSet } from '../primitives/port-set.js';

/** The other side of a class of connections: a pod, or an address outside the pods. */
export type OtherSide =
  | { readonly kind: 'pod'; readonly podIdx: number }
  | { readonly kind: 'address'; readonly address: IpAddress };

/** What one reading of a chain did with a class of connections. */
export interface ReadingWalk {
  /** The ports each rule decided (first in its tier to match them), in evaluation order. */
  readonly decided: ReadonlyMap<number, PortSet>;
  /** The ports the side admits in this reading. */
  readonly admitted: PortSet;
}

/**
 * A class of connections to or from the pods of one chain that every rule of the chain treats
 * alike, walked through the kernel in the main reading and in each equal-priority reading.
 */
export interface ChainFlow {
  readonly chain: RuleChain;
  /** A pod the chain governs, standing for those alike (the destination of ingress). */
  readonly subject: number;
  readonly other: OtherSide;
  /** Indexes of the chain's rules whose peers match the other side, ascending. */
  readonly hits: readonly number[];
  /** How named ports resolve on the destination. */
  readonly resolve: PortResolver;
  readonly main: ReadingWalk;
  /** The readings the API allows where policies of one priority act differently. */
  readonly readings: readonly { readonly reading: ChainReading; readonly walk: ReadingWalk }[];
}

/**
 * One address per region of the address space that the chain's ipBlocks cut out: each region
 * begins at the start of the space, at a block's first address, or just past a block's last.
 */
function addressSamples(chain: RuleChain): IpAddress[] {
  const samples = new Map<string, IpAddress>();
  const add = (family: 4 | 6, value: bigint) => {
    const limit = family === 4 ? 1n << 32n : 1n << 128n;
    if (value < limit) samples.set(`${family}/${value}`, { family, value });
  };
  add(4, 0n);
  add(6, 0n);
  for (const rule of chain.rules) {
    for (const peer of rule.peers) {
      if (peer.kind !== 'ip-block') continue;
      for (const range of [peer.ipBlock.range, ...peer.ipBlock.excepts]) {
        add(range.family, range.first);
        add(range.family, range.last + 1n);
      }
    }
  }
  return [...samples.values()];
}

/** The rules of a chain (ascending) whose ipBlock peers admit an address. */
function addressHits(chain: RuleChain, address: IpAddress): number[] {
  return chain.rules.flatMap((rule, index) =>
    rule.peers.some(
      (peer) => peer.kind === 'ip-block' && ipBlockVerdict(peer.ipBlock, address).kind === 'inside',
    )
      ? [index]
      : [],
  );
}

/** Pods every peer treats alike (same peers matching, same named ports), by class. */
interface PodClasses {
  /** A representative pod of each class, and its named-port signature. */
  readonly pods: readonly number[];
  readonly signatures: readonly number[];
  /** The classes each peer matches, by peer id. */
  readonly ofPeer: readonly (readonly number[])[];
}

function podClasses(analysis: Analysis, peers: PeerIndex): PodClasses {
  const matchedBy: number[][] = analysis.pods.map(() => []);
  peers.podsOf.forEach((pods, peerId) => {
    for (const podIdx of pods) matchedBy[podIdx]?.push(peerId);
  });
  const classOf = new Map<string, number>();
  const pods: number[] = [];
  const signatures: number[] = [];
  const ofPeer: number[][] = peers.peers.map(() => []);
  matchedBy.forEach((peerIds, podIdx) => {
    const signature = analysis.namedPorts.signatures[podIdx] ?? 0;
    const key = `${signature}|${peerIds.join(',')}`;
    if (classOf.has(key)) return;
    classOf.set(key, pods.length);
    for (const peerId of peerIds) ofPeer[peerId]?.push(pods.length);
    pods.push(podIdx);
    signatures.push(signature);
  });
  return { pods, signatures, ofPeer };
}

/**
 * Groups the classes of pods by which rules of a chain their peers hit. The hit sets are
 * numbered by one trie for every chain; the classes each rule matches are computed once.
 */
class ClassHits {
  private readonly trie = new RuleSetTrie();
  private readonly nodeOf: Int32Array;
  private readonly ofRule = new Map<unknown, readonly number[]>();
  /** More than any named-port signature plus one: a hit set and a signature make one key. */
  private readonly signatureSpace: number;

  constructor(
    private readonly peers: PeerIndex,
    private readonly classes: PodClasses,
  ) {
    this.nodeOf = new Int32Array(classes.pods.length);
    this.signatureSpace = classes.signatures.reduce((max, s) => Math.max(max, s), 0) + 2;
  }

  /** The other sides of a chain: a pod per class of hits (and named ports), an address per region. */
  otherSides(chain: RuleChain): { other: OtherSide; hits: readonly number[] }[] {
    // As destinations (of egress), pods also differ by how named ports resolve on them.
    const bySignature = chain.direction === 'egress' && chain.namedPorts;
    const touched: number[] = [];
    chain.rules.forEach((rule, index) => {
      if (rule.peers.length === 0) return;
      for (const classId of this.classesOf(rule)) {
        const node = this.nodeOf[classId] as number;
        if (node === 0) touched.push(classId);
        this.nodeOf[classId] = this.trie.extend(node, index);
      }
    });
    const pods = new Map<number, { other: OtherSide; hits: readonly number[] }>();
    const add = (classId: number) => {
      const node = this.nodeOf[classId] as number;
      const signature = bySignature ? (this.classes.signatures[classId] as number) + 1 : 0;
      const key = node * this.signatureSpace + signature;
      const podIdx = this.classes.pods[classId] as number;
      if (!pods.has(key))
        pods.set(key, { other: { kind: 'pod', podIdx }, hits: this.trie.rules(node) });
    };
    for (const classId of touched) add(classId);
    for (let classId = 0; classId < this.classes.pods.length; classId++) {
      if (this.nodeOf[classId] !== 0) continue;
      add(classId);
      if (!bySignature) break;
    }
    for (const classId of touched) this.nodeOf[classId] = 0;
    const addresses = new Map<string, { other: OtherSide; hits: readonly number[] }>();
    for (const address of addressSamples(chain)) {
      const hits = addressHits(chain, address);
      const key = hits.join(',');
      if (!addresses.has(key)) addresses.set(key, { other: { kind: 'address', address }, hits });
    }
    return [...pods.values(), ...addresses.values()];
  }

  /** The classes a rule's peers match, each once. */
  private classesOf(rule: ChainRule): readonly number[] {
    let found = this.ofRule.get(rule.peers);
    if (!found) {
      const ids = new Set<number>();
      for (const peer of rule.peers) {
        for (const classId of this.classes.ofPeer[this.peers.idOf.get(peer) ?? -1] ?? [])
          ids.add(classId);
      }
      found = [...ids];
      this.ofRule.set(rule.peers, found);
    }
    return found;
  }
}

/** Which chains a walk takes: those some layer of interest governs. */
export type ChainFilter = (chain: RuleChain) => boolean;

/** The chains cluster policies govern. */
const governedByClusterPolicies: ChainFilter = (chain) => chain.clusterPolicies.length > 0;

/**
 * What makes two chains walk alike: the same rules from the same sources in the same order
 * (their peers and ports come from the source rule), a Calico tier's end by tier and action.
 */
class ChainKeys {
  private readonly ids = new Map<unknown, number>();
  private readonly keys = new WeakMap<RuleChain, string>();

  of(chain: RuleChain): string {
    let key = this.keys.get(chain);
    if (key === undefined) {
      key = chain.rules.map((rule) => this.ruleKey(rule)).join(' ');
      this.keys.set(chain, key);
    }
    return key;
  }

  private ruleKey(rule: ChainRule): string {
    const { origin } = rule;
    const source =
      origin.kind === 'calico-tier-end'
        ? `${origin.tier}/${origin.defaultAction}`
        : origin.kind === 'networkpolicy-isolation' || origin.kind === 'cilium-sctp-dropped'
          ? origin.kind
          : origin.kind === 'node-local'
            ? this.idOf(rule)
            : this.idOf(origin.rule);
    const variant = rule.speculative ? (rule.domainNames ? 'names' : 'maybe') : '';
    return `${rule.tier}/${rule.rank}/${rule.action}/${rule.namespace}/${source}/${variant}`;
  }

  private idOf(source: unknown): number {
    let id = this.ids.get(source);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(source, id);
    }
    return id;
  }
}

/**
 * The pods each chain of a direction governs, one per named-port signature when it matters.
 * With `mergeAlike`, chains of one namespace that walk alike (Calico's, one per pod) are
 * walked once, for the first of them.
 */
function subjectsOf(
  analysis: Analysis,
  direction: Direction,
  walked: ChainFilter,
  mergeAlike: boolean,
): Map<RuleChain, number[]> {
  const subjects = new Map<RuleChain, number[]>();
  const signatures = new Map<RuleChain, Set<number>>();
  const keys = new ChainKeys();
  const canonical = new Map<string, RuleChain>();
  analysis.chains.all(direction).forEach((governing, podIdx) => {
    if (!walked(governing)) return;
    let chain = governing;
    if (mergeAlike) {
      const key = `${analysis.pods[podIdx]?.namespace}|${keys.of(governing)}`;
      chain = canonical.get(key) ?? governing;
      canonical.set(key, chain);
    }
    const signature =
      direction === 'ingress' && chain.namedPorts
        ? (analysis.namedPorts.signatures[podIdx] ?? 0)
        : 0;
    const seen = signatures.get(chain) ?? new Set<number>();
    signatures.set(chain, seen);
    if (seen.has(signature)) return;
    seen.add(signature);
    subjects.set(chain, [...(subjects.get(chain) ?? []), podIdx]);
  });
  return subjects;
}

/** The kernel's walk of one reading, with the ports each rule decided. */
function walk(
  chain: RuleChain,
  hits: readonly number[],
  resolve: PortResolver,
  order?: readonly number[],
): ReadingWalk {
  const decided = new Map<number, PortSet>();
  const admitted = admittedPorts(chain, hits, resolve, order, (index, ports) =>
    decided.set(index, ports),
  );
  return { decided, admitted };
}

/**
 * Every class of connections to or from the pods of the chains `walked` takes (by default those
 * cluster policies govern), walked through the kernel (`mergeAlike`: see subjectsOf). Pods are taken by class (the rules their
 * peers hit, and named ports where they resolve), addresses by the regions the chain's ipBlocks
 * cut out, so the cost grows with the kinds of pods and rules, not with their number.
 */
export function clusterFlows(
  analysis: Analysis,
  walked: ChainFilter = governedByClusterPolicies,
  mergeAlike = false,
): ChainFlow[] {
  const some = (direction: Direction) => analysis.chains.all(direction).some(walked);
  if (!some('ingress') && !some('egress')) return [];
  const peers = buildPeerIndex(analysis);
  const classHits = new ClassHits(peers, podClasses(analysis, peers));
  const flows: ChainFlow[] = [];
  for (const direction of ['ingress', 'egress'] as const) {
    for (const [chain, subjects] of subjectsOf(analysis, direction, walked, mergeAlike)) {
      const anyone = chain.rules.flatMap((rule, index) => (rule.peers.length === 0 ? [index] : []));
      for (const { other, hits: peerHits } of classHits.otherSides(chain)) {
        const hits = [...peerHits, ...anyone].sort((a, b) => a - b);
        for (const subject of subjects) {
          const destination =
            direction === 'ingress' ? subject : other.kind === 'pod' ? other.podIdx : -1;
          const resolve = analysis.namedPorts.resolvers[destination] ?? NO_NAMED_PORTS;
          flows.push({
            chain,
            subject,
            other,
            hits,
            resolve,
            main: walk(chain, hits, resolve),
            readings: chain.readings
              .filter((reading) => reading.layer.kind === 'equal-priority')
              .map((reading) => ({ reading, walk: walk(chain, hits, resolve, reading.order) })),
          });
        }
      }
    }
  }
  return flows;
}
