import {
  type LabelSelector,
  type Namespace,
  type NetworkPolicy,
  parseIpAddress,
  parseTargetName,
  policyKindOf,
  type SelectorRequirement,
  selectorMatches,
} from '../../engine/index.js';
import { normalizeObjects } from '../normalize/normalize.js';
import { ApiError, type ListResult } from './api-client.js';
import type { DiscoveredPolicies } from './discover-policies.js';
import type { ListCache } from './list-cache.js';
import {
  type LiveRead,
  type ReadScope,
  readOptional,
  scopeObjects,
  sortUnread,
} from './load-cluster.js';
import { OPTIONAL_RESOURCES, type ResourceType, SNAPSHOT_RESOURCES } from './resources.js';

/**
 * How far a targeted read goes: the targets' namespaces only (enough for a verdict, whatever
 * other pods exist); also the namespaces their policies' peers can select, whole (for a
 * diagnosis weighing a selector against every pod it could select); or, there, only the pods
 * the peers' podSelectors select and the policies (for the pods a pod can reach or be reached
 * from).
 */
export type ReadReach = 'targets' | 'peers' | 'selected-pods';

/** What a command asks about, so that a live read can stop at what the answer depends on. */
export interface ReadFocus {
  /** The targets as typed: check's source and destination, explain's pod. */
  readonly targets: readonly string[];
  /** The namespace for names given without one; the kubeconfig's when undefined. */
  readonly namespace?: string;
  readonly reach: ReadReach;
}

/**
 * Beyond this many namespaces to read one by one, one cluster-wide list of each kind is
 * cheaper: four requests per namespace cost more than the objects they leave out.
 */
const MAX_NAMESPACES = 16;

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
 * A label selector in the API server's `labelSelector` syntax, set-based terms included
 * (`app=web,tier in (a,b),!legacy`); empty when it selects everything.
 */
export function labelSelectorQuery(selector: LabelSelector): string {
  const expression = ({ key, operator, values }: SelectorRequirement) => {
    switch (operator) {
      case 'In':
        return `${key} in (${values.join(',')})`;
      case 'NotIn':
        return `${key} notin (${values.join(',')})`;
      case 'Exists':
        return key;
      case 'DoesNotExist':
        return `!${key}`;
    }
  };
  return [
    ...Object.entries(selector.matchLabels).map(([key, value]) => `${key}=${value}`),
    ...selector.matchExpressions.map(expression),
  ].join(',');
}

/**
 * The pods the rules of `policies` can admit or reach: per namespace (among `namespaces`), the
 * `labelSelector` queries that select them, '' for every pod of the namespace. Undefined when a
 * rule could match any pod wherever it is: a rule without peers, or an ipBlock (it matches
 * pods by address).
 */
export function peerSelections(
  policies: readonly NetworkPolicy[],
  namespaces: readonly Namespace[],
): Map<string, Set<string>> | undefined {
  const found = new Map<string, Set<string>>();
  const add = (namespace: string, query: string) =>
    found.set(namespace, (found.get(namespace) ?? new Set()).add(query));
  for (const policy of policies) {
    for (const rule of [...policy.ingress, ...policy.egress]) {
      if (rule.peers.length === 0) return undefined;
      for (const peer of rule.peers) {
        if (peer.ipBlock) return undefined;
        const query = peer.podSelector ? labelSelectorQuery(peer.podSelector) : '';
        const selector = peer.namespaceSelector;
        if (!selector) add(policy.namespace, query);
        else
          for (const ns of namespaces)
            if (selectorMatches(selector, ns.labels)) add(ns.name, query);
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
 * namespaces, of those their policies' peers select (as far as the focus reaches), and of
 * kube-system, with the host-network pods elsewhere (for network plugin detection). Undefined
 * when a full read is needed instead: other policy layers are served, a target or a rule could
 * match anything, too many namespaces are reached, or the server refused a list (the full read
 * reports it). What an earlier read through `lists` listed is not requested again.
 */
export async function readTargeted(
  lists: ListCache,
  focus: ReadFocus,
  namespace: string,
  discovery: Promise<DiscoveredPolicies>,
): Promise<LiveRead | undefined> {
  const named = focus.targets.map((target) =>
    targetNamespaces(target, focus.namespace ?? namespace),
  );
  if (named.some((ns) => ns === undefined)) return undefined;
  const ends = new Set<string>(named.flatMap((ns) => ns ?? []));
  const [namespaceType, podType, serviceType, policyType, sliceType] = [
    'Namespace',
    'Pod',
    'Service',
    'NetworkPolicy',
    'EndpointSlice',
  ].map(resourceOfKind) as [ResourceType, ResourceType, ResourceType, ResourceType, ResourceType];
  try {
    const optional = readOptional((path) => lists.list(path), OPTIONAL_RESOURCES);
    // What every answer reads goes out at once, beside the lists that tell what else to read.
    const base = [...ends, PLATFORM_NAMESPACE];
    const early = [
      ...[podType, serviceType, sliceType].flatMap((t) => base.map((ns) => lists.list(t.path(ns)))),
      lists.list(policyType.path(PLATFORM_NAMESPACE)),
      lists.list(podType.path(), HOST_NETWORK_PODS),
    ];
    // Each is awaited below, where a refusal counts; one not reached must not go unhandled.
    for (const list of early) list.catch(() => {});
    // Discovery runs meanwhile: its answer is awaited only when the first lists are in.
    const [layers, , namespaceList, ...endPolicies] = await Promise.all([
      discovery,
      // Where the full read would meet a refusal, its answer says partial: read it instead.
      Promise.all(
        [serviceType, policyType, sliceType].map((t) => lists.get(`${t.path()}?limit=1`)),
      ),
      lists.list(namespaceType.path()),
      ...[...ends].map((ns) => lists.list(policyType.path(ns))),
    ]);
    if (layers.resources.length > 0) return undefined;
    const first = normalizeObjects(
      scopeObjects(
        [
          { resource: namespaceType, items: namespaceList.items },
          { resource: policyType, items: endPolicies.flatMap((list) => list.items) },
        ],
        'targeted read',
      ),
    ).cluster;
    const peers = peerSelections(first.policies, first.namespaces);
    if (!peers) return undefined;
    const whole = new Set([...ends, PLATFORM_NAMESPACE]);
    if (focus.reach === 'peers') for (const ns of peers.keys()) whole.add(ns);
    // Namespaces of which only the pods selected, and the policies, are read.
    const selected: string[] =
      focus.reach === 'selected-pods' ? [...peers.keys()].filter((ns) => !whole.has(ns)) : [];
    const relevant = new Set([...whole, ...selected]);
    if (relevant.size > MAX_NAMESPACES) return undefined;
    const each = (resource: ResourceType, namespaces: readonly string[]) =>
      Promise.all(namespaces.map((ns) => lists.list(resource.path(ns))));
    const selectedPods = selected.flatMap((ns) => {
      const queries = peers.get(ns) ?? new Set<string>();
      return queries.has('') ? [{ ns, query: '' }] : [...queries].map((query) => ({ ns, query }));
    });
    const [pods, podsSelected, hostPods, services, policies, slices] = await Promise.all([
      each(podType, [...whole]),
      Promise.all(
        selectedPods.map(({ ns, query }) =>
          lists.list(podType.path(ns), query ? { labelSelector: query } : {}),
        ),
      ),
      lists.list(podType.path(), HOST_NETWORK_PODS),
      each(serviceType, [...whole]),
      each(
        policyType,
        [...relevant].filter((ns) => !ends.has(ns)),
      ),
      each(sliceType, [...whole]),
    ]);
    const elsewhere = hostPods.items.filter(
      (pod) => !whole.has((pod.metadata as { namespace?: string } | undefined)?.namespace ?? ''),
    );
    const scopes: ReadScope[] = [
      { resource: namespaceType, ...namespaceList },
      mergedScope(podType, [...pods, ...podsSelected, { ...hostPods, items: elsewhere }]),
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
