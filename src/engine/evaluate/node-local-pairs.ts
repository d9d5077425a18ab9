import type { Analysis, Direction } from '../compile/compile.js';
import type { Pod } from '../model/types.js';
import { type ChainAnswers, decides } from './chain-answers.js';
import { bitsByClass, type ClassBits, type ExceptionPairs } from './exception-pairs.js';
import { hasNodeLocalRule } from './node-local.js';
import { peerMatchesPod } from './peer-match.js';
import { PortSetTable } from './port-set-table.js';
import { regionAnswers } from './region-answers.js';

/** What one side admits for a pair: for certain, and for some IP, reading or node. */
export interface PairSide {
  readonly sure: number;
  readonly possible: number;
}

const OPEN: PairSide = { sure: PortSetTable.FULL, possible: PortSetTable.FULL };

/**
 * What the chain of pod `subject` in `direction` admits with pod `other`, through the kernel,
 * every peer matched directly (node-host peers on the subject's node): the pair's own answer,
 * open where the chain does not decide its side (as the matrix counts it).
 */
export function pairSide(
  analysis: Analysis,
  answers: ChainAnswers,
  direction: Direction,
  subject: number,
  other: number,
): PairSide {
  const chain = analysis.chains.of(direction, subject);
  if (!decides(chain)) return OPEN;
  const pod = analysis.pods[subject] as Pod;
  const destination = direction === 'ingress' ? subject : other;
  const hits = (assumption: 'inside' | 'outside') =>
    answers.hitsOf(chain, (peer, namespace) =>
      peerMatchesPod(analysis, peer, namespace, other, assumption, pod),
    );
  return (
    regionAnswers(analysis, answers, chain, other, destination, pod) ?? {
      sure: answers.agreed(chain, hits('outside'), destination),
      possible: answers.answer(chain, hits('inside'), destination),
    }
  );
}

/** A pair's connections, and those of them whose answer is UNKNOWN (EMPTY: none). */
interface PairAnswer {
  readonly connections: number;
  readonly unknown: number;
}

/** Bits of a position's flags: as a source, a host (1) or egress-isolated (2); as a destination, ingress-isolated (1) or a host (2). */
const HOST_TO_ISOLATED = 1;
const ISOLATED_TO_HOST = 2;
/** A key of NodeLocalPairs.pairs for positions on any node (nodes are numbered from 0, -1 unknown). */
const ANY_NODE = -2;

/**
 * The pairs of a matrix that node-local traffic decides: a host (a hostNetwork pod) and a pod
 * whose chain holds the node-local rule, on one node or on nodes not known. The matrix's classes
 * do not depend on nodes (its chains do not); these pairs are its exceptions, answered by the
 * pods themselves, memoised per pair of classes, whether the nodes are one, and which side is
 * the host.
 */
export class NodeLocalPairs implements ExceptionPairs {
  private readonly memo = new Map<number, PairAnswer>();

  private constructor(
    private readonly analysis: Analysis,
    private readonly answers: ChainAnswers,
    private readonly podIdxs: readonly number[],
    /** Per position, its flags as a source and as a destination. */
    readonly sourceFlags: Uint8Array,
    readonly destinationFlags: Uint8Array,
    /** Per position, its node numbered (-1: not known). */
    readonly nodeOf: Int32Array,
    readonly classBits: ClassBits,
  ) {}

  /**
   * The node-local pairs of a matrix's positions, given each position's source and destination
   * class (`classOf`, `classCounts` of them); undefined when there can be none.
   */
  static of(
    analysis: Analysis,
    answers: ChainAnswers,
    podIdxs: readonly number[],
    classOf: { readonly sources: Int32Array; readonly destinations: Int32Array },
    classCounts: { readonly sources: number; readonly destinations: number },
  ): NodeLocalPairs | undefined {
    const { chains } = analysis;
    const sourceFlags = new Uint8Array(podIdxs.length);
    const destinationFlags = new Uint8Array(podIdxs.length);
    const nodeOf = new Int32Array(podIdxs.length);
    const nodes = new Map<string, number>();
    let hosts = false;
    let isolated = false;
    podIdxs.forEach((podIdx, position) => {
      const pod = analysis.pods[podIdx] as Pod;
      const host = pod.hostNetwork;
      const ingress = hasNodeLocalRule(chains.of('ingress', podIdx));
      const egress = hasNodeLocalRule(chains.of('egress', podIdx));
      hosts ||= host;
      isolated ||= ingress || egress;
      sourceFlags[position] = (host ? HOST_TO_ISOLATED : 0) | (egress ? ISOLATED_TO_HOST : 0);
      destinationFlags[position] = (ingress ? HOST_TO_ISOLATED : 0) | (host ? ISOLATED_TO_HOST : 0);
      const node = pod.nodeName;
      if (node === undefined) nodeOf[position] = -1;
      else {
        let id = nodes.get(node);
        if (id === undefined) {
          id = nodes.size;
          nodes.set(node, id);
        }
        nodeOf[position] = id;
      }
    });
    if (!hosts || !isolated) return undefined;
    // A class's bits are those of any of its positions: a pair that is one has flags that meet
    // (see `has`), so its classes' bits meet too; classes whose bits do not meet hold none.
    const classBits = {
      sources: bitsByClass(sourceFlags, classOf.sources, classCounts.sources),
      destinations: bitsByClass(destinationFlags, classOf.destinations, classCounts.destinations),
    };
    return new NodeLocalPairs(
      analysis,
      answers,
      podIdxs,
      sourceFlags,
      destinationFlags,
      nodeOf,
      classBits,
    );
  }

  /**
   * The answer of the pair of positions `from`, `to` (of source class `sc` and destination
   * class `dc`, `D` of them) when node-local traffic decides it; undefined when it does not
   * (then the classes' answer stands).
   */
  answer(from: number, to: number, sc: number, dc: number, D: number): PairAnswer | undefined {
    const bits = (this.sourceFlags[from] as number) & (this.destinationFlags[to] as number);
    if (bits === 0) return undefined;
    const a = this.nodeOf[from] as number;
    const b = this.nodeOf[to] as number;
    // 0: one node, 1: a node not known (UNKNOWN where it decides); other nodes: not node-local.
    const relation = a < 0 || b < 0 ? 1 : a === b ? 0 : -1;
    if (relation < 0) return undefined;
    const key = ((sc * D + dc) * 2 + relation) * 4 + bits;
    let answer = this.memo.get(key);
    if (!answer) {
      answer = this.pairAnswer(this.podIdxs[from] as number, this.podIdxs[to] as number);
      this.memo.set(key, answer);
    }
    return answer;
  }

  /** Both sides of a pair through the kernel: what both admit, and what only some cases do. */
  private pairAnswer(source: number, destination: number): PairAnswer {
    const { analysis, answers } = this;
    const { table } = answers;
    const egress = pairSide(analysis, answers, 'egress', source, destination);
    const ingress = pairSide(analysis, answers, 'ingress', destination, source);
    const connections = table.intersect(egress.possible, ingress.possible);
    const undecided =
      analysis.chains.of('egress', source).undecided.length > 0 ||
      analysis.chains.of('ingress', destination).undecided.length > 0;
    const unknown = undecided
      ? connections
      : table.subtract(connections, table.intersect(egress.sure, ingress.sure));
    return { connections, unknown };
  }

  /**
   * Whether node-local traffic may decide the pair of positions `from`, `to` (other than a pod
   * with itself): a host and a pod it is node-local to, on one node or on nodes not known.
   */
  has(from: number, to: number): boolean {
    if (from === to) return false;
    if (((this.sourceFlags[from] as number) & (this.destinationFlags[to] as number)) === 0)
      return false;
    const a = this.nodeOf[from] as number;
    const b = this.nodeOf[to] as number;
    return a < 0 || b < 0 || a === b;
  }

  /** The pairs `has` holds for, `from` ascending, then `to`. */
  *pairs(): Generator<readonly [number, number]> {
    // Per node (unknown: -1) and bit, the positions whose destination flags hold the bit.
    const byNode = new Map<number, number[]>();
    const keyOf = (node: number, bit: number) => node * 4 + bit;
    const push = (key: number, position: number) => {
      const list = byNode.get(key);
      if (list) list.push(position);
      else byNode.set(key, [position]);
    };
    this.destinationFlags.forEach((flags, position) => {
      for (const bit of [HOST_TO_ISOLATED, ISOLATED_TO_HOST]) {
        if ((flags & bit) === 0) continue;
        push(keyOf(this.nodeOf[position] as number, bit), position);
        push(keyOf(ANY_NODE, bit), position);
      }
    });
    for (let from = 0; from < this.sourceFlags.length; from++) {
      const flags = this.sourceFlags[from] as number;
      if (flags === 0) continue;
      const node = this.nodeOf[from] as number;
      const tos = new Set<number>();
      for (const bit of [HOST_TO_ISOLATED, ISOLATED_TO_HOST]) {
        if ((flags & bit) === 0) continue;
        const lists = node < 0 ? [keyOf(ANY_NODE, bit)] : [keyOf(node, bit), keyOf(-1, bit)];
        for (const key of lists) for (const to of byNode.get(key) ?? []) tos.add(to);
      }
      tos.delete(from);
      for (const to of [...tos].sort((a, b) => a - b)) yield [from, to] as const;
    }
  }
}
