import { type Analysis, computeMatrix } from '../../src/engine/index.js';
import { namespaceYaml, podYaml, stream } from './scenario.js';

/**
 * A pod of the pod network and a hostNetwork pod on another node, so that node-local traffic
 * does not apply between them: shop/api (app=api, node-a, TCP 8080) and ops/agent (app=agent
 * in namespace ops, team=ops; node-b, its node's address, TCP 9100 and 9200).
 */
export const HOST_POD_SCENARIO = stream(
  namespaceYaml('shop'),
  namespaceYaml('ops', { team: 'ops' }),
  podYaml('shop/api', {
    labels: { app: 'api' },
    ips: ['10.244.1.5'],
    nodeName: 'node-a',
    ports: [{ port: 8080 }],
  }),
  podYaml('ops/agent', {
    labels: { app: 'agent' },
    hostNetwork: true,
    ips: ['192.168.0.11'],
    nodeName: 'node-b',
    ports: [{ port: 9100 }, { port: 9200 }],
  }),
);

/** Whether the matrix of an analysis leaves the connections from one pod to another UNKNOWN. */
export function matrixUndecided(analysis: Analysis, from: string, to: string): boolean {
  const matrix = computeMatrix(analysis);
  const [source, destination] = [from, to].map((id) =>
    matrix.podIdxs.indexOf(analysis.podIndex.get(id) ?? -1),
  ) as [number, number];
  return matrix.undecided(source, destination);
}
