/** An API group whose policy kinds live discovery looks for, and those kinds. */
export interface PolicyLayer {
  readonly group: string;
  readonly kinds: readonly string[];
  /** The kinds among them that are cluster-scoped. */
  readonly clusterScoped: readonly string[];
  /** Whether the engine evaluates these kinds (each group has its normaliser); else they are unmodelled. */
  readonly modelled?: boolean;
}

const CALICO_KINDS = [
  'Tier',
  'NetworkPolicy',
  'GlobalNetworkPolicy',
  'StagedNetworkPolicy',
  'StagedGlobalNetworkPolicy',
  'StagedKubernetesNetworkPolicy',
];

const CALICO_GLOBAL_KINDS = ['Tier', 'GlobalNetworkPolicy', 'StagedGlobalNetworkPolicy'];

/**
 * Policy layers beside Kubernetes NetworkPolicy that can allow or deny pod traffic. Versions are
 * left out on purpose: any served version of an unmodelled kind is a policy the verdicts do not
 * see. ClusterNetworkPolicy and its v1alpha1 kinds are evaluated (as the Admin and Baseline tiers).
 */
export const POLICY_LAYERS: readonly PolicyLayer[] = [
  {
    group: 'cilium.io',
    kinds: ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'],
    clusterScoped: ['CiliumClusterwideNetworkPolicy'],
    modelled: true,
  },
  // The Calico API server (v3) and the CRDs it stores them in (v1) serve the same objects.
  // Evaluated as Calico tiers; staged kinds (StagedKubernetesNetworkPolicy too) are previewed.
  {
    group: 'projectcalico.org',
    kinds: CALICO_KINDS,
    clusterScoped: CALICO_GLOBAL_KINDS,
    modelled: true,
  },
  {
    group: 'crd.projectcalico.org',
    kinds: CALICO_KINDS,
    clusterScoped: CALICO_GLOBAL_KINDS,
    modelled: true,
  },
  {
    group: 'crd.antrea.io',
    kinds: ['NetworkPolicy', 'ClusterNetworkPolicy'],
    clusterScoped: ['ClusterNetworkPolicy'],
  },
  {
    group: 'policy.networking.k8s.io',
    kinds: ['ClusterNetworkPolicy', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy'],
    clusterScoped: ['ClusterNetworkPolicy', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy'],
    modelled: true,
  },
  { group: 'k8s.cni.cncf.io', kinds: ['MultiNetworkPolicy'], clusterScoped: [] },
];

/** The group of an apiVersion: `cilium.io` for `cilium.io/v2`, `` for `v1`. */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/**
 * The scope of an object of this apiVersion and kind when it is a policy of a layer the engine
 * does not evaluate; undefined for any other object.
 */
export function unmodelledPolicyScope(
  apiVersion: string,
  kind: string,
): 'namespaced' | 'cluster' | undefined {
  const group = apiGroup(apiVersion);
  const layer = POLICY_LAYERS.find((l) => l.group === group && l.kinds.includes(kind));
  if (!layer || layer.modelled) return undefined;
  return layer.clusterScoped.includes(kind) ? 'cluster' : 'namespaced';
}
