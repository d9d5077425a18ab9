import type { Analysis, FamilyIds, Pod } from '../engine/index.js';
import {
  type ConnectivityMatrix,
  computeMatrix,
  connectivityGraph,
  isEmptyPortSet,
  isFullPortSet,
  type PortSet,
  pairReach,
  parsePortSpec,
  portSetAllows,
} from '../engine/index.js';
import { UserError } from '../errors.js';
import { renderSvg } from '../io/graphviz.js';
import type { Terminal } from '../io/terminal.js';
import { type AnswerScope, answerScope } from '../render/answer-scope.js';
import { answerPartsText, familyReachParts } from '../render/family-ports.js';
import { dotLines, mermaidLines } from '../render/graph.js';
import { objectNameLines } from '../render/object-names.js';
import { portSetText } from '../render/ports.js';
import { tableLines } from '../render/table.js';
import { portSpecProblemText } from '../render/target-problem.js';
import { terminalLine, terminalText } from '../render/terminal-text.js';
import {
  matrixData,
  type PairFilter,
  writeGroupedMatrixJson,
  writeMatrixJson,
} from './matrix-json.js';
import { groupingProblem, isGraphOutput, type MatrixArgs } from './matrix-options.js';
import { writeMatrixYaml } from './matrix-yaml.js';
import { printLines, printStructured } from './output.js';
import { noResourcesFound, openSession, selectedPods } from './session.js';

function pairFilter(args: MatrixArgs): PairFilter {
  if (args.port === undefined) {
    const protocol = args.protocol;
    return protocol ? (set) => set[protocol].length > 0 : (set) => !isEmptyPortSet(set);
  }
  const parsed = parsePortSpec(args.port);
  if (!parsed.ok) throw new UserError(portSpecProblemText(parsed.error, '--port'));
  const port = parsed.value;
  if (typeof port === 'string') throw new UserError(`--port ${port}: matrix takes a port number`);
  const protocol = args.protocol ?? 'TCP';
  return (set) => portSetAllows(set, protocol, port);
}

/** How many UNKNOWN pairs text output lists: unread lists can make whole rows UNKNOWN. */
const LISTED_UNKNOWN = 50;

/** A pair's line in the lists below the table: both pods and the ports. */
function pairLine(from: Pod, to: Pod, ports: PortSet): string {
  return `  ${terminalText(from.id)} -> ${terminalText(to.id)}: ${portSetText(ports)}`;
}

/**
 * The text matrix, line by line: a row of cells per pod, then the pairs allowing some ports
 * only and the first UNKNOWN pairs, between the scope's notes. Made as they are written,
 * whatever the number of pods.
 */
function* matrixLines(
  analysis: Analysis,
  matrix: ConnectivityMatrix,
  keep: PairFilter,
  filtered: boolean,
  scope: AnswerScope,
  layout: { readonly wide: boolean; readonly headers: boolean },
): Generator<string> {
  const pods = matrix.podIdxs.map((idx) => analysis.pods[idx] as Pod);
  const byFamily = (i: number, j: number) => {
    const families = matrix.familyIds?.(i, j);
    return families && Object.values(families).some((ids) => keep(matrix.portSet(ids.connectionId)))
      ? families
      : undefined;
  };
  const cell = (i: number, j: number) => {
    if (byFamily(i, j)) return '/';
    const set = matrix.connections(i, j);
    if (!keep(set)) return '.';
    if (matrix.undecided(i, j)) return '?';
    if (filtered || isFullPortSet(set)) return 'X';
    return '~';
  };
  const isPartial = (i: number, j: number) => {
    const set = matrix.connections(i, j);
    return (
      !filtered && keep(set) && !isFullPortSet(set) && !matrix.undecided(i, j) && !byFamily(i, j)
    );
  };
  const isShownUnknown = (i: number, j: number) =>
    matrix.undecided(i, j) && keep(matrix.connections(i, j)) && !byFamily(i, j);
  let unknownCount = 0;
  let splitCount = 0;
  const listedUnknown: string[] = [];
  for (const [i, from] of pods.entries()) {
    for (const [j, to] of pods.entries()) {
      if (byFamily(i, j)) splitCount++;
      if (!isShownUnknown(i, j)) continue;
      unknownCount++;
      if (listedUnknown.length < LISTED_UNKNOWN)
        listedUnknown.push(pairLine(from, to, matrix.connections(i, j)));
    }
  }
  yield* scope.before;
  const podCells = (pod: Pod) =>
    layout.wide
      ? [terminalText(pod.id), terminalText(pod.kind), terminalText(pod.ips.join(',') || '-')]
      : [terminalText(pod.id)];
  yield* tableLines(
    ['#', 'FROM', ...(layout.wide ? ['KIND', 'IP'] : []), 'TO'],
    pods.map((from, i) => [`${i + 1}`, ...podCells(from)]),
    (i) => pods.map((_, j) => cell(i, j)).join(''),
    layout.headers,
  );
  const unknown = unknownCount > 0 ? '  ? UNKNOWN (not surely denied; see below)' : '';
  const split = splitCount > 0 ? '  / differs by IP family (listed below)' : '';
  yield '';
  yield filtered
    ? `X allowed  . denied${unknown}${split}   (row: from, column: to, in the order of the rows)`
    : `X all ports  ~ some ports (listed below)  . nothing${unknown}${split}   (row: from, column: to, in the order of the rows)`;
  if (splitCount > 0) yield* familyLines(pods, matrix, byFamily);
  let partialSeen = false;
  for (const [i, from] of pods.entries()) {
    for (const [j, to] of pods.entries()) {
      if (!isPartial(i, j)) continue;
      if (!partialSeen) yield* ['', 'some ports only:'];
      partialSeen = true;
      yield pairLine(from, to, matrix.connections(i, j));
    }
  }
  if (unknownCount > 0) {
    yield* [
      '',
      'UNKNOWN, these ports not surely denied (check FROM TO says why):',
      ...listedUnknown,
    ];
    if (unknownCount > LISTED_UNKNOWN)
      yield `  and ${unknownCount - LISTED_UNKNOWN} more (-o json lists them all)`;
  }
  yield* scope.after;
}

/** The pairs whose answer differs by IP family, each with what each family gets. */
function* familyLines(
  pods: readonly Pod[],
  matrix: ConnectivityMatrix,
  byFamily: (i: number, j: number) => FamilyIds | undefined,
): Generator<string> {
  yield* ['', 'differs by IP family (a dual-stack connection uses one; check FROM TO says why):'];
  for (const [i, from] of pods.entries()) {
    for (const [j, to] of pods.entries()) {
      const families = byFamily(i, j);
      if (!families) continue;
      const answer = familyReachParts({
        IPv4: pairReach(matrix, families.IPv4),
        IPv6: pairReach(matrix, families.IPv6),
      });
      yield `  ${terminalText(from.id)} -> ${terminalText(to.id)}: ${answerPartsText(answer)}`;
    }
  }
}

/** Runs matrix: connectivity between every ordered pair of pods. */
export async function runMatrix(args: MatrixArgs, terminal: Terminal): Promise<number> {
  const groupProblem = groupingProblem(args);
  if (groupProblem) throw new UserError(groupProblem);
  const { input, analysis, namespace } = await openSession(args, terminal);
  const keep = pairFilter(args);
  const scopeNamespace = args.namespace && !args.allNamespaces ? namespace : undefined;
  const inNamespace =
    scopeNamespace === undefined
      ? undefined
      : [...(analysis.podsByNamespace.get(scopeNamespace) ?? [])];
  if (inNamespace && inNamespace.length === 0)
    throw new UserError(`namespace ${namespace} has no pods in the input`);
  const podIdxs = selectedPods(analysis, inNamespace, args.selector);
  if (podIdxs?.length === 0 && (args.output === 'text' || args.output === 'wide')) {
    terminal.err(noResourcesFound(scopeNamespace));
    return 0;
  }
  const matrix = computeMatrix(analysis, podIdxs);
  const scope = answerScope(input.cluster, analysis.cni, args.assumeEnforced === true);
  const filtered = args.port !== undefined || args.protocol !== undefined;
  if (isGraphOutput(args.output)) {
    const graph = connectivityGraph(
      analysis,
      matrix,
      args.group === 'namespace' ? 'namespace' : 'workload',
      keep,
    );
    // What the answer cannot see goes to stderr: stdout is a graph file.
    for (const line of [...scope.before, ...scope.after]) {
      if (line !== '') terminal.err(`${terminalLine(line)}\n`);
    }
    const dot = () => dotLines(graph).map(terminalLine).join('\n');
    if (args.output === 'svg') await terminal.out(await renderSvg(`${dot()}\n`, terminal.env));
    else await printLines(terminal, args.output === 'dot' ? dotLines(graph) : mermaidLines(graph));
  } else if (args.group === 'connections')
    await writeGroupedMatrixJson(terminal, analysis, matrix, keep, scope.data);
  else if (args.output === 'json')
    await writeMatrixJson(terminal, analysis, matrix, keep, scope.data);
  else if (args.output === 'yaml')
    await writeMatrixYaml(terminal, analysis, matrix, keep, scope.data);
  else if (args.output === 'name')
    await printLines(
      terminal,
      objectNameLines(matrix.podIdxs.map((idx) => analysis.pods[idx] as Pod)),
    );
  else if (args.output === 'text' || args.output === 'wide') {
    const layout = { wide: args.output === 'wide', headers: !args.noHeaders };
    await printLines(terminal, matrixLines(analysis, matrix, keep, filtered, scope, layout));
  } else
    await printStructured(terminal, args.output, {
      ...matrixData(analysis, matrix, keep),
      ...scope.data,
    });
  return 0;
}
