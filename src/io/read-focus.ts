import {
  type LabelSelector,
  type Namespace,
  type NetworkPolicy,
  parseIpAddress,
  parseTargetName,
  policyKindOf,
  type SelectorRequirement,
  selectorMatches,
} from '../engine/index.js';

/**
 * How far a targeted read goes: the targets' namespaces only (enough for a verdict, whatever
 * other pods exist); also the namespaces their policies' peers can select, whole (for a
 * diagnosis weighing a selector against every pod it could select); or, there, only the pods
 * the peers' podSelectors select and the policies (for the pods a pod can reach or be reached
 * from).
 */
export type ReadReach = 'targets' | 'peers' | 'selected-pods';

/** What a command asks about, so that a read can stop at what the answer depends on. */
export interface ReadFocus {
  /** The targets as typed: check's source and destination, explain's pod. */
  readonly targets: readonly string[];
  /** The namespace for names given without one; the input's default when undefined. */
  readonly namespace?: string;
  readonly reach: ReadReach;
  /** The rules whose peers the answer weighs; every rule of the targets' policies by default. */
  readonly rules?: readonly WeighedRules[];
}

/** The rules of one direction of the policies of one namespace (of those named, if given). */
export interface WeighedRules {
  readonly namespace: string;
  readonly direction: 'ingress' | 'egress';
  readonly policies?: readonly string[];
}

/**
 * The policies whose peers an answer about the focus weighs: those of the targets' namespaces
 * (`ends`), or with `rules`, of their namespaces with only the rules of their directions.
 */
export function weighedPolicies(
  policies: readonly NetworkPolicy[],
  ends: ReadonlySet<string>,
  rules: readonly WeighedRules[] | undefined,
): NetworkPolicy[] {
  if (!rules) return policies.filter((policy) => ends.has(policy.namespace));
  const weighs = (policy: NetworkPolicy, direction: WeighedRules['direction']) =>
    rules.some(
      (r) =>
        r.namespace === policy.namespace &&
        r.direction === direction &&
        (r.policies?.includes(policy.name) ?? true),
    );
  return policies.flatMap((policy) => {
    const [ingress, egress] = [weighs(policy, 'ingress'), weighs(policy, 'egress')];
    if (!ingress && !egress) return [];
    return [
      { ...policy, ingress: ingress ? policy.ingress : [], egress: egress ? policy.egress : [] },
    ];
  });
}

/** Where the network plugin runs: its pods are read wherever the answer's pods are. */
export const PLATFORM_NAMESPACE = 'kube-system';

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
 * The namespaces the targets of a focus name (see targetNamespaces); undefined when one of
 * them could name anything in the cluster.
 */
export function focusEnds(focus: ReadFocus, namespace: string): Set<string> | undefined {
  const named = focus.targets.map((target) => targetNamespaces(target, namespace));
  if (named.some((ns) => ns === undefined)) return undefined;
  return new Set(named.flatMap((ns) => ns ?? []));
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
 * pod selectors that select them, by their `labelSelector` query ('' and no selector for every
 * pod of the namespace). Undefined when a rule could match any pod wherever it is: a rule
 * without peers, or an ipBlock (it matches pods by address).
 */
export function peerSelectors(
  policies: readonly NetworkPolicy[],
  namespaces: readonly Namespace[],
): Map<string, Map<string, LabelSelector | undefined>> | undefined {
  const found = new Map<string, Map<string, LabelSelector | undefined>>();
  const add = (namespace: string, selector: LabelSelector | undefined) => {
    const query = selector ? labelSelectorQuery(selector) : '';
    found.set(namespace, (found.get(namespace) ?? new Map()).set(query, selector));
  };
  for (const policy of policies) {
    for (const rule of [...policy.ingress, ...policy.egress]) {
      if (rule.peers.length === 0) return undefined;
      for (const peer of rule.peers) {
        if (peer.ipBlock) return undefined;
        const selector = peer.namespaceSelector;
        if (!selector) add(policy.namespace, peer.podSelector);
        else
          for (const ns of namespaces)
            if (selectorMatches(selector, ns.labels)) add(ns.name, peer.podSelector);
      }
    }
  }
  return found;
}

/**
 * The pods the rules of `policies` can admit or reach: per namespace (among `namespaces`), the
 * `labelSelector` queries that select them, '' for every pod of the namespace (see
 * peerSelectors).
 */
export function peerSelections(
  policies: readonly NetworkPolicy[],
  namespaces: readonly Namespace[],
): Map<string, Set<string>> | undefined {
  const selectors = peerSelectors(policies, namespaces);
  if (!selectors) return undefined;
  return new Map([...selectors].map(([ns, queries]) => [ns, new Set(queries.keys())]));
}

/**
 * The namespaces a read of `reach` covers: `whole`, read entirely (the ends, the platform
 * namespace, and with 'peers' those the peers select), and `selected`, of which only the pods
 * the peers select and the policies are read ('selected-pods').
 */
export function reachedNamespaces(
  ends: ReadonlySet<string>,
  peers: ReadonlyMap<string, unknown>,
  reach: ReadReach,
): { whole: Set<string>; selected: string[] } {
  const whole = new Set([...ends, PLATFORM_NAMESPACE]);
  if (reach === 'peers') for (const ns of peers.keys()) whole.add(ns);
  const selected =
    reach === 'selected-pods' ? [...peers.keys()].filter((ns) => !whole.has(ns)) : [];
  return { whole, selected };
}
