import type { Cluster } from '../model/types.js';

/** Whether a cluster holds Calico policies of any kind, staged Kubernetes ones included. */
export const hasCalicoPolicies = (
  cluster: Pick<Cluster, 'calicoPolicies' | 'stagedKubernetesPolicies'>,
) => (cluster.calicoPolicies ?? []).length + (cluster.stagedKubernetesPolicies ?? []).length > 0;

/** Whether the input holds Cilium policies (the other plugin whose layer the engine knows). */
export const hasCiliumPolicies = (cluster: Pick<Cluster, 'ciliumPolicies'>) =>
  (cluster.ciliumPolicies ?? []).length > 0;
