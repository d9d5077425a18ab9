import type { Analysis, ConnectivityMatrix, FamilyIds, Pod, PortSet } from '../engine/index.js';
import { ClassRepresentatives, DECIDED_PAIR, subtractPortSets } from '../engine/index.js';
import type { Terminal } from '../io/terminal.js';
import type { AnswerScope } from '../render/answer-scope.js';
import { jsonText } from '../render/json-text.js';
import { portSetJson } from '../render/ports.js';
import { BatchedOutput } from './output.js';

/** Which pairs a matrix shows, by their connections (--port, --protocol). */
export type PairFilter = (set: PortSet) => boolean;

/** A pod in the matrix contract. */
export function podJson(pod: Pod) {
  return { id: pod.id, namespace: pod.namespace, name: pod.name, kind: pod.kind };
}

/** What the matrix contract says of a pair besides its sides. */
type AnswerJson = ReturnType<typeof answerJson>;

/**
 * The answer of a pair in the matrix contract, from its ids (see ConnectivityMatrix): the ports
 * surely allowed, and for an undecided pair `unknown` with the ports whose answer is UNKNOWN
 * (not surely denied, not surely allowed).
 */
function answerJson(matrix: ConnectivityMatrix, connectionId: number, undecidedId: number) {
  const connections = matrix.portSet(connectionId);
  if (undecidedId === DECIDED_PAIR) return { allowed: portSetJson(connections) };
  const unknown = matrix.portSet(undecidedId);
  return {
    allowed: portSetJson(subtractPortSets(connections, unknown)),
    unknown: portSetJson(unknown),
  };
}

/**
 * The answer of a pair whose answer differs by address family: as answerJson, the ports
 * allowed over every family (and UNKNOWN over some), and `families` with each family's.
 */
function familiesAnswerJson(
  matrix: ConnectivityMatrix,
  connectionId: number,
  undecidedId: number,
  families: FamilyIds,
) {
  const byFamily = Object.entries(families).map(([family, ids]) => [
    family,
    answerJson(matrix, ids.connectionId, ids.undecidedId),
  ]);
  return {
    ...answerJson(matrix, connectionId, undecidedId),
    families: Object.fromEntries(byFamily) as Record<keyof FamilyIds, AnswerJson>,
  };
}

/** A pair's answer, and its JSON text once it is asked for. */
interface CachedAnswer {
  readonly json: AnswerJson | ReturnType<typeof familiesAnswerJson>;
  text?: string;
}

/**
 * The answers of the pairs of a matrix that pass a filter, each distinct answer made (and
 * turned into text) once: millions of pairs share a few thousand answers at most.
 */
class PairAnswers {
  readonly #kept: (boolean | undefined)[] = [];
  readonly #decided: (CachedAnswer | undefined)[] = [];
  readonly #undecided: (Map<number, CachedAnswer> | undefined)[] = [];
  /** Answers that differ by family, by all their ids (or null when the filter drops them). */
  readonly #byFamily = new Map<string, CachedAnswer | null>();

  constructor(
    private readonly matrix: ConnectivityMatrix,
    private readonly keep: PairFilter,
  ) {}

  /**
   * The answer of the pair of positions `from` and `to` (its connections id given when known);
   * undefined when the filter drops it.
   */
  of(
    from: number,
    to: number,
    connectionId = this.matrix.connectionId(from, to),
  ): CachedAnswer | undefined {
    const families = this.matrix.familyIds?.(from, to);
    if (families) return this.#familiesAnswer(from, to, families);
    if (!this.keeps(connectionId)) return undefined;
    const undecidedId = this.matrix.undecidedId(from, to);
    if (undecidedId === DECIDED_PAIR) {
      this.#decided[connectionId] ??= this.#answer(connectionId, undecidedId);
      return this.#decided[connectionId];
    }
    this.#undecided[connectionId] ??= new Map();
    const byUndecided = this.#undecided[connectionId];
    let answer = byUndecided.get(undecidedId);
    if (!answer) {
      answer = this.#answer(connectionId, undecidedId);
      byUndecided.set(undecidedId, answer);
    }
    return answer;
  }

  /** Whether the filter keeps a pair of these connections (its answer not differing by family). */
  keeps(connectionId: number): boolean {
    this.#kept[connectionId] ??= this.keep(this.matrix.portSet(connectionId));
    return this.#kept[connectionId];
  }

  /** A pair whose answer differs by family is kept when some family's connections pass. */
  #familiesAnswer(from: number, to: number, families: FamilyIds): CachedAnswer | undefined {
    const connectionId = this.matrix.connectionId(from, to);
    const undecidedId = this.matrix.undecidedId(from, to);
    const { IPv4, IPv6 } = families;
    const ids = [IPv4.connectionId, IPv4.undecidedId, IPv6.connectionId, IPv6.undecidedId];
    const key = [connectionId, undecidedId, ...ids].join(',');
    let answer = this.#byFamily.get(key);
    if (answer === undefined) {
      const kept = [connectionId, IPv4.connectionId, IPv6.connectionId].some((id) =>
        this.keep(this.matrix.portSet(id)),
      );
      answer = kept
        ? { json: familiesAnswerJson(this.matrix, connectionId, undecidedId, families) }
        : null;
      this.#byFamily.set(key, answer);
    }
    return answer ?? undefined;
  }

  #answer(connectionId: number, undecidedId: number): CachedAnswer {
    return { json: answerJson(this.matrix, connectionId, undecidedId) };
  }

  /**
   * The text of the pair's answer that ends its JSON object, `,"allowed":…}` (its connections id
   * given when known); undefined when the filter drops the pair.
   */
  textOf(from: number, to: number, connectionId?: number): string | undefined {
    const answer = this.of(from, to, connectionId);
    if (!answer) return undefined;
    answer.text ??= `,${jsonText(answer.json).slice(1)}`;
    return answer.text;
  }
}

/** The pods of the matrix, in its order. */
export function matrixPods(analysis: Analysis, matrix: ConnectivityMatrix): Pod[] {
  return matrix.podIdxs.map((idx) => analysis.pods[idx] as Pod);
}

/** The pairs of the matrix contract that pass the filter, in the order of -o json. */
export function* pairsJson(pods: readonly Pod[], matrix: ConnectivityMatrix, keep: PairFilter) {
  const answers = new PairAnswers(matrix, keep);
  for (const [i, from] of pods.entries()) {
    for (const [j, to] of pods.entries()) {
      const answer = answers.of(i, j);
      if (answer) yield { from: from.id, to: to.id, ...answer.json };
    }
  }
}

/** The opening of the matrix JSON contract: `{"pods":[…],`. */
function podsText(pods: readonly Pod[]): string {
  return `{"pods":[${pods.map((pod) => jsonText(podJson(pod))).join(',')}],`;
}

/** The end of the matrix JSON contract after its pairs: the scope fields close the object. */
function closingText(scope: AnswerScope['data']): string {
  return `\n],${jsonText(scope).slice(1)}\n`;
}

/**
 * Writes the matrix JSON contract piece by piece, batched and at the reader's pace, so large
 * clusters neither build one huge string nor pile output up in memory.
 */
export async function writeMatrixJson(
  terminal: Terminal,
  analysis: Analysis,
  matrix: ConnectivityMatrix,
  keep: PairFilter,
  scope: AnswerScope['data'],
): Promise<void> {
  const output = new BatchedOutput(terminal);
  const pods = matrixPods(analysis, matrix);
  await output.write(`${podsText(pods)}"pairs":[`);
  const answers = new PairAnswers(matrix, keep);
  // Each pod's id is escaped once, not once per pair.
  const fromTexts = pods.map((pod) => `\n{"from":${jsonText(pod.id)}`);
  const toTexts = pods.map((pod) => `,"to":${jsonText(pod.id)}`);
  let separator = '';
  for (let from = 0; from < pods.length; from++) {
    for (let to = 0; to < pods.length; to++) {
      const answer = answers.textOf(from, to);
      if (answer === undefined) continue;
      const behind = output.write(`${separator}${fromTexts[from]}${toTexts[to]}${answer}`);
      separator = ',';
      if (behind) await behind;
    }
  }
  await output.write(closingText(scope));
  await output.flush();
}

/**
 * Writes the pairs of groups the grouped contract lists, source group by source group: those
 * whose standing pair the filter keeps, with its answer. Where no answer differs by family, that
 * is its connections', known from the id the matrix's rows give, so the pairs of groups the
 * filter drops (most of them) cost a read each.
 */
async function writeGroupPairs(
  output: BatchedOutput,
  representatives: ClassRepresentatives,
  answers: PairAnswers,
  byFamily: boolean,
): Promise<void> {
  let separator = '';
  const write = (from: number, to: number, answer: string) => {
    const behind = output.write(`${separator}\n{"from":${from},"to":${to}${answer}`);
    separator = ',';
    return behind;
  };
  if (byFamily) {
    // Some family's connections may keep a pair whatever its connections: each pair of groups
    // is asked, once, in the contract's order.
    for (let from = 0; from < representatives.sources.length; from++) {
      for (let to = 0; to < representatives.destinations.length; to++) {
        const pair = representatives.of(from, to);
        const answer = pair && answers.textOf(...pair);
        if (answer === undefined) continue;
        const behind = write(from, to, answer);
        if (behind) await behind;
      }
    }
    return;
  }
  const listed = representatives.pairsBySource((connectionId) => answers.keeps(connectionId));
  for (let from = 0; from < representatives.sources.length; from++) {
    const end = listed.starts[from + 1] as number;
    for (let at = listed.starts[from] as number; at < end; at++) {
      const to = listed.destinations[at] as number;
      const pair = representatives.of(from, to) as readonly [number, number];
      const behind = write(from, to, answers.textOf(...pair, listed.connectionIds[at]) as string);
      if (behind) await behind;
    }
  }
}

/**
 * Writes the grouped matrix contract (`--group`): pods with the same connections in source and
 * destination groups, each pod listed once in each, the pairs of groups, a pair standing for
 * every pair of a pod of one and a pod of the other but a pod with itself, and the exceptions:
 * the pairs of pods whose answer is not their groups' (node-local traffic), with their own
 * answer, `"absent":true` where the plain form leaves the pair out.
 */
export async function writeGroupedMatrixJson(
  terminal: Terminal,
  analysis: Analysis,
  matrix: ConnectivityMatrix,
  keep: PairFilter,
  scope: AnswerScope['data'],
): Promise<void> {
  const output = new BatchedOutput(terminal);
  const pods = matrixPods(analysis, matrix);
  const representatives = new ClassRepresentatives(matrix);
  const groupsJson = (groups: Int32Array[]) =>
    jsonText(groups.map((members) => Array.from(members, (position) => pods[position]?.id)));
  await output.write(podsText(pods));
  await output.write(`"sourceGroups":${groupsJson(representatives.sources)},`);
  await output.write(`"destinationGroups":${groupsJson(representatives.destinations)},"pairs":[`);
  const answers = new PairAnswers(matrix, keep);
  const answerOf = (pair: readonly [number, number] | undefined) => pair && answers.textOf(...pair);
  await writeGroupPairs(output, representatives, answers, matrix.familyIds !== undefined);
  await output.write('\n],"exceptions":[');
  let separator = '';
  for (const [from, to] of matrix.exceptions?.pairs() ?? []) {
    const answer = answers.textOf(from, to);
    if (answer === answerOf(representatives.ofClassesOf(from, to))) continue;
    const ids = `{"from":${jsonText(pods[from]?.id)},"to":${jsonText(pods[to]?.id)}`;
    const behind = output.write(`${separator}\n${ids}${answer ?? ',"absent":true}'}`);
    separator = ',';
    if (behind) await behind;
  }
  await output.write(closingText(scope));
  await output.flush();
}

/** The matrix contract as one value, for -o jsonpath (json and yaml stream it instead). */
export function matrixData(analysis: Analysis, matrix: ConnectivityMatrix, keep: PairFilter) {
  const pods = matrixPods(analysis, matrix);
  return { pods: pods.map(podJson), pairs: [...pairsJson(pods, matrix, keep)] };
}
