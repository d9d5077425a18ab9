import type { CiliumRefusalDoubt } from '../cni/cilium-refusals.js';
import type { CiliumVersion } from '../cni/cilium-version.js';
import type { ClusterPolicySupportUnknown } from '../cni/cluster-policy-support.js';
import type { CniDetection } from '../cni/detect.js';
import type { CiliumEntity } from '../model/cilium-policy.js';
import type { ClusterPolicyTier } from '../model/cluster-policy.js';
import type {
  Cluster,
  IpBlock,
  LabelSelector,
  Pod,
  UnmodelledPolicy,
  UnreadList,
} from '../model/types.js';

/**
 * Something the engine could not read or does not evaluate that could change the answer for
 * one side of a connection: the answer on that side is UNKNOWN, whatever the NetworkPolicies say.
 */
export type UndecidedLayer =
  | { readonly kind: 'unread'; readonly list: UnreadList }
  | { readonly kind: 'unmodelled'; readonly policy: UnmodelledPolicy }
  | {
      /**
       * The other side's IP is unknown (a workload's pods, a pod without an address yet) and
       * these ipBlocks admit part of where it may lie: the pod range, or every address when
       * the range is unknown (`podCidrs` empty) or the pod uses its node's address.
       */
      readonly kind: 'pod-ip';
      readonly pod: string;
      /** Whether `pod` is a workload standing for its pods. */
      readonly workload: boolean;
      readonly hostNetwork: boolean;
      readonly ipBlocks: readonly IpBlock[];
      readonly podCidrs: readonly string[];
    }
  /**
   * The other side's namespace is not in the input, and these namespaceSelectors need labels of
   * it other than its name: they may or may not select it.
   */
  | {
      readonly kind: 'namespace-not-given';
      readonly namespace: string;
      readonly selectors: readonly LabelSelector[];
    }
  /**
   * Traffic between a pod and the host of its node is always allowed, and whether the other
   * side, a hostNetwork pod, runs on the pod's node is unknown: `node` is the pod's
   * spec.nodeName, `hostNode` the other's; at least one is absent.
   */
  | {
      readonly kind: 'node-unknown';
      readonly hostPod: string;
      readonly node?: string;
      readonly hostNode?: string;
    }
  /**
   * The side's NetworkPolicy selectors would select the other side, a hostNetwork pod, and the
   * network plugin (`plugin`, as detected; "unknown" without evidence) is not known to ignore
   * such pods: Kubernetes lets a plugin do either.
   */
  | { readonly kind: 'host-network-selectors'; readonly hostPod: string; readonly plugin: string }
  /**
   * The side's pod is a hostNetwork pod that these NetworkPolicies select, and the network
   * plugin (`plugin`, as for host-network-selectors) is not known to ignore such pods: they
   * isolate it if the plugin applies selectors to them, and do not if it takes its traffic as
   * the node's.
   */
  | {
      readonly kind: 'host-network-subject';
      readonly policies: readonly string[];
      readonly plugin: string;
    }
  /**
   * A network plugin's own policies take part in the side, and whether it lets node-local
   * traffic through as Kubernetes defines it for NetworkPolicies is not modelled.
   */
  | { readonly kind: 'node-local-plugin'; readonly plugin: 'Cilium' | 'Calico' }
  /** A `nodes` peer governs the side and the input holds no Node objects to match. */
  | { readonly kind: 'nodes-not-given'; readonly policy: string }
  /**
   * The other side is a host known by name and these ipBlocks (or networks) may or may not hold
   * the addresses it resolves to.
   */
  | {
      readonly kind: 'hostname-addresses';
      readonly hostname: string;
      readonly ipBlocks: readonly IpBlock[];
    }
  /** A `domainNames` peer governs the side: which addresses it matches depends on DNS. */
  | { readonly kind: 'domain-names'; readonly policy: string; readonly ruleIndex: number }
  /** A Calico rule governs the side with conditions the engine does not evaluate. */
  | {
      readonly kind: 'calico-unevaluated';
      readonly policy: string;
      /** undefined: a condition of the policy itself (spec.serviceAccountSelector). */
      readonly ruleIndex?: number;
      readonly parts: readonly string[];
    }
  /**
   * Calico and Cilium policies are both present and the network plugin is not known: which
   * of them the cluster enforces cannot be told.
   */
  | { readonly kind: 'plugin-unknown'; readonly plugins: readonly string[] }
  /**
   * Two cluster policies of one tier and priority govern the side with rules of different
   * actions: the API leaves which one applies to the implementation.
   */
  /**
   * A Cilium rule names entities whose members objects cannot tell (which node a host-network
   * pod is on, the API server's or the health endpoints' addresses).
   */
  | {
      readonly kind: 'cilium-entity';
      readonly policy: string;
      readonly entities: readonly CiliumEntity[];
    }
  /** A Cilium host policy (nodeSelector) governs the nodes; the engine does not evaluate those. */
  | { readonly kind: 'cilium-host-policy'; readonly policy: string }
  /** A Cilium policy selecting the pod uses rule fields the engine does not evaluate. */
  | {
      readonly kind: 'cilium-unsupported';
      readonly policy: string;
      readonly fields: readonly string[];
    }
  /** A Cilium egress rule names in toServices a Service whose objects could not be read. */
  | {
      readonly kind: 'cilium-service-unread';
      readonly policy: string;
      /** The rule's list: egress or egressDeny. */
      readonly list: 'egress' | 'egressDeny';
      readonly ruleIndex: number;
      readonly service: string;
      readonly unread: UnreadList;
    }
  /**
   * A Cilium egress rule names in toServices a Service whose backends only some releases match
   * (`selector`: it has one, matched from 1.17; else endpoints not ready, or in a slice without
   * ports), and the agents' release is not known (`release`); or some of its endpoints, serving
   * but not ready, count before 1.18 only with enable-k8s-terminating-endpoint on, and
   * cilium-config could not be read (`settingUnread`).
   */
  | {
      readonly kind: 'cilium-service-release';
      readonly policy: string;
      readonly list: 'egress' | 'egressDeny';
      readonly ruleIndex: number;
      readonly service: string;
      readonly selector: boolean;
      readonly release: boolean;
      readonly settingUnread?: UnreadList;
    }
  /**
   * The cilium-config ConfigMap could not be read, `default` is assumed, and its `enable-policy`
   * set to `mode` would answer otherwise (`always` isolates every pod, `never` enforces nothing).
   */
  | {
      readonly kind: 'cilium-enforcement-unread';
      readonly list: UnreadList;
      readonly mode: 'always' | 'never';
    }
  /**
   * The cilium-config ConfigMap could not be read, ClusterNetworkPolicies are taken as enforced,
   * and without its `enable-k8s-cluster-network-policy` (off by default) Cilium would ignore them
   * and answer otherwise.
   */
  | { readonly kind: 'cilium-cluster-policies-unread'; readonly list: UnreadList }
  /** The network plugin may not enforce these cluster policies (see ClusterPolicyDoubt). */
  | ClusterPolicySupportUnknown
  /**
   * The network plugin is Cilium, its version is not known, and these NetworkPolicies governing
   * the side use endPort, which Cilium before 1.16 ignores (each range admits only its `port`).
   */
  | { readonly kind: 'cilium-endport-version'; readonly policies: readonly string[] }
  /**
   * The network plugin is Cilium, whose datapath drops SCTP unless cilium-config turns
   * `enable-sctp` on, and that cannot be told: cilium-config is not in the input or could not be
   * read (`unread`), or it turns SCTP on while some agents (`olderAgent`) predate 1.13.
   */
  | {
      readonly kind: 'cilium-sctp-unknown';
      readonly unread?: UnreadList;
      readonly olderAgent?: CiliumVersion;
    }
  /**
   * Cilium may run in high-scale ipcache mode (cilium-config turns it on, or could not be read:
   * `unread`), where its egress rules see a destination pod of another node by its address, not
   * its labels (see cilium-high-scale-ipcache.ts), and the side's rules have peers.
   */
  | { readonly kind: 'cilium-high-scale-ipcache'; readonly unread?: UnreadList }
  /**
   * The other side is a node's address (`address`) that CIDR peers of the side hold, and whether
   * Cilium's CIDR selectors match nodes is unknown: cilium-config's policy-cidr-match-mode is not
   * known, as cilium-config is not in the input or could not be read (`unread`).
   */
  | { readonly kind: 'cilium-cidr-nodes'; readonly address: string; readonly unread?: UnreadList }
  /**
   * The Cilium agent may refuse these policies governing the side whole (for `doubts`), and
   * without them the side would answer otherwise.
   */
  | {
      readonly kind: 'cilium-refusal-unknown';
      readonly doubts: readonly CiliumRefusalDoubt[];
      readonly policies: readonly string[];
    }
  | {
      readonly kind: 'equal-priority';
      readonly tier: ClusterPolicyTier;
      readonly priority: number;
      readonly policies: readonly [string, string];
    };

/** How the engine treats what it cannot see. */
export interface CompileOptions {
  /** Evaluate as if the policy objects the engine does not model did not exist. */
  readonly ignoreUnmodelled?: boolean;
  /**
   * The cluster's network plugin, which decides whose policy layer is enforced (Cilium's or
   * Calico's); undefined: as the snapshot's workloads show it, else assumed from the policy
   * objects present.
   */
  readonly networkPlugin?: 'cilium' | 'calico' | 'other';
  /** Staged Calico policies to evaluate as if enforced (by kubectl name), for a preview. */
  readonly enforceStaged?: readonly string[];
  /**
   * The network plugin the cluster's workloads show, when the caller has detected it already (a
   * variant of a compiled snapshot, a snapshot the UI's thread detected); undefined: detected.
   */
  readonly cni?: CniDetection;
}

/** Lists whose absence cannot change which policies select a pod or whom a peer matches. */
const LISTS_WITHOUT_POLICIES = new Set([
  // cilium-config: what it changes is decided by chain readings instead.
  'configmaps',
  'services',
  'endpointslices',
  'nodes',
  'deployments',
  'replicasets',
  'statefulsets',
  'daemonsets',
  'jobs',
  'cronjobs',
  'replicationcontrollers',
  // Their labels only decide Calico selectors on them, which stay unevaluated unless every
  // pod's account was read.
  'serviceaccounts',
]);

/** Calico's staged policy lists, by the plural names they are read under (either API group). */
const STAGED_LIST = /^staged(global|kubernetes)?networkpolicies\.(crd\.)?projectcalico\.org$/;

/**
 * Whether an unread list holds only Calico staged policies: never enforced, they can change the
 * staged previews, never a verdict.
 */
export const hidesOnlyStagedPolicies = (list: UnreadList): boolean =>
  STAGED_LIST.test(list.resource);

/**
 * What an unread list hides: pods (an address may be an unread pod), namespace labels, staged
 * policies (previews only), or policies (NetworkPolicies or another layer's; any list not known
 * to hold none counts).
 */
function hides(list: UnreadList): 'pods' | 'namespaces' | 'staged' | 'policies' | 'nothing' {
  if (list.resource === 'pods') return 'pods';
  if (list.resource === 'namespaces') return 'namespaces';
  if (hidesOnlyStagedPolicies(list)) return 'staged';
  return LISTS_WITHOUT_POLICIES.has(list.resource) ? 'nothing' : 'policies';
}

/**
 * MultiNetworkPolicy governs only secondary networks (Multus attachments), never the pod network
 * that verdicts are about.
 */
const governsPodNetwork = (policy: UnmodelledPolicy) => policy.kind !== 'MultiNetworkPolicy';

/** What could change answers, by who it concerns. */
export interface Undecided {
  /** The layers that could govern a pod itself, in either direction. */
  forPod(pod: Pod): readonly UndecidedLayer[];
  /** Unread namespace lists: namespaceSelector peers cannot be matched for sure. */
  readonly namespaceLabels: readonly UndecidedLayer[];
  /** Unread pod lists: an address outside the known pods may be a pod that was not read. */
  readonly addresses: readonly UndecidedLayer[];
  /** Unread node lists: `nodes` peers cannot be matched for sure. */
  readonly nodes: readonly UndecidedLayer[];
  /**
   * Whether the plugin is Cilium of an unknown version, which may cut NetworkPolicy endPort
   * ranges to their first port: chains weigh that reading.
   */
  readonly ciliumEndPortsUnknown?: boolean;
  /**
   * The policies the Cilium agent may refuse whole, and why it may (by kubectl name): chains
   * weigh the readings without them.
   */
  readonly ciliumRefusable?: ReadonlyMap<string, readonly CiliumRefusalDoubt[]>;
  /**
   * The network plugin (as detected; "unknown" without evidence) when it may apply
   * NetworkPolicies to hostNetwork pods like to any pod, or ignore them (see HostNetworkPeers):
   * the chains of such pods weigh the reading where the policies selecting them apply.
   */
  readonly hostNetworkPlugin?: string;
  /**
   * Why Cilium may run in high-scale ipcache mode: the egress sides of pods whose rules have
   * peers are UNKNOWN for it.
   */
  readonly ciliumHighScaleIpcache?: UndecidedLayer;
}

/** Sorts what a cluster's input could not show, or the engine cannot evaluate, by who it concerns. */
export function undecidedLayers(cluster: Cluster, options: CompileOptions = {}): Undecided {
  const unread = cluster.unread ?? [];
  const policyLists = unread.filter((list) => hides(list) === 'policies');
  const unmodelled = options.ignoreUnmodelled
    ? []
    : (cluster.unmodelledPolicies ?? []).filter(governsPodNetwork);
  const asLayer = (list: UnreadList): UndecidedLayer => ({ kind: 'unread', list });
  return {
    forPod: (pod) => {
      // NetworkPolicies and namespaced layers do not apply to hostNetwork pods; cluster-wide
      // layers (Calico's host endpoints, Cilium's host policies) may.
      const covers = (namespace: string | undefined) =>
        namespace === undefined || (!pod.hostNetwork && namespace === pod.namespace);
      const hidesPoliciesOf = (list: UnreadList) =>
        covers(list.namespace) &&
        !list.readIn?.includes(pod.namespace) &&
        !(pod.hostNetwork && list.resource === 'networkpolicies');
      return [
        ...policyLists.filter(hidesPoliciesOf).map(asLayer),
        ...unmodelled
          .filter((policy) => covers(policy.namespace))
          .map((policy): UndecidedLayer => ({ kind: 'unmodelled', policy })),
      ];
    },
    namespaceLabels: unread.filter((list) => hides(list) === 'namespaces').map(asLayer),
    addresses: unread.filter((list) => hides(list) === 'pods').map(asLayer),
    nodes: unread.filter((list) => list.resource === 'nodes').map(asLayer),
  };
}
