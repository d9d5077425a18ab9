import {
  type Analysis,
  computeMatrix,
  connectivityGraph,
  type EdgePorts,
  type FamilyName,
  type GraphEdge,
  type GraphNode,
  isEmptyPortSet,
  isFullPortSet,
  type PeerIndex,
  type PortSet,
  PROTOCOLS,
  type Protocol,
  unionPortSets,
} from '../engine/index.js';
import { answerPartsText, familyParts } from '../render/family-ports.js';
import { terminalList, terminalText } from '../render/terminal-text.js';
import { wrapWords } from '../render/wrap.js';
import type { MatrixScope } from './state.js';

/** One cell of the matrix screen: what it shows, and the check enter opens from it. */
export interface MatrixCell {
  /**
   * `all`, `8080`, `80,443`, `53/UDP`, `-` for nothing, `?` (or a `+?` suffix) for UNKNOWN
   * ports, `self` for a lone pod to itself.
   */
  readonly text: string;
  /** The first port allowed (or, failing that, UNKNOWN); undefined when every port or none is. */
  readonly port?: { readonly protocol: Protocol; readonly port: number };
  /**
   * The answer in words when it differs by IP family (`TCP 5432 (IPv4 only)`), which the cell
   * only hints at (`5432 v4`); absent otherwise.
   */
  readonly detail?: string;
}

/**
 * The connectivity of a namespace (or of marked pods, or of several namespaces) folded by
 * workload: sources are rows, destinations columns.
 * A node of several pods has, on the diagonal, the connections between its pods.
 */
export interface MatrixView {
  /** What the matrix is of, safe for the terminal: `namespace production`, `3 marked pods`. */
  readonly subject: string;
  /**
   * The nodes' names as the check takes them, unsanitised: `deploy/api` or a lone pod's name in
   * a namespace's matrix; with their namespace (`production/deploy/api`) in other matrices, and
   * a node of one pod as that pod.
   */
  readonly targets: readonly string[];
  /** The same names, safe for the terminal. */
  readonly names: readonly string[];
  /** cells[row][column]: from targets[row] to targets[column]. */
  readonly cells: readonly (readonly MatrixCell[])[];
}

/** A protocol's ranges compactly: `80,443`, `8000-8080`, with `/UDP` after non-TCP ones. */
function rangesText(set: PortSet): string {
  return PROTOCOLS.filter((protocol) => set[protocol].length > 0)
    .map((protocol) => {
      const ranges = set[protocol].map(([from, to]) => (from === to ? `${from}` : `${from}-${to}`));
      return `${ranges.join(',')}${protocol === 'TCP' ? '' : `/${protocol}`}`;
    })
    .join(',');
}

/** The first port of a set, protocol order first. */
function firstPort(set: PortSet): MatrixCell['port'] {
  const protocol = PROTOCOLS.find((p) => set[p].length > 0);
  const range = protocol && set[protocol][0];
  return protocol && range ? { protocol, port: range[0] } : undefined;
}

/** A cell's text: the ports surely allowed (none: '') and a `?` for UNKNOWN ones; `-` for none. */
function cellText(sure: string, anyUnknown: boolean): string {
  const unsure = anyUnknown ? '?' : '';
  return sure && unsure ? `${sure}+?` : sure || unsure || '-';
}

/** Ports compactly: `all`, or their ranges. */
const compactText = (set: PortSet) => (isFullPortSet(set) ? 'all' : rangesText(set));

/** The cell of an edge's ports: those allowed, and those whose answer is UNKNOWN. */
export function matrixCell(allowed: PortSet, unknown: PortSet): MatrixCell {
  const text = cellText(
    isEmptyPortSet(allowed) ? '' : compactText(allowed),
    !isEmptyPortSet(unknown),
  );
  const port = isFullPortSet(allowed)
    ? undefined
    : (firstPort(allowed) ?? (isFullPortSet(unknown) ? undefined : firstPort(unknown)));
  return port ? { text, port } : { text };
}

/** How a cell marks the ports of one IP family only. */
const FAMILY_MARKS: Readonly<Record<FamilyName, string>> = { IPv4: 'v4', IPv6: 'v6' };

/**
 * The cell of an edge whose ports differ by IP family: those both families get, then those of
 * one family marked (`80+443 v4`), and the answer in words as its detail.
 */
function familiesCell(families: Readonly<Record<FamilyName, EdgePorts>>): MatrixCell {
  const parts = familyParts(families);
  const sure = parts.allowed
    .map(({ ports, only }) => `${compactText(ports)}${only ? ` ${FAMILY_MARKS[only]}` : ''}`)
    .join('+');
  const { port } = matrixCell(
    unionPortSets([families.IPv4.allowed, families.IPv6.allowed]),
    unionPortSets([families.IPv4.unknown, families.IPv6.unknown]),
  );
  const text = cellText(sure, parts.unknown.length > 0);
  const detail = answerPartsText(parts);
  return port ? { text, port, detail } : { text, detail };
}

/** The cell of an edge of the connectivity graph. */
function edgeCell(edge: GraphEdge): MatrixCell {
  return edge.families ? familiesCell(edge.families) : matrixCell(edge.allowed, edge.unknown);
}

const NOTHING: MatrixCell = { text: '-' };
/** A lone pod to itself: policies do not govern it, and the engine's matrix leaves it out. */
const SELF: MatrixCell = { text: 'self' };

/** The pods of a matrix, in the analysis's order; marked pods no longer there are left out. */
function matrixPods(analysis: Analysis, of: string | MatrixScope): number[] {
  if (typeof of !== 'string' && of.kind === 'pods') {
    const marked = new Set(of.pods.flatMap((id) => analysis.podIndex.get(id) ?? []));
    return [...marked].sort((a, b) => a - b);
  }
  const namespaces = new Set(typeof of === 'string' ? [of] : of.namespaces);
  return analysis.pods.flatMap((pod, idx) => (namespaces.has(pod.namespace) ? [idx] : []));
}

/** What a matrix is of, in words. */
function subjectText(of: string | MatrixScope): string {
  if (typeof of === 'string') return `namespace ${terminalText(of)}`;
  if (of.kind === 'namespaces') return `namespaces ${terminalList(of.namespaces)}`;
  return `${of.pods.length} marked pod${of.pods.length === 1 ? '' : 's'}`;
}

/**
 * The name the check takes for a node of a matrix beyond one namespace: its one pod, else
 * NAMESPACE/KIND/NAME.
 */
function qualifiedTarget(analysis: Analysis, node: GraphNode): string {
  const [only] = node.podIdxs;
  const pod = only === undefined ? undefined : analysis.pods[only];
  return node.members === 1 && pod?.kind === 'Pod' ? pod.id : `${node.namespace}/${node.name}`;
}

/**
 * The matrix of a namespace's pods (`of` a namespace name), of marked pods, or of several
 * namespaces' pods, folded by workload (the pods of one workload are one row and one column; a
 * lone pod is its own), from the engine's matrix and connectivity graph.
 */
export function matrixView(
  analysis: Analysis,
  of: string | MatrixScope,
  peerIndex?: PeerIndex,
): MatrixView {
  const matrix = computeMatrix(analysis, matrixPods(analysis, of), peerIndex);
  const graph = connectivityGraph(analysis, matrix, 'workload');
  const cells = graph.nodes.map((from, row) =>
    graph.nodes.map((_, column) => (row === column && from.members === 1 ? SELF : NOTHING)),
  );
  for (const edge of graph.edges) {
    (cells[edge.from] as MatrixCell[])[edge.to] = edgeCell(edge);
  }
  const targets = graph.nodes.map((node) =>
    typeof of === 'string' ? node.name : qualifiedTarget(analysis, node),
  );
  const names = graph.nodes.map((node) =>
    terminalText(typeof of === 'string' ? node.name : `${node.namespace}/${node.name}`),
  );
  return { subject: subjectText(of), targets, names, cells };
}

/** A cell's position on the matrix screen. */
export interface MatrixCursor {
  readonly row: number;
  readonly column: number;
}

/** A run of text on a matrix line; the cell under the cursor is `selected`. */
export interface MatrixSegment {
  readonly text: string;
  readonly selected?: boolean;
}

/** Characters a column takes, its separating space included. */
const CELL_WIDTH = 9;
/** The widest a row's label grows. */
const MAX_LABEL_WIDTH = 26;

function padOrClip(text: string, width: number): string {
  return text.length <= width ? text.padEnd(width) : `${text.slice(0, width - 1)}…`;
}

/** The first of `count` items shown in a window of `size` that keeps `at` in view. */
function windowStart(at: number, size: number, count: number): number {
  return Math.max(0, Math.min(at - size + 1, count - size));
}

/**
 * The matrix screen's lines in `width` columns and `height` lines: a header of destinations
 * (numbers, with a legend under the rows, when their names do not fit), a row per source, and
 * a line naming the pair under the cursor. Columns and rows scroll to keep the cursor in view.
 */
export function matrixLines(
  view: MatrixView,
  cursor: MatrixCursor,
  width: number,
  height: number,
): MatrixSegment[][] {
  const count = view.names.length;
  if (count === 0) return [[{ text: `no pods in ${view.subject}` }]];
  const numbered = view.names.map((name, idx) => `${idx + 1} ${name}`);
  const namesFit = view.names.every((name) => name.length < CELL_WIDTH);
  const labelWidth = Math.min(MAX_LABEL_WIDTH, Math.max(...numbered.map((n) => n.length)) + 1);
  const columns = Math.max(1, Math.floor((width - labelWidth) / CELL_WIDTH));
  const firstColumn = windowStart(cursor.column, columns, count);
  const shownColumns = [...Array(Math.min(columns, count)).keys()].map((i) => firstColumn + i);
  const legend = namesFit
    ? []
    : wrapWords(
        shownColumns.map((c) => numbered[c] as string),
        width,
        '  ',
      );
  const scrolled = columns < count;
  const byFamily = view.cells.some((cells) => cells.some((cell) => cell.detail));
  const notes = [
    ...legend,
    ...(byFamily ? ['v4, v6: allowed over that IP family only'] : []),
    ...(scrolled
      ? [`columns ${firstColumn + 1}-${firstColumn + shownColumns.length} of ${count} (←/→)`]
      : []),
  ];
  const rowsRoom = Math.max(1, height - 2 - notes.length);
  const firstRow = windowStart(cursor.row, rowsRoom, count);
  const header = `${padOrClip('FROM \\ TO', labelWidth)}${shownColumns
    .map((c) => padOrClip(namesFit ? (view.names[c] as string) : `${c + 1}`, CELL_WIDTH))
    .join('')}`;
  const rows = view.cells.slice(firstRow, firstRow + rowsRoom).map((cells, offset) => {
    const row = firstRow + offset;
    return [
      { text: padOrClip(numbered[row] as string, labelWidth - 1) },
      { text: ' ' },
      ...shownColumns.flatMap((c) => [
        {
          text: padOrClip((cells[c] as MatrixCell).text, CELL_WIDTH - 1),
          ...(row === cursor.row && c === cursor.column ? { selected: true } : {}),
        },
        { text: ' ' },
      ]),
    ];
  });
  const from = view.names[cursor.row] ?? '';
  const to = view.names[cursor.column] ?? '';
  const selected = view.cells[cursor.row]?.[cursor.column];
  const cell = selected?.detail ?? selected?.text ?? '-';
  return [
    [{ text: header }],
    ...rows,
    ...notes.map((text) => [{ text }]),
    [{ text: `${from} -> ${to}: ${cell === '-' ? 'nothing allowed' : cell}  (enter: check)` }],
  ];
}
