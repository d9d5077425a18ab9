import type { ConnectivityGraph, GraphEdge, GraphNode } from '../engine/index.js';
import { commonParts, familyParts, partsText } from './family-ports.js';
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

/**
 * The edges to draw: one for the allowed ports, one dashed "?" for the UNKNOWN ones; ports of
 * one address family only are marked `(IPv4 only)`.
 */
function drawnEdges(edges: readonly GraphEdge[]): DrawnEdge[] {
  return edges.flatMap((edge) => {
    const { from, to } = edge;
    const { allowed, unknown } = edge.families ? familyParts(edge.families) : commonParts(edge);
    return [
      ...(allowed.length === 0 ? [] : [{ from, to, label: partsText(allowed), unknown: false }]),
      ...(unknown.length === 0
        ? []
        : [{ from, to, label: `? ${partsText(unknown)}`, unknown: true }]),
    ];
  });
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

/** What the edges mean, and what marks ports of one address family only when an edge has some. */
function legend(graph: ConnectivityGraph): string {
  const families = graph.edges.some((edge) => edge.families)
    ? '; "(IPv4 only)", "(IPv6 only)": over that IP family only'
    : '';
  return `edges: ports allowed; dashed "?" edges: ports whose answer is UNKNOWN${families}`;
}

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
    `// ${legend(graph)}`,
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
  return [`%% ${legend(graph)}`, 'flowchart LR', ...nodes, ...edges];
}
