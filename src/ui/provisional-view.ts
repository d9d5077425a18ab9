import { type Cluster, namespaceTable } from '../engine/index.js';
import type { Steps } from '../steps.js';
import { OBJECTS_PER_STEP, stepwiseValue } from './steps.js';
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
function* countByNamespace(
  objects: readonly { readonly namespace: string }[],
): Steps<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let i = 0; i < objects.length; i++) {
    const { namespace } = objects[i] as { readonly namespace: string };
    counts.set(namespace, (counts.get(namespace) ?? 0) + 1);
    if ((i + 1) % OBJECTS_PER_STEP === 0) yield;
  }
  return counts;
}

function* provisionalSteps(cluster: Cluster): Steps<ClusterView> {
  const pods = yield* countByNamespace(cluster.pods);
  const policies = yield* countByNamespace(cluster.policies);
  yield;
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

/**
 * The lists as drawn before the analyst's rows come: every namespace with its pods and policies
 * counted, its isolation pending; no other rows. Worked out once per cluster: at once (`now`), or
 * ahead a step at a time (`inTurns`), so that the frame that asks for it finds it ready.
 */
export const provisionalView = stepwiseValue(provisionalSteps);
