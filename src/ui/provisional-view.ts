import { type Cluster, namespaceTable } from '../engine/index.js';
import type { ClusterView } from './view-model.js';

/** What a column shows until the analyst has analysed the snapshot. */
export const PENDING = '…';

/** The lists the provisional view leaves empty: their rows come from the analyst. */
const ANALYSED_LISTS: ReadonlySet<string> = new Set([
  'pods',
  'policies',
  'services',
  'cluster-policies',
]);

/** Whether a screen is a list whose rows are only there once the analyst's have come. */
export function awaitsAnalysedRows(screenId: string): boolean {
  return ANALYSED_LISTS.has(screenId);
}

/** How many of some objects each namespace holds. */
function countByNamespace(objects: readonly { readonly namespace: string }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { namespace } of objects) counts.set(namespace, (counts.get(namespace) ?? 0) + 1);
  return counts;
}

/**
 * The lists as drawn before the analyst's rows come: every namespace with its pods and policies
 * counted, its isolation pending; no other rows. Cheap enough for the first frame at any size.
 */
export function provisionalView(cluster: Cluster): ClusterView {
  const pods = countByNamespace(cluster.pods);
  const policies = countByNamespace(cluster.policies);
  const namespaces = [...namespaceTable(cluster).values()].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  return {
    namespaces: namespaces.map((namespace) => ({
      key: namespace.name,
      name: namespace.name,
      pods: pods.get(namespace.name) ?? 0,
      policies: policies.get(namespace.name) ?? 0,
      defaultDeny: PENDING,
      isolated: PENDING,
      unknown: '',
      labels: namespace.labels,
    })),
    pods: [],
    policies: [],
    services: [],
    clusterPolicies: [],
  };
}
