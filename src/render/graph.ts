import {
  type ConnectivityGraph,
  type GraphEdge,
  type GraphNode,
  isEmptyPortSet,
} from '../engine/index.js';
import { portSetText } from './ports.js';
import { terminalText } from './terminal-text.js';

/** Graph formats the matrix draws. */
export type GraphFormat = 'dot' | 'mermaid';

/** One drawn edge: its label, and whether it stands for UNKNOWN ports (drawn dashed). */
interface DrawnEdge {
  readonly from: number;
  readonly to: number;
  readonly label: string;
  readonly unknown: boolean;
}

/** The edges to draw: one for the allowed ports, one dashed "?" for the UNKNOWN ones. */
function drawnEdges(edges: readonly GraphEdge[]): DrawnEdge[] {
  return edges.flatMap(({ from, to, allowed, unknown }) => [
    ...(isEmptyPortSet(allowed) ? [] : [{ from, to, label: portSetText(allowed), unknown: false }]),
    ...(isEmptyPortSet(unknown)
      ? []
      : [{ from, to, label: `? ${portSetText(unknown)}`, unknown: true }]),
  ]);
}

/** The nodes of each namespace (by index), in order of first appearance. */
function byNamespace(nodes: readonly GraphNode[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  nodes.forEach((node, idx) => {
    groups.set(node.namespace, [...(groups.get(node.namespace) ?? []), idx]);
  });
  return groups;
}

/** A DOT quoted string: untrusted text made visible (control characters escaped), then quoted. */
function dotString(text: string): string {
  return `"${terminalText(text).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * A Mermaid quoted label: untrusted text made visible, then every character Mermaid could read
 * as syntax or markup written as an entity code (`#quot;`); `#` itself first.
 */
function mermaidString(text: string): string {
  const entities: Readonly<Record<string, string>> = {
    '#': '#35;',
    '"': '#quot;',
    '<': '#lt;',
    '>': '#gt;',
    '|': '#124;',
    ';': '#59;',
    '`': '#96;',
    '{': '#123;',
    '}': '#125;',
  };
  return `"${terminalText(text).replace(/[#"<>|;`{}]/g, (char) => entities[char] ?? char)}"`;
}

const LEGEND = 'edges: ports allowed; dashed "?" edges: ports whose answer is UNKNOWN';

/** The graph in Graphviz DOT; with workload nodes, each namespace is a cluster. */
export function dotLines(graph: ConnectivityGraph): string[] {
  const nodeLine = (node: GraphNode, idx: number) => `n${idx} [label=${dotString(node.name)}];`;
  const nodes =
    graph.grouping === 'namespace'
      ? graph.nodes.map((node, idx) => `  ${nodeLine(node, idx)}`)
      : [...byNamespace(graph.nodes)].flatMap(([namespace, idxs], cluster) => [
          `  subgraph cluster_${cluster} {`,
          `    label=${dotString(namespace)};`,
          ...idxs.map((idx) => `    ${nodeLine(graph.nodes[idx] as GraphNode, idx)}`),
          '  }',
        ]);
  const edges = drawnEdges(graph.edges).map(
    (edge) =>
      `  n${edge.from} -> n${edge.to} [label=${dotString(edge.label)}${edge.unknown ? ', style=dashed' : ''}];`,
  );
  return [
    `// ${LEGEND}`,
    'digraph connectivity {',
    '  rankdir=LR;',
    '  node [shape=box];',
    ...nodes,
    ...edges,
    '}',
  ];
}

/** The graph as a Mermaid flowchart; with workload nodes, each namespace is a subgraph. */
export function mermaidLines(graph: ConnectivityGraph): string[] {
  const nodeLine = (node: GraphNode, idx: number) => `n${idx}[${mermaidString(node.name)}]`;
  const nodes =
    graph.grouping === 'namespace'
      ? graph.nodes.map((node, idx) => `  ${nodeLine(node, idx)}`)
      : [...byNamespace(graph.nodes)].flatMap(([namespace, idxs], group) => [
          `  subgraph ns${group}[${mermaidString(namespace)}]`,
          ...idxs.map((idx) => `    ${nodeLine(graph.nodes[idx] as GraphNode, idx)}`),
          '  end',
        ]);
  const edges = drawnEdges(graph.edges).map(
    (edge) =>
      `  n${edge.from} ${edge.unknown ? '-.->' : '-->'}|${mermaidString(edge.label)}| n${edge.to}`,
  );
  return [`%% ${LEGEND}`, 'flowchart LR', ...nodes, ...edges];
}
