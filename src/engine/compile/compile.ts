import { type CiliumCidrNodes, ciliumCidrNodes } from '../cni/cilium-cidr-nodes.js';
import { type CiliumDirectReturn, ciliumDirectReturn } from '../cni/cilium-direct-return.js';
import { ciliumHighScaleIpcache } from '../cni/cilium-high-scale-ipcache.js';
import {
  type CiliumRefusedPolicy,
  ciliumRefusals,
  withoutRefused,
} from '../cni/cilium-refusals.js';
import { ciliumTerminatingFallback } from '../cni/cilium-terminating-fallback.js';
import { ciliumServiceReading } from '../cni/cilium-to-services.js';
import {
  type CiliumEndPorts,
  type CiliumSctp,
  ciliumEndPorts,
  ciliumSctp,
  ciliumVersion,
} from '../cni/cilium-version.js';
import {
  type EnforcedClusterPolicy,
  type IgnoredClusterPolicy,
  sortClusterPolicies,
} from '../cni/cluster-policy-support.js';
import { type CniDetection, detectCni } from '../cni/detect.js';
import {
  type HostNetworkPeers,
  hostNetworkPeersOf,
  hostNetworkSubjectsOf,
} from '../cni/host-network-peers.js';
import { networkPluginOf } from '../cni/network-plugin.js';
import {
  type Cluster,
  NAMESPACE_NAME_LABEL,
  type Namespace,
  type Pod,
  type Service,
} from '../model/types.js';
import { type IpRange, parseCidr } from '../primitives/ip-block.js';
import { selectorMatches } from '../primitives/selector.js';
import { buildChains, type ClusterPolicyChains, type PodChains } from './chains.js';
import { ClusterIpIndex } from './cluster-ip-index.js';
import {
  type CalicoChains,
  type CalicoLayerMode,
  calicoChains,
  calicoLayerMode,
  policiesInForce,
  withStagedKubernetesPolicies,
} from './compile-calico.js';
import {
  type CiliumLayerState,
  type CiliumSelection,
  ciliumLayerState,
  compileCiliumPolicies,
  enforcementUnread,
} from './compile-cilium-policy.js';
import {
  type CompiledClusterPolicy,
  compileClusterPolicy,
  subjectSelects,
} from './compile-cluster-policy.js';
import {
  type CompiledPolicy,
  compilePolicy,
  type Direction,
  type IpBlockReach,
} from './compile-policy.js';
import { type NamedPortResolution, resolveNamedPorts } from './named-ports.js';
import { hasCiliumPolicies } from './plugin-presence.js';
import { PodAddresses } from './pod-addresses.js';
import { indexSlicesByService, type SlicesByService } from './service-slices.js';
import {
  type CompileOptions,
  type Undecided,
  type UndecidedLayer,
  undecidedLayers,
} from './undecided.js';

export type {
  CompiledPeer,
  CompiledPolicy,
  CompiledRule,
  Direction,
  PolicyRef,
  SelectorOrBlockPeer,
} from './compile-policy.js';

/** A cluster compiled once for many questions. */
export interface Analysis {
  readonly cluster: Cluster;
  readonly namespaces: ReadonlyMap<string, Namespace>;
  /**
   * Namespaces the input's objects name but does not hold (files without their Namespace): of
   * their labels only kubernetes.io/metadata.name is sure. Empty when the namespace list could
   * not be read, which makes every namespaceSelector undecided already.
   */
  readonly namespacesNotGiven: ReadonlySet<string>;
  readonly pods: readonly Pod[];
  readonly podIndex: ReadonlyMap<string, number>;
  /** Parsed addresses of each pod, by pod index (parsed when first asked for). */
  readonly podAddresses: PodAddresses;
  /** Where pods whose IP is unknown take theirs from; no ranges when no Node or flag says. */
  readonly podRange: PodRange;
  readonly policies: readonly CompiledPolicy[];
  /** ClusterNetworkPolicies (and their deprecated v1alpha1 kinds) the plugin enforces, by id. */
  readonly clusterPolicies: readonly CompiledClusterPolicy[];
  /** The cluster policies the network plugin does not enforce, and why; absent when none. */
  readonly clusterPoliciesIgnored?: readonly IgnoredClusterPolicy[];
  /** Ids of the policies isolating each pod for ingress, by pod index. */
  readonly ingressPolicies: readonly (readonly number[])[];
  /** Ids of the policies isolating each pod for egress, by pod index. */
  readonly egressPolicies: readonly (readonly number[])[];
  readonly podsByNamespace: ReadonlyMap<string, readonly number[]>;
  readonly services: ReadonlyMap<string, Service>;
  /** The same Services by ClusterIP, for the ipBlocks that hold some. */
  readonly clusterIps: ClusterIpIndex;
  /** The EndpointSlices of each Service, by `namespace/name`, indexed once here. */
  readonly slicesByService: SlicesByService;
  /** What governs each pod per direction, as ordered rules of every policy tier. */
  readonly chains: PodChains;
  /** The policies' named ports, resolved on every pod. */
  readonly namedPorts: NamedPortResolution;
  /** Whether Cilium's policy layer is enforced, and how that was decided. */
  readonly ciliumLayer: CiliumLayerState;
  /** Cilium's policies as the chains use them; absent when its layer does not apply. */
  readonly cilium?: CiliumSelection;
  /** How Calico's policies take part, and the layer when they are evaluated. */
  readonly calico: { readonly mode: CalicoLayerMode; readonly layer?: CalicoChains };
  /** The network plugin the cluster's workloads show, detected once per snapshot. */
  readonly cni: CniDetection;
  /** What NetworkPolicy ipBlocks match on this plugin: pods too, or only outside addresses. */
  readonly ipBlockReach: IpBlockReach;
  /** Whether NetworkPolicy selectors surely ignore hostNetwork pods on this plugin. */
  readonly hostNetworkPeers: HostNetworkPeers;
  /** Whether the NetworkPolicies selecting a hostNetwork pod surely do not isolate it. */
  readonly hostNetworkSubjects: HostNetworkPeers;
  /** On Cilium (detected or assumed): how its version reads NetworkPolicy endPort. */
  readonly ciliumEndPorts?: CiliumEndPorts;
  /** On Cilium (detected or assumed): whether its datapath passes SCTP. */
  readonly ciliumSctp?: CiliumSctp;
  /** The policies of the input the Cilium agent refuses, left out; absent when none. */
  readonly ciliumRefused?: readonly CiliumRefusedPolicy[];
  /**
   * On Cilium, where its load balancer may not fall back to a Service's terminating endpoints
   * while none is ready (see cni/cilium-terminating-fallback.ts); absent where it does.
   */
  readonly ciliumTerminatingFallback?: 'dropped' | 'unknown';
  /**
   * On Cilium, the outside clients its load balancer hands to NodePort, LoadBalancer and
   * externalIPs Services' backends by their own address (see cni/cilium-direct-return.ts);
   * absent where none is known to be.
   */
  readonly ciliumDirectReturn?: CiliumDirectReturn;
  /**
   * Where CIDR peers match only outside addresses (Cilium): whether they match the nodes' own
   * (see cni/cilium-cidr-nodes.ts).
   */
  readonly ciliumCidrNodes?: CiliumCidrNodes;
}

/** The Calico layer of a cluster, when its policies are evaluated (enforced or assumed). */
function calicoLayer(
  cluster: Cluster,
  namespaces: ReadonlyMap<string, Namespace>,
  options: CompileOptions,
  namespaceLabelsUnread: readonly UndecidedLayer[],
): Analysis['calico'] {
  const all = cluster.calicoPolicies ?? [];
  const mode = calicoLayerMode(cluster, options.networkPlugin, hasCiliumPolicies(cluster));
  // Staged Kubernetes policies alone make no Calico layer: previewed, they are NetworkPolicies.
  if (mode === 'absent' || mode === 'ignored' || all.length === 0) return { mode };
  const layer = calicoChains(
    policiesInForce(all, options.enforceStaged ?? []),
    cluster.calicoTiers ?? [],
    cluster.pods,
    (namespace) => namespaces.get(namespace)?.labels ?? {},
    mode === 'undecided' ? [{ kind: 'plugin-unknown', plugins: ['Calico', 'Cilium'] }] : [],
    namespaceLabelsUnread,
  );
  return { mode, layer };
}

/** The cluster's pod address ranges, as written and parsed. */
export interface PodRange {
  readonly cidrs: readonly string[];
  readonly ranges: readonly IpRange[];
}

function podRangeOf(cluster: Cluster): PodRange {
  const parsed = (cluster.podCidrs ?? []).flatMap((cidr) => {
    const range = parseCidr(cidr);
    return range ? [{ cidr, range }] : [];
  });
  return { cidrs: parsed.map((p) => p.cidr), ranges: parsed.map((p) => p.range) };
}

/** Every namespace of a cluster by name: those read, and those its objects name, each labelled with its name. */
export function namespaceTable(cluster: Cluster): Map<string, Namespace> {
  const table = new Map<string, Namespace>();
  const ensure = (name: string) => {
    if (!table.has(name)) table.set(name, { name, labels: { [NAMESPACE_NAME_LABEL]: name } });
  };
  for (const namespace of cluster.namespaces) {
    table.set(namespace.name, {
      name: namespace.name,
      labels: { ...namespace.labels, [NAMESPACE_NAME_LABEL]: namespace.name },
    });
  }
  for (const pod of cluster.pods) ensure(pod.namespace);
  for (const policy of cluster.policies) ensure(policy.namespace);
  for (const service of cluster.services) ensure(service.namespace);
  return table;
}

/** The namespaces of a table that the input does not hold, unless its namespace list was unread. */
function namespacesNotGiven(
  cluster: Cluster,
  table: ReadonlyMap<string, Namespace>,
): ReadonlySet<string> {
  if ((cluster.unread ?? []).some((list) => list.resource === 'namespaces')) return new Set();
  const given = new Set(cluster.namespaces.map((namespace) => namespace.name));
  return new Set([...table.keys()].filter((name) => !given.has(name)));
}

/** The ids of no policy: shared by the many pods no policy of a kind selects (never mutated). */
const NO_IDS: readonly number[] = [];

/**
 * Which of the cluster policies the network plugin enforces govern each pod, per direction: a
 * policy without rules for one does not.
 */
function clusterPolicyChains(
  cluster: Cluster,
  enforced: readonly EnforcedClusterPolicy[],
  namespaces: ReadonlyMap<string, Namespace>,
  undecided: Undecided,
): ClusterPolicyChains {
  const nodes = cluster.nodes ?? [];
  const policies = enforced.map(({ policy, doubt }, id) => ({
    ...compileClusterPolicy(policy, id, nodes),
    ...(doubt ? { doubt } : {}),
  }));
  const governing = (direction: Direction): (readonly number[])[] => {
    const withRules = policies.filter(
      (p) => (direction === 'ingress' ? p.ingress : p.egress).length > 0,
    );
    // Most clusters have none: their pods share one empty list.
    if (withRules.length === 0) return new Array(cluster.pods.length).fill(NO_IDS);
    return cluster.pods.map((pod) => {
      const labels = namespaces.get(pod.namespace)?.labels ?? {};
      return withRules.filter((p) => subjectSelects(p.policy, pod, labels)).map((p) => p.id);
    });
  };
  return {
    policies,
    governing: { ingress: governing('ingress'), egress: governing('egress') },
    nodesGiven: cluster.nodes !== undefined,
    nodeLayers: undecided.nodes,
  };
}

/** Adds a policy id to a pod's list, giving the pod its own list in place of the shared empty one. */
function addId(lists: (readonly number[])[], podIdx: number, id: number) {
  const list = lists[podIdx] ?? NO_IDS;
  if (list === NO_IDS) lists[podIdx] = [id];
  else (list as number[]).push(id);
}

/** The indexes of the pods in each namespace, in the pods' order. */
export function podIndexesByNamespace(pods: readonly Pod[]): Map<string, number[]> {
  const byNamespace = new Map<string, number[]>();
  pods.forEach((pod, index) => {
    const list = byNamespace.get(pod.namespace);
    if (list) list.push(index);
    else byNamespace.set(pod.namespace, [index]);
  });
  return byNamespace;
}

/** The Services by `namespace/name`. */
export function serviceTable(services: readonly Service[]): Map<string, Service> {
  return new Map(services.map((svc) => [`${svc.namespace}/${svc.name}`, svc]));
}

/** Compiles a validated cluster: policies into matchers, and which policies isolate each pod. */
export function compileCluster(input: Cluster, options: CompileOptions = {}): Analysis {
  const given = withStagedKubernetesPolicies(input, options.enforceStaged ?? []);
  const pods = given.pods;
  const podIndex = new Map(pods.map((pod, index) => [pod.id, index]));
  const podsByNamespace = podIndexesByNamespace(pods);
  const ingressPolicies: (readonly number[])[] = new Array(pods.length).fill(NO_IDS);
  const egressPolicies: (readonly number[])[] = new Array(pods.length).fill(NO_IDS);
  const namespaces = namespaceTable(given);
  const cni = options.cni ?? detectCni(given.workloads ?? []);
  // The plugin the snapshot's workloads show, unless the caller says.
  const networkPlugin = options.networkPlugin ?? networkPluginOf(cni);
  const withPlugin = networkPlugin ? { ...options, networkPlugin } : options;
  const ciliumLayer = ciliumLayerState(given, withPlugin);
  // Cilium, enforced or assumed from its objects, matches no pod by an ipBlock.
  const ipBlockReach: IpBlockReach =
    networkPlugin === 'cilium' || ciliumLayer === 'assumed' ? 'outside-cluster' : 'pods-too';
  // The policies the Cilium agent refuses are left out; those it may are weighed by chains.
  const refusals =
    ipBlockReach === 'outside-cluster'
      ? ciliumRefusals(given, cni, enforcementUnread(given))
      : undefined;
  const cluster = withoutRefused(given, refusals?.refused ?? []);
  // Cilium before 1.16 cuts each endPort range to its first port.
  const endPorts = ipBlockReach === 'outside-cluster' ? ciliumEndPorts(cni) : undefined;
  const endPortReach = endPorts?.kind === 'ignored' ? 'ignored' : 'as-written';
  // Cilium's datapath drops SCTP unless cilium-config turns it on (from 1.13).
  const sctp =
    ipBlockReach === 'outside-cluster'
      ? ciliumSctp(cni, cluster.ciliumConfig, enforcementUnread(cluster))
      : undefined;
  // Cilium's CIDR selectors match the nodes' addresses only where cilium-config says so.
  const cidrNodes =
    ipBlockReach === 'outside-cluster'
      ? ciliumCidrNodes(cni, cluster.ciliumConfig, enforcementUnread(cluster))
      : undefined;
  const hostNetworkPeers = hostNetworkPeersOf(networkPlugin, cni);
  const hostNetworkSubjects = hostNetworkSubjectsOf(networkPlugin, cni);
  const policies = cluster.policies.map((policy, id) =>
    compilePolicy(
      policy,
      id,
      { ipBlocks: ipBlockReach, hostNetworkPods: hostNetworkPeers },
      endPortReach,
    ),
  );
  const services = serviceTable(cluster.services);
  const slicesByService = indexSlicesByService(cluster.endpointSlices ?? []);
  const cilium = compileCiliumPolicies(cluster, slicesByService, namespaces, ciliumLayer, cni);
  // Cilium's `never` mode enforces no policy at all, NetworkPolicies included, and with
  // `enable-k8s-networkpolicy` off it ignores NetworkPolicies.
  const ciliumIgnoresNetworkPolicies =
    cilium !== undefined && cluster.ciliumConfig?.k8sNetworkPolicy === false;
  const enforcesPolicies = cilium?.enforcement !== 'never' || cilium.undecided !== undefined;
  const enforcesNetworkPolicies =
    enforcesPolicies && (cilium?.undecided !== undefined || !ciliumIgnoresNetworkPolicies);
  for (const compiled of enforcesNetworkPolicies ? policies : []) {
    for (const podIdx of podsByNamespace.get(compiled.ref.namespace) ?? []) {
      const pod = pods[podIdx] as Pod;
      if (!selectorMatches(compiled.policy.podSelector, pod.labels)) continue;
      if (compiled.isolatesIngress) addId(ingressPolicies, podIdx, compiled.id);
      if (compiled.isolatesEgress) addId(egressPolicies, podIdx, compiled.id);
    }
  }
  // Cilium's high-scale ipcache mode sees other nodes' pods by address on egress.
  const highScale =
    ipBlockReach === 'outside-cluster'
      ? ciliumHighScaleIpcache(cni, cluster.ciliumConfig, enforcementUnread(cluster))
      : undefined;
  const undecided = {
    ...undecidedLayers(cluster, options),
    ...(highScale && highScale.kind !== 'off'
      ? {
          ciliumHighScaleIpcache: {
            kind: 'cilium-high-scale-ipcache',
            ...(highScale.kind === 'unread' ? { unread: highScale.list } : {}),
          } as const,
        }
      : {}),
    ...(endPorts?.kind === 'unknown' ? { ciliumEndPortsUnknown: true } : {}),
    ...(refusals && refusals.doubtful.size > 0 ? { ciliumRefusable: refusals.doubtful } : {}),
    ...(hostNetworkSubjects === 'plugin-dependent' ? { hostNetworkPlugin: cni.plugin } : {}),
  };
  const fallback =
    networkPlugin === 'cilium'
      ? ciliumTerminatingFallback(
          ciliumServiceReading(cni, cluster.ciliumConfig, enforcementUnread(cluster) !== undefined),
        )
      : undefined;
  const directReturn =
    networkPlugin === 'cilium' ? ciliumDirectReturn(cluster.ciliumConfig) : undefined;
  const clusterPolicies = sortClusterPolicies(cluster.clusterPolicies ?? [], {
    networkPlugin,
    cni,
    workloads: cluster.workloads ?? [],
    ciliumVersion: networkPlugin === 'cilium' ? ciliumVersion(cni) : undefined,
    ciliumConfig: cluster.ciliumConfig,
    ciliumConfigUnread: enforcementUnread(cluster) !== undefined,
  });
  const clusterChains = clusterPolicyChains(
    cluster,
    clusterPolicies.enforced,
    namespaces,
    undecided,
  );
  const calico = calicoLayer(cluster, namespaces, withPlugin, undecided.namespaceLabels);
  return {
    cluster,
    namespaces,
    namespacesNotGiven: namespacesNotGiven(cluster, namespaces),
    pods,
    podIndex,
    podAddresses: new PodAddresses(pods),
    podRange: podRangeOf(cluster),
    policies,
    clusterPolicies: clusterChains.policies,
    ...(clusterPolicies.ignored.length > 0
      ? { clusterPoliciesIgnored: clusterPolicies.ignored }
      : {}),
    ingressPolicies,
    egressPolicies,
    podsByNamespace,
    services,
    clusterIps: new ClusterIpIndex([...services.values()]),
    slicesByService,
    chains: buildChains(
      pods,
      policies,
      { ingress: ingressPolicies, egress: egressPolicies },
      clusterChains,
      undecided,
      enforcesPolicies ? cilium : undefined,
      calico.layer,
      sctp,
    ),
    namedPorts: resolveNamedPorts(pods, [
      ...policies.flatMap((p) => [...p.ingress, ...p.egress]),
      ...clusterChains.policies.flatMap((p) => [...p.ingress, ...p.egress]),
      ...(cilium?.specs ?? []).flatMap((spec) => [...spec.rules.ingress, ...spec.rules.egress]),
      ...(calico.layer?.policies ?? []).flatMap((p) => [...p.ingress, ...p.egress]),
    ]),
    ciliumLayer,
    ...(cilium && enforcesPolicies ? { cilium } : {}),
    calico,
    cni,
    ipBlockReach,
    hostNetworkPeers,
    hostNetworkSubjects,
    ...(endPorts ? { ciliumEndPorts: endPorts } : {}),
    ...(sctp ? { ciliumSctp: sctp } : {}),
    ...(refusals && refusals.refused.length > 0 ? { ciliumRefused: refusals.refused } : {}),
    ...(fallback && fallback !== 'kept' ? { ciliumTerminatingFallback: fallback } : {}),
    ...(directReturn ? { ciliumDirectReturn: directReturn } : {}),
    ...(cidrNodes ? { ciliumCidrNodes: cidrNodes } : {}),
  };
}

/** The policies that select a pod in one direction. */
export function policiesSelecting(
  analysis: Analysis,
  podIdx: number,
  direction: Direction,
): readonly CompiledPolicy[] {
  const ids = direction === 'ingress' ? analysis.ingressPolicies : analysis.egressPolicies;
  return (ids[podIdx] ?? []).map((id) => analysis.policies[id] as CompiledPolicy);
}
