import type { KubeObject, NamespaceObject } from './kube-objects.js';
import { Random } from './prng.js';
import { placePods, planNodes } from './synthetic-pods.js';
import { generatePolicies } from './synthetic-policies.js';
import { planTopology } from './synthetic-topology.js';

/** How big a synthetic cluster is, and the seed that makes it reproducible. */
export interface ClusterSize {
  readonly pods: number;
  readonly policies: number;
  readonly namespaces: number;
  readonly seed: number;
}

/** The benchmarked sizes. */
export const CLUSTER_SIZES = {
  small: { pods: 1_000, policies: 200, namespaces: 20, seed: 1 },
  large: { pods: 10_000, policies: 2_000, namespaces: 200, seed: 2 },
  // Measured only on request (`npm run bench -- --huge`): see OPT_IN_SIZES in run.ts.
  huge: { pods: 50_000, policies: 10_000, namespaces: 1_000, seed: 3 },
} as const satisfies Record<string, ClusterSize>;

/** A benchmarked size's name. */
export type SizeName = keyof typeof CLUSTER_SIZES;

/**
 * Generates a realistic cluster as API objects: labelled namespaces, Deployment-like workloads
 * whose replicas share labels and named ports, pods addressed per node /24, and a mix of
 * NetworkPolicies valid for a real API server. The same size always yields the same objects.
 */
export function generateCluster(size: ClusterSize): KubeObject[] {
  const random = new Random(size.seed);
  const nodes = planNodes(size.pods);
  const topology = planTopology(random, { ...size, nodes: nodes.length });
  const namespaces = topology.namespaces.map(
    (ns): NamespaceObject => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns.name, labels: ns.labels },
    }),
  );
  const pods = placePods(random, topology, nodes);
  const policies = generatePolicies(random, topology, nodes, size.policies);
  return [...namespaces, ...pods, ...policies];
}
