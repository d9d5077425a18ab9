import {
  type Namespace,
  type NetworkPolicy,
  parseIpAddress,
  parseTargetName,
  policyKindOf,
  selectorMatches,
} from '../../engine/index.js';
import { normalizeObjects } from '../normalize/normalize.js';
import { type ApiClient, ApiError, type ListResult } from './api-client.js';
import type { DiscoveredPolicies } from './discover-policies.js';
import {
  type LiveRead,
  type ReadScope,
  readOptional,
  scopeObjects,
  sortUnread,
} from './load-cluster.js';
import { OPTIONAL_RESOURCES, type ResourceType, SNAPSHOT_RESOURCES } from './resources.js';

/** What a command asks about, so that a live read can stop at what the answer depends on. */
export interface ReadFocus {
  /** The targets as typed: check's source and destination, explain's pod. */
  readonly targets: readonly string[];
  /** The namespace for names given without one; the kubeconfig's when undefined. */
  readonly namespace?: string;
}

/**
 * The namespaces that hold what a target names: that of a pod, workload, pod-name prefix or
 * Service (or of NAME.NAMESPACE, which may also be a host), none for a host name; undefined for
 * a target that could name anything in the cluster (an address: a pod's or a ClusterIP), a
 * policy, or a text of no known form.
 */
export function targetNamespaces(text: string, namespace: string): string[] | undefined {
  if (parseIpAddress(text) || policyKindOf(text)) return undefined;
  const name = parseTargetName(text, namespace);
  if (!name) return undefined;
  return name.form === 'hostname' ? [] : [name.namespace];
}

/**
 * The namespaces whose pods the rules of `policies` can admit or reach, among `namespaces`;
 * undefined when a rule could match any pod wherever it is: a rule without peers, or an ipBlock
 * (it matches pods by address).
 */
export function peerNamespaces(
  policies: readonly NetworkPolicy[],
  namespaces: readonly Namespace[],
): Set<string> | undefined {
  const found = new Set<string>();
  for (const policy of policies) {
    for (const rule of [...policy.ingress, ...policy.egress]) {
      if (rule.peers.length === 0) return undefined;
      for (const peer of rule.peers) {
        if (peer.ipBlock) return undefined;
        const selector = peer.namespaceSelector;
        if (!selector) found.add(policy.namespace);
        else
          for (const ns of namespaces) if (selectorMatches(selector, ns.labels)) found.add(ns.name);
      }
    }
  }
  return found;
}

/** Where the network plugin runs: its pods are read wherever the answer's pods are. */
const PLATFORM_NAMESPACE = 'kube-system';

/**
 * Host-network pods, cluster-wide: the network plugin's agents (calico-node, cilium, flannel,
 * aws-node...) run so, in whatever namespace they were installed to.
 */
const HOST_NETWORK_PODS = { fieldSelector: 'spec.hostNetwork=true' };

/** etcd's order, in which a cluster-wide list comes: by "namespace/name". */
function byKey(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const key = (item: Record<string, unknown>) => {
    const { namespace = '', name = '' } = (item.metadata ?? {}) as Record<string, string>;
    return `${namespace}/${name}`;
  };
  const [ka, kb] = [key(a), key(b)];
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** Several lists of one resource as one scope, in the order one cluster-wide list gives. */
function mergedScope(resource: ResourceType, lists: readonly ListResult[]): ReadScope {
  const seen = new Set<string>();
  const items = lists
    .flatMap((list) => list.items)
    .filter((item) => {
      const { namespace = '', name = '' } = (item.metadata ?? {}) as Record<string, string>;
      const key = `${namespace}/${name}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort(byKey);
  return { resource, resourceVersion: lists[0]?.resourceVersion ?? '', items };
}

function resourceOfKind(kind: string): ResourceType {
  return SNAPSHOT_RESOURCES.find((r) => r.kind === kind) as ResourceType;
}

/**
 * Reads only what an answer about the focus can depend on: every Namespace, the Nodes (as the
 * full read does), and the Pods, Services, EndpointSlices and NetworkPolicies of the targets'
 * namespaces, of the namespaces their policies' peers select, and of kube-system, with the
 * host-network pods elsewhere (for network plugin detection). Undefined when a full read is
 * needed instead: other policy layers are served, a target or a rule could match anything,
 * the peers reach every namespace, or the server refused a list (the full read reports it).
 */
export async function readTargeted(
  client: ApiClient,
  focus: ReadFocus,
  namespace: string,
  layers: DiscoveredPolicies,
): Promise<LiveRead | undefined> {
  if (layers.resources.length > 0) return undefined;
  const named = focus.targets.map((target) =>
    targetNamespaces(target, focus.namespace ?? namespace),
  );
  if (named.some((ns) => ns === undefined)) return undefined;
  const ends = new Set(named.flatMap((ns) => ns ?? []));
  const [namespaceType, podType, serviceType, policyType, sliceType] = [
    'Namespace',
    'Pod',
    'Service',
    'NetworkPolicy',
    'EndpointSlice',
  ].map(resourceOfKind) as [ResourceType, ResourceType, ResourceType, ResourceType, ResourceType];
  const bytes = client.readBudget();
  try {
    const optional = readOptional(client, OPTIONAL_RESOURCES, bytes);
    const [namespaceList, ...endPolicies] = await Promise.all([
      client.list(namespaceType.path(), bytes),
      ...[...ends].map((ns) => client.list(policyType.path(ns), bytes)),
    ]);
    const first = normalizeObjects(
      scopeObjects(
        [
          { resource: namespaceType, items: namespaceList.items },
          { resource: policyType, items: endPolicies.flatMap((list) => list.items) },
        ],
        'targeted read',
      ),
    ).cluster;
    const peers = peerNamespaces(first.policies, first.namespaces);
    if (!peers) return undefined;
    const relevant = new Set([...ends, ...peers, PLATFORM_NAMESPACE]);
    if (first.namespaces.every((ns) => relevant.has(ns.name))) return undefined;
    const others = [...relevant].filter((ns) => !ends.has(ns));
    const each = (resource: ResourceType, namespaces: readonly string[]) =>
      Promise.all(namespaces.map((ns) => client.list(resource.path(ns), bytes)));
    const [pods, hostPods, services, policies, slices] = await Promise.all([
      each(podType, [...relevant]),
      client.list(podType.path(), bytes, HOST_NETWORK_PODS),
      each(serviceType, [...relevant]),
      each(policyType, others),
      each(sliceType, [...relevant]),
    ]);
    const elsewhere = hostPods.items.filter(
      (pod) => !relevant.has((pod.metadata as { namespace?: string } | undefined)?.namespace ?? ''),
    );
    const scopes: ReadScope[] = [
      { resource: namespaceType, ...namespaceList },
      mergedScope(podType, [...pods, { ...hostPods, items: elsewhere }]),
      mergedScope(serviceType, services),
      mergedScope(policyType, [...endPolicies, ...policies]),
      mergedScope(sliceType, slices),
    ];
    const nodes = await optional;
    return {
      scopes: [...scopes, ...nodes.scopes],
      findings: nodes.findings,
      unread: sortUnread([...layers.unread]),
    };
  } catch (error) {
    // A refusal (403) or another answer is the full read's to report, with its RBAC fallbacks.
    if (error instanceof ApiError) return undefined;
    throw error;
  }
}
