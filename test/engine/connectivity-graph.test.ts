import { describe, expect, it } from 'vitest';
import {
  type ConnectivityGraph,
  computeMatrix,
  connectivityGraph,
} from '../../src/engine/index.js';
import {
  EMPTY_PORT_SET,
  isEmptyPortSet,
  portSetKey,
  portSetOf,
} from '../../src/engine/primitives/port-set.js';
import { analyseYaml } from '../helpers/load.js';
import { namespaceYaml, podYaml, policyYaml, stream } from '../helpers/scenario.js';

const PODS = stream(
  namespaceYaml('a'),
  podYaml('a/web-5d8f7c6b9-x2k4p', {
    labels: { app: 'web', 'pod-template-hash': '5d8f7c6b9' },
    ips: ['10.0.0.1'],
  }),
  podYaml('a/web-5d8f7c6b9-b9tlm', {
    labels: { app: 'web', 'pod-template-hash': '5d8f7c6b9' },
    ips: ['10.0.0.2'],
  }),
  podYaml('a/db-0', {
    labels: { app: 'db', 'statefulset.kubernetes.io/pod-name': 'db-0' },
    ips: ['10.0.0.3'],
    ports: [{ port: 5432 }],
  }),
);
const DB_FROM_WEB = policyYaml(
  'a/db',
  'podSelector: {matchLabels: {app: db}}\ningress: [{from: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: 5432}]}]',
);
const WEB_ISOLATED = policyYaml(
  'a/web',
  'podSelector: {matchLabels: {app: web}}\npolicyTypes: [Ingress]',
);

/** The edges as `FROM -> TO: allowed ? unknown`, by node name. */
function edges(graph: ConnectivityGraph): string[] {
  const name = (idx: number) => graph.nodes[idx]?.name;
  const ports = (set: Parameters<typeof portSetKey>[0]) =>
    isEmptyPortSet(set) ? '-' : portSetKey(set);
  return graph.edges.map(
    (e) => `${name(e.from)} -> ${name(e.to)}: ${ports(e.allowed)} ? ${ports(e.unknown)}`,
  );
}

function graphOf(yaml: string, grouping: 'workload' | 'namespace') {
  const analysis = analyseYaml(yaml);
  return connectivityGraph(analysis, computeMatrix(analysis), grouping);
}

describe('connectivityGraph', () => {
  it('folds the pods of a workload into one node, by the names and labels their controller gives', () => {
    const graph = graphOf(stream(PODS, DB_FROM_WEB, WEB_ISOLATED), 'workload');
    expect(graph.nodes).toEqual([
      { namespace: 'a', name: 'deploy/web', members: 2, podIdxs: [0, 1] },
      { namespace: 'a', name: 'sts/db', members: 1, podIdxs: [2] },
    ]);
    // web's replicas cannot reach each other (isolated), db reaches web on nothing, itself on all.
    expect(edges(graph)).toEqual([
      `deploy/web -> sts/db: ${portSetKey(portSetOf('TCP', 5432, 5432))} ? -`,
    ]);
  });

  it('leaves a lone pod reaching itself out, and keeps replicas reaching each other', () => {
    const graph = graphOf(stream(PODS, DB_FROM_WEB), 'workload');
    expect(edges(graph).filter((edge) => edge.startsWith('deploy/web -> deploy/web'))).toHaveLength(
      1,
    );
    expect(edges(graph).filter((edge) => edge.startsWith('sts/db -> sts/db'))).toEqual([]);
  });

  it('folds by namespace, and keeps UNKNOWN ports apart from allowed ones', () => {
    // A policy layer the engine does not evaluate (Antrea's) makes what it may select UNKNOWN.
    const antrea =
      'apiVersion: crd.antrea.io/v1beta1\nkind: NetworkPolicy\nmetadata: {name: c, namespace: a}\nspec: {}\n';
    const graph = graphOf(stream(PODS, DB_FROM_WEB, antrea), 'namespace');
    expect(graph.nodes).toEqual([{ namespace: 'a', name: 'a', members: 3, podIdxs: [0, 1, 2] }]);
    const [edge] = graph.edges;
    expect(isEmptyPortSet(edge?.allowed ?? EMPTY_PORT_SET)).toBe(true);
    expect(isEmptyPortSet(edge?.unknown ?? EMPTY_PORT_SET)).toBe(false);
  });
});
