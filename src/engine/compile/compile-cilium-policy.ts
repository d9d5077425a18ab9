import {
  type CiliumEnforcement,
  type CiliumL7Rules,
  type CiliumPolicy,
  type CiliumPolicySpec,
  type CiliumRule,
  ciliumPolicyName,
} from '../model/cilium-policy.js';
import type { Cluster, Labels, Namespace, Pod, PolicyPort } from '../model/types.js';
import { ciliumEndpointLabels } from '../primitives/cilium-labels.js';
import { compileIpBlock, hostCidr } from '../primitives/ip-block.js';
import { labelsSelector, selectorMatches } from '../primitives/selector.js';
import { hasCalicoPolicies } from './compile-calico.js';
import type { CompiledPeer, Direction } from './compile-policy.js';
import type { CompileOptions, UndecidedLayer } from './undecided.js';

/**
 * Cilium's policies compiled for the chains: which specs select each pod per direction, whether
 * that puts the pod in default-deny, and their rules as matchers (one per `toPorts` entry, as
 * an entry's L7 rules restrict only its ports).
 */

/** One rule of a Cilium policy for one `toPorts` entry, ready for the chains. */
export interface CompiledCiliumRule {
  readonly policy: CiliumPolicy;
  /** `ciliumnetworkpolicy/NS/NAME` or `ciliumclusterwidenetworkpolicy/NAME`. */
  readonly name: string;
  /** Which of the policy's specs (0 for `spec`, then `specs` in order). */
  readonly specIndex: number;
  readonly direction: Direction;
  /** From ingressDeny/egressDeny: denies what it matches, before every allow. */
  readonly deny: boolean;
  /** The rule's index in its list (ingress, egress, ingressDeny or egressDeny). */
  readonly index: number;
  /** Its peers, ORed; empty with `anyone`: every peer. */
  readonly peers: readonly CompiledPeer[];
  /** Whether the rule names no L3 peer and so applies to every peer (ports only). */
  readonly anyone: boolean;
  readonly ports: readonly PolicyPort[];
  /** The L7 rules of its `toPorts` entry: traffic passes only as they list. */
  readonly l7?: CiliumL7Rules;
  /** toFQDNs names: a destination known by one of them matches; which addresses do is DNS's. */
  readonly fqdns: readonly string[];
  /** Entity peers objects cannot decide (e.g. `kube-apiserver`): they may match some endpoints. */
  readonly possible: readonly CompiledPeer[];
}

/** A spec of a Cilium policy, compiled. */
export interface CompiledCiliumSpec {
  readonly policy: CiliumPolicy;
  readonly name: string;
  readonly specIndex: number;
  /** A host policy (nodeSelector): not evaluated. */
  readonly hostPolicy: boolean;
  readonly defaultDeny: Readonly<Record<Direction, boolean>>;
  /** Fields of its rules the engine does not evaluate (fromRequires, icmps...), each once. */
  readonly unsupported: readonly string[];
  readonly rules: Readonly<Record<Direction, readonly CompiledCiliumRule[]>>;
}

/** What Cilium's policies do to each pod, per direction. */
export interface CiliumSelection {
  readonly specs: readonly CompiledCiliumSpec[];
  /** Ids (indexes into specs) of the specs selecting each pod, per direction, by pod index. */
  readonly selecting: Readonly<Record<Direction, readonly (readonly number[])[]>>;
  readonly enforcement: CiliumEnforcement;
  /**
   * Set when which plugin's layer is enforced cannot be told: the pods the specs select are
   * UNKNOWN for this reason instead of evaluated.
   */
  readonly undecided?: UndecidedLayer;
}

/** Whether Cilium's layer is enforced, and how that was decided. */
export type CiliumLayerState =
  /** No Cilium policy or configuration in the input. */
  | 'absent'
  /** The network plugin is Cilium. */
  | 'enforced'
  /** The plugin is not known; only Cilium's objects are present, so Cilium is assumed. */
  | 'assumed'
  /** The plugin is another one: Cilium's policies are named and ignored. */
  | 'ignored'
  /** The plugin is not known and Calico's policies are present too: UNKNOWN where they apply. */
  | 'undecided';

/** Whose layer applies: Cilium's when the plugin is Cilium, or assumed from the objects alone. */
export function ciliumLayerState(cluster: Cluster, options: CompileOptions): CiliumLayerState {
  if ((cluster.ciliumPolicies ?? []).length === 0 && !cluster.ciliumConfig) return 'absent';
  switch (options.networkPlugin) {
    case 'cilium':
      return 'enforced';
    case 'calico':
    case 'other':
      return 'ignored';
    case undefined:
      return hasCalicoPolicies(cluster) ? 'undecided' : 'assumed';
  }
}

const rulesOf = (spec: CiliumPolicySpec, direction: Direction, deny: boolean) =>
  (direction === 'ingress'
    ? deny
      ? spec.ingressDeny
      : spec.ingress
    : deny
      ? spec.egressDeny
      : spec.egress) ?? [];

/**
 * Whether a spec puts its endpoints in default-deny for a direction: as enableDefaultDeny says,
 * else when it has rules (allow or deny) for that direction.
 */
function defaultDenies(spec: CiliumPolicySpec, direction: Direction): boolean {
  const written = spec.enableDefaultDeny[direction];
  if (written !== undefined) return written;
  return rulesOf(spec, direction, false).length > 0 || rulesOf(spec, direction, true).length > 0;
}

/** The peers of a service `toServices` names: its selector's pods, or its slices' addresses. */
function servicePeers(cluster: Cluster, rule: CiliumRule, next: () => number): CompiledPeer[] {
  return rule.services.flatMap((ref): CompiledPeer[] => {
    const services = cluster.services.filter((service) =>
      ref.kind === 'name'
        ? service.namespace === ref.namespace && service.name === ref.name
        : (ref.namespace === undefined || service.namespace === ref.namespace) &&
          selectorMatches(ref.selector, service.labels ?? {}),
    );
    return services.flatMap((service): CompiledPeer[] => {
      if (service.selector) {
        return [
          {
            kind: 'cilium-endpoints',
            index: next(),
            selector: labelsSelector(service.selector),
            namespace: service.namespace,
          },
        ];
      }
      const addresses = (cluster.endpointSlices ?? [])
        .filter((slice) => slice.namespace === service.namespace && slice.service === service.name)
        .flatMap((slice) => slice.addresses);
      return addresses.flatMap((address): CompiledPeer[] => {
        const cidr = hostCidr(address);
        return cidr
          ? [{ kind: 'ip-block', index: next(), ipBlock: compileIpBlock({ cidr, except: [] }) }]
          : [];
      });
    });
  });
}

/** Entities whose members the objects show; the others may only possibly match. */
const DECIDABLE = new Set(['world', 'cluster', 'all']);

function compileRule(
  cluster: Cluster,
  policy: CiliumPolicy,
  specIndex: number,
  rule: CiliumRule,
  direction: Direction,
  deny: boolean,
): CompiledCiliumRule[] {
  let peerIndex = 0;
  const next = () => peerIndex++;
  const peers: CompiledPeer[] = [
    ...rule.endpoints.map(
      (endpoint): CompiledPeer => ({
        kind: 'cilium-endpoints',
        index: next(),
        selector: endpoint.selector,
        ...(endpoint.namespace !== undefined ? { namespace: endpoint.namespace } : {}),
      }),
    ),
    ...rule.entities.map(
      (entity): CompiledPeer => ({
        kind: 'cilium-entity',
        index: next(),
        entity,
        ...(entity === 'host' && rule.entities.includes('remote-node') ? { anyNode: true } : {}),
      }),
    ),
    ...rule.cidrs.map(
      (block): CompiledPeer => ({
        kind: 'ip-block',
        index: next(),
        ipBlock: compileIpBlock(block),
        outsideCluster: true,
      }),
    ),
    ...servicePeers(cluster, rule, next),
  ];
  // host with remote-node holds every node: a node endpoint surely matches one of them.
  const decided = (peer: CompiledPeer) =>
    peer.kind !== 'cilium-entity' || DECIDABLE.has(peer.entity) || peer.anyNode === true;
  const sure = peers.filter(decided);
  const possible = peers.filter((peer) => !decided(peer));
  const anyone = !rule.hasPeers;
  // A rule with neither peers nor ports matches nothing (it only selects the direction).
  if (anyone && rule.ports.length === 0) return [];
  const base = {
    policy,
    name: ciliumPolicyName(policy),
    specIndex,
    direction,
    deny,
    index: rule.index,
    peers: sure,
    anyone,
    fqdns: rule.fqdns,
    possible,
  };
  if (rule.ports.length === 0) return [{ ...base, ports: [] }];
  return rule.ports.map((entry) => ({
    ...base,
    // A toPorts entry without ports (only L7 rules) covers every port.
    ports: entry.ports,
    ...(entry.l7 ? { l7: entry.l7 } : {}),
  }));
}

function compileSpec(
  cluster: Cluster,
  policy: CiliumPolicy,
  spec: CiliumPolicySpec,
  specIndex: number,
): CompiledCiliumSpec {
  const rules = (direction: Direction) => [
    ...rulesOf(spec, direction, true).flatMap((rule) =>
      compileRule(cluster, policy, specIndex, rule, direction, true),
    ),
    ...rulesOf(spec, direction, false).flatMap((rule) =>
      compileRule(cluster, policy, specIndex, rule, direction, false),
    ),
  ];
  return {
    policy,
    name: ciliumPolicyName(policy),
    specIndex,
    hostPolicy: spec.nodeSelector !== undefined,
    defaultDeny: { ingress: defaultDenies(spec, 'ingress'), egress: defaultDenies(spec, 'egress') },
    unsupported: [
      ...new Set(
        (['ingress', 'egress'] as const).flatMap((direction) =>
          [...rulesOf(spec, direction, false), ...rulesOf(spec, direction, true)].flatMap(
            (rule) => rule.unsupported,
          ),
        ),
      ),
    ],
    rules: { ingress: rules('ingress'), egress: rules('egress') },
  };
}

/** Whether a spec selects a pod (never a hostNetwork pod: those are the host's). */
export function ciliumSpecSelects(
  spec: CompiledCiliumSpec,
  pod: Pod,
  namespaceLabels: Labels,
): boolean {
  if (spec.hostPolicy || pod.hostNetwork) return false;
  if (spec.policy.namespace !== undefined && spec.policy.namespace !== pod.namespace) return false;
  const subject = spec.policy.specs[spec.specIndex]?.endpointSelector;
  return (
    subject !== undefined && selectorMatches(subject, ciliumEndpointLabels(pod, namespaceLabels))
  );
}

/**
 * Compiles the Cilium policies of a cluster and finds which specs select each pod; undefined
 * when Cilium's layer does not apply (`state` absent or ignored).
 */
export function compileCiliumPolicies(
  cluster: Cluster,
  namespaces: ReadonlyMap<string, Namespace>,
  state: CiliumLayerState,
): CiliumSelection | undefined {
  if (state === 'absent' || state === 'ignored') return undefined;
  const specs = (cluster.ciliumPolicies ?? []).flatMap((policy) =>
    policy.specs.map((spec, specIndex) => compileSpec(cluster, policy, spec, specIndex)),
  );
  const selecting = (direction: Direction) =>
    cluster.pods.map((pod) => {
      const labels = namespaces.get(pod.namespace)?.labels ?? {};
      return specs.flatMap((spec, id) => {
        const applies = spec.defaultDeny[direction] || spec.rules[direction].length > 0;
        return applies && ciliumSpecSelects(spec, pod, labels) ? [id] : [];
      });
    });
  return {
    specs,
    selecting: { ingress: selecting('ingress'), egress: selecting('egress') },
    enforcement: cluster.ciliumConfig?.enforcement ?? 'default',
    ...(state === 'undecided'
      ? { undecided: { kind: 'plugin-unknown', plugins: ['Calico', 'Cilium'] } as const }
      : {}),
  };
}
