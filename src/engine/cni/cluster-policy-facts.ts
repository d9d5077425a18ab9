import type { ClusterPolicyKind } from '../model/cluster-policy.js';
import type { Release } from './plugin-version.js';

/**
 * Which cluster policy kinds each network plugin enforces, by release, as data. Cilium's rules
 * need its ConfigMap and live in cluster-policy-support.ts; a plugin this table does not hold
 * (kindnet, AWS VPC CNI, Kube-OVN, ...) is not modelled, so what its cluster policies decide is
 * UNKNOWN.
 */

/** How a plugin treats one kind of cluster policy. */
export type KindSupport =
  /** No release enforces it. */
  | { readonly kind: 'none' }
  /**
   * Releases from `since` (to before `until`) enforce it, when `flag` (a container flag, off by
   * default, read from the container's args) or `setting` (off by default, not in the snapshot)
   * turns it on too; without a `versionedBy` on the facts, every release does.
   */
  | {
      readonly kind: 'enforced';
      readonly since?: Release;
      readonly until?: Release;
      readonly flag?: string;
      readonly setting?: string;
    }
  /** Whether the plugin enforces it is not known here. */
  | { readonly kind: 'not-known' };

/** What is known of one plugin's cluster policy support. */
export interface ClusterPolicyFacts {
  /** The plugin as detect.ts names it in its evidence. */
  readonly plugin: string;
  /** Whether an evidence image (its repository) tells the plugin's release; none: releases do not matter. */
  readonly versionedBy?: (repository: string) => boolean;
  /** The last release these facts were checked against; later ones are not modelled. */
  readonly checkedThrough?: Release;
  readonly kinds: Readonly<Record<ClusterPolicyKind, KindSupport>>;
}

const release = (major: number, minor: number, patch = 0): Release => ({ major, minor, patch });

const NONE: KindSupport = { kind: 'none' };

/**
 * Calico: AdminNetworkPolicy from 3.29 ("k8s AdminNetworkPolicy support",
 * release-notes/v3.29.0-release-notes.md), BaselineAdminNetworkPolicy from 3.30 ("Add support
 * for Kubernetes BaselineAdminNetworkPolicy", calico#9464, release-notes/v3.30.0-release-notes.md),
 * ClusterNetworkPolicy from 3.32, which removed both v1alpha1 kinds: "v3.32 and newer will no
 * longer enforce them" (release-notes/v3.32.0-release-notes.md, projectcalico/calico). Only
 * calico/node images (and Rancher's copies of them) tell Calico's release: the tigera/operator's
 * tag is the operator's own.
 */
const CALICO: ClusterPolicyFacts = {
  plugin: 'Calico',
  versionedBy: (repository) =>
    /(^|\/)(calico\/node|hardened-calico|mirrored-calico-node)$/.test(repository),
  kinds: {
    ClusterNetworkPolicy: { kind: 'enforced', since: release(3, 32) },
    AdminNetworkPolicy: { kind: 'enforced', since: release(3, 29), until: release(3, 32) },
    BaselineAdminNetworkPolicy: { kind: 'enforced', since: release(3, 30), until: release(3, 32) },
  },
};

/** antrea-controller.conf's feature gate, as the message names it. */
const antreaGate = (gate: string) =>
  `the ${gate} feature gate of antrea-controller.conf in kube-system/antrea-config`;

/**
 * Antrea: AdminNetworkPolicy and BaselineAdminNetworkPolicy from v1.13, "an alpha feature and
 * disabled by default" behind the AdminNetworkPolicy feature gate (antrea-io/antrea
 * docs/admin-network-policy.md, #5270); ClusterNetworkPolicy from v2.7, "an Antrea Controller
 * alpha feature ... disabled by default" behind the ClusterNetworkPolicy gate
 * (docs/cluster-network-policy.md, #8044). The snapshot holds no antrea-config.
 */
const ANTREA: ClusterPolicyFacts = {
  plugin: 'Antrea',
  versionedBy: (repository) => /(^|\/)antrea\/antrea-/.test(repository),
  kinds: {
    ClusterNetworkPolicy: {
      kind: 'enforced',
      since: release(2, 7),
      setting: antreaGate('ClusterNetworkPolicy'),
    },
    AdminNetworkPolicy: {
      kind: 'enforced',
      since: release(1, 13),
      setting: antreaGate('AdminNetworkPolicy'),
    },
    BaselineAdminNetworkPolicy: {
      kind: 'enforced',
      since: release(1, 13),
      setting: antreaGate('AdminNetworkPolicy'),
    },
  },
};

/**
 * kube-network-policies v0.8.0 (Go module proxy, cmd/main.go): AdminNetworkPolicy only with
 * `--admin-network-policy`, BaselineAdminNetworkPolicy only with
 * `--baseline-admin-network-policy` (both "false" by default, "alpha so keep it feature gated
 * behind a flag"); it imports no v1alpha2 ClusterNetworkPolicy.
 */
const KUBE_NETWORK_POLICIES: ClusterPolicyFacts = {
  plugin: 'kube-network-policies',
  versionedBy: (repository) => /(^|\/)kube-network-policies$/.test(repository),
  checkedThrough: release(0, 8, 0),
  kinds: {
    ClusterNetworkPolicy: NONE,
    AdminNetworkPolicy: { kind: 'enforced', flag: 'admin-network-policy' },
    BaselineAdminNetworkPolicy: { kind: 'enforced', flag: 'baseline-admin-network-policy' },
  },
};

/** kube-router v2.1.0 (Go module proxy) imports nothing of the network-policy-api. */
const KUBE_ROUTER: ClusterPolicyFacts = {
  plugin: 'kube-router',
  versionedBy: (repository) => /(^|\/)kube-router$/.test(repository),
  checkedThrough: release(2, 1, 0),
  kinds: { ClusterNetworkPolicy: NONE, AdminNetworkPolicy: NONE, BaselineAdminNetworkPolicy: NONE },
};

/**
 * Weave Net's last release, 2.8.1 (January 2021), predates the AdminNetworkPolicy API, whose KEP
 * (kubernetes/enhancements#2522) was still in review in 2022; Flannel enforces no policy at all.
 */
const WITHOUT_CLUSTER_POLICIES: readonly ClusterPolicyFacts[] = ['Weave Net', 'Flannel'].map(
  (plugin) => ({
    plugin,
    kinds: {
      ClusterNetworkPolicy: NONE,
      AdminNetworkPolicy: NONE,
      BaselineAdminNetworkPolicy: NONE,
    },
  }),
);

/** Where OVN-Kubernetes turns AdminNetworkPolicy support on. */
const OVN_ANP_SETTING = 'the enable-admin-network-policy option of the ovnkube config';

/**
 * OVN-Kubernetes implements AdminNetworkPolicy and BaselineAdminNetworkPolicy "behind the flag
 * `enable-admin-network-policy`" (openshift/openshift-docs#70800; ovn-kubernetes#4214), set in
 * its ovnkube config, which the snapshot does not hold; its images tell no release, and whether it
 * implements ClusterNetworkPolicy is not known here.
 */
const OVN_KUBERNETES: ClusterPolicyFacts = {
  plugin: 'OVN-Kubernetes',
  kinds: {
    ClusterNetworkPolicy: { kind: 'not-known' },
    AdminNetworkPolicy: { kind: 'enforced', setting: OVN_ANP_SETTING },
    BaselineAdminNetworkPolicy: { kind: 'enforced', setting: OVN_ANP_SETTING },
  },
};

/** The plugins whose cluster policy support is modelled, by the name detect.ts gives them. */
export const CLUSTER_POLICY_FACTS: ReadonlyMap<string, ClusterPolicyFacts> = new Map(
  [
    CALICO,
    ANTREA,
    KUBE_NETWORK_POLICIES,
    KUBE_ROUTER,
    OVN_KUBERNETES,
    ...WITHOUT_CLUSTER_POLICIES,
  ].map((facts) => [facts.plugin, facts]),
);
