import {
  type CiliumServiceReading,
  ciliumServiceReading,
  takesServiceEndpoint,
} from '../cni/cilium-to-services.js';
import type { CniDetection } from '../cni/detect.js';
import {
  CILIUM_CONFIG,
  type CiliumEnforcement,
  type CiliumL7Rules,
  type CiliumPolicy,
  type CiliumPolicySpec,
  type CiliumRule,
  type CiliumServiceRef,
  ciliumPolicyName,
} from '../model/cilium-policy.js';
import type {
  Cluster,
  EndpointSlice,
  Labels,
  Namespace,
  Pod,
  PolicyPort,
  Service,
  UnreadList,
} from '../model/types.js';
import { ciliumEndpointLabels } from '../primitives/cilium-labels.js';
import { compileIpBlock, hostCidr } from '../primitives/ip-block.js';
import { labelsSelector, selectorMatches } from '../primitives/selector.js';
import type { CompiledPeer, Direction } from './compile-policy.js';
import { hasCalicoPolicies } from './plugin-presence.js';
import { type SlicesByService, slicesOf } from './service-slices.js';
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
  /** Services `toServices` names that the input does not hold (`NS/NAME`): they match nothing. */
  readonly missingServices: readonly string[];
  /** Services `toServices` names whose Service or EndpointSlice list could not be read. */
  readonly unreadServices: readonly { readonly service: string; readonly list: UnreadList }[];
  /** Services `toServices` names that have a selector, which the agents' release ignores. */
  readonly unselectedServices: readonly string[];
  /** Backends of Services `toServices` names that only some Cilium releases match, by Service. */
  readonly releaseServices: readonly ReleaseServicePeers[];
}

/** Peers of a Service's backends that the agents' release, not known, decides. */
export interface ReleaseServicePeers {
  /** `NS/NAME`. */
  readonly service: string;
  /** Whether it has a selector (matched from 1.17), or these are endpoints not ready or portless. */
  readonly selector: boolean;
  readonly peers: readonly CompiledPeer[];
  /** Whether the agents' release would tell (else only the setting below would). */
  readonly release: boolean;
  /**
   * The failed read of cilium-config, when its enable-k8s-terminating-endpoint would tell
   * whether agents before 1.18 take some of these endpoints (serving, not ready).
   */
  readonly settingUnread?: UnreadList;
}

/** A spec of a Cilium policy, compiled. */
export interface CompiledCiliumSpec {
  readonly policy: CiliumPolicy;
  readonly name: string;
  readonly specIndex: number;
  /** A host policy (nodeSelector): not evaluated. */
  readonly hostPolicy: boolean;
  readonly defaultDeny: Readonly<Record<Direction, boolean>>;
  /** Fields of its rules the engine does not evaluate (fromRequires, authentication...), each once. */
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
   * The cilium-config read that failed, when `enforcement` is only assumed (`default`): answers
   * that `always` or `never` would change are UNKNOWN for it.
   */
  readonly enforcementUnread?: UnreadList;
  /**
   * Set when which plugin's layer is enforced cannot be told: the pods the specs select are
   * UNKNOWN for this reason instead of evaluated.
   */
  readonly undecided?: UndecidedLayer;
}

/** Whether Cilium's layer is enforced, and how that was decided. */
export type CiliumLayerState =
  /** No Cilium policy or configuration in the input (read, or refused). */
  | 'absent'
  /** The network plugin is Cilium. */
  | 'enforced'
  /** The plugin is not known; only Cilium's objects are present, so Cilium is assumed. */
  | 'assumed'
  /** The plugin is another one: Cilium's policies are named and ignored. */
  | 'ignored'
  /** The plugin is not known and Calico's policies are present too: UNKNOWN where they apply. */
  | 'undecided';

/** The refused read of kube-system/cilium-config, when the input holds no cilium-config. */
export function enforcementUnread(cluster: Cluster): UnreadList | undefined {
  if (cluster.ciliumConfig) return undefined;
  return (cluster.unread ?? []).find(
    (list) =>
      list.resource === 'configmaps' &&
      list.namespace === CILIUM_CONFIG.namespace &&
      list.name === CILIUM_CONFIG.name,
  );
}

/** Whose layer applies: Cilium's when the plugin is Cilium, or assumed from the objects alone. */
export function ciliumLayerState(cluster: Cluster, options: CompileOptions): CiliumLayerState {
  const configless = !cluster.ciliumConfig && !enforcementUnread(cluster);
  if ((cluster.ciliumPolicies ?? []).length === 0 && configless) return 'absent';
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

/** The unread list of a resource that may hold objects of a namespace (any, when undefined). */
function unreadIn(
  cluster: Cluster,
  resource: string,
  namespace: string | undefined,
): UnreadList | undefined {
  return (cluster.unread ?? []).find(
    (list) =>
      list.resource === resource &&
      (list.namespace === undefined
        ? namespace === undefined || !list.readIn?.includes(namespace)
        : namespace === undefined || list.namespace === namespace),
  );
}

/** A `toServices` entry in words: `shop/api`, or `tier=backend in shop`. */
function serviceRefText(ref: CiliumServiceRef): string {
  if (ref.kind === 'name') return `${ref.namespace}/${ref.name}`;
  const labels = Object.entries(ref.selector.matchLabels).map(([key, value]) => `${key}=${value}`);
  const text = [...labels, ...ref.selector.matchExpressions.map((e) => `${e.key} ${e.operator}`)];
  return `${text.join(',') || 'every Service'}${ref.namespace ? ` in ${ref.namespace}` : ''}`;
}

/** What the Services `toServices` names stand for, and which of them the input cannot tell. */
interface ServicePeers {
  readonly peers: CompiledPeer[];
  readonly missing: string[];
  readonly unread: { service: string; list: UnreadList }[];
  readonly unselected: string[];
  readonly releaseDependent: ReleaseServicePeers[];
}

/**
 * The peers of the Services `toServices` names, as the agents' release resolves them (see
 * cilium-to-services.ts): their selector's pods, or their slices' addresses. A Service not in
 * the input matches nothing; where its list (or, for a Service without selector, its
 * EndpointSlices) could not be read, what it matches is unknown.
 */
function servicePeers(
  cluster: Cluster,
  slices: SlicesByService,
  rule: CiliumRule,
  reading: CiliumServiceReading,
  next: () => number,
): ServicePeers {
  const result: ServicePeers = {
    peers: [],
    missing: [],
    unread: [],
    unselected: [],
    releaseDependent: [],
  };
  for (const ref of rule.services) {
    const services = cluster.services.filter((service) =>
      ref.kind === 'name'
        ? service.namespace === ref.namespace && service.name === ref.name
        : (ref.namespace === undefined || service.namespace === ref.namespace) &&
          selectorMatches(ref.selector, service.labels ?? {}),
    );
    const servicesUnread = unreadIn(cluster, 'services', ref.namespace);
    if (servicesUnread) result.unread.push({ service: serviceRefText(ref), list: servicesUnread });
    else if (services.length === 0 && ref.kind === 'name') result.missing.push(serviceRefText(ref));
    for (const service of services) {
      const name = `${service.namespace}/${service.name}`;
      const slicesUnread = service.selector
        ? undefined
        : unreadIn(cluster, 'endpointslices', service.namespace);
      if (slicesUnread) result.unread.push({ service: name, list: slicesUnread });
      const backends = service.selector
        ? selectorBackends(service, reading, next)
        : sliceBackends(slicesOf(slices, service), reading, next);
      result.peers.push(...backends.sure);
      if (backends.ignored) result.unselected.push(name);
      if (backends.possible.length > 0) {
        const selector = service.selector !== undefined;
        const settingUnread = backends.bySetting ? enforcementUnread(cluster) : undefined;
        result.releaseDependent.push({
          service: name,
          selector,
          peers: backends.possible,
          release: backends.byRelease ?? true,
          ...(settingUnread ? { settingUnread } : {}),
        });
      }
    }
  }
  return result;
}

/**
 * One Service's backend peers: those matched, those the release or a setting decides (and
 * which of them does), and if it is ignored.
 */
interface Backends {
  readonly sure: CompiledPeer[];
  readonly possible: CompiledPeer[];
  readonly ignored?: true;
  /** Whether the release decides some of `possible` (undefined: as for a Service with a selector). */
  readonly byRelease?: boolean;
  /** Whether enable-k8s-terminating-endpoint decides some of `possible`. */
  readonly bySetting?: boolean;
}

/** The pods of a Service with a selector, matched from 1.17 by its selector. */
function selectorBackends(
  service: Service,
  reading: CiliumServiceReading,
  next: () => number,
): Backends {
  const side = reading.selectorServices.kind;
  if (side === 'before') return { sure: [], possible: [], ignored: true };
  const peer: CompiledPeer = {
    kind: 'cilium-endpoints',
    index: next(),
    selector: labelsSelector(service.selector ?? {}),
    namespace: service.namespace,
  };
  return side === 'since' ? { sure: [peer], possible: [] } : { sure: [], possible: [peer] };
}

/** The addresses of a Service without selector (those of its slices), as CIDRs: they match no pod. */
function sliceBackends(
  serviceSlices: readonly EndpointSlice[],
  reading: CiliumServiceReading,
  next: () => number,
): Backends {
  const backends = { sure: [] as CompiledPeer[], possible: [] as CompiledPeer[] };
  let byRelease = false;
  let bySetting = false;
  for (const slice of serviceSlices) {
    for (const endpoint of slice.endpoints) {
      const taken = takesServiceEndpoint(reading, slice, endpoint);
      if (taken === 'no') continue;
      if (taken !== 'yes') {
        byRelease ||= taken.maybe.release;
        bySetting ||= taken.maybe.setting;
      }
      for (const address of endpoint.addresses) {
        const cidr = hostCidr(address);
        if (!cidr) continue;
        const ipBlock = compileIpBlock({ cidr, except: [] });
        const peer: CompiledPeer = {
          kind: 'ip-block',
          index: next(),
          ipBlock,
          outsideCluster: true,
        };
        (taken === 'yes' ? backends.sure : backends.possible).push(peer);
      }
    }
  }
  return { ...backends, byRelease, bySetting };
}

/** Entities whose members the objects show; the others may only possibly match. */
const DECIDABLE = new Set(['world', 'cluster', 'all']);

function compileRule(
  cluster: Cluster,
  slices: SlicesByService,
  reading: CiliumServiceReading,
  policy: CiliumPolicy,
  specIndex: number,
  rule: CiliumRule,
  direction: Direction,
  deny: boolean,
): CompiledCiliumRule[] {
  // An ICMP rule (https://docs.cilium.io/en/stable/security/policy/language/#icmp-icmpv6)
  // admits or denies ICMP messages only: no TCP, UDP or SCTP connection. A deny rule a release
  // takes with toPorts beside (before 1.16.7) denies those ports too: `mergeIngress` and
  // `mergeEgress` (pkg/policy/rule.go, v1.16.0) add a filter per toPorts entry and per icmps one.
  if (rule.icmps && rule.ports.length === 0) return [];
  let peerIndex = 0;
  const next = () => peerIndex++;
  const listed: CompiledPeer[] = [
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
  ];
  // Service peers come last, numbered after the others.
  const services = servicePeers(cluster, slices, rule, reading, next);
  const peers = [...listed, ...services.peers];
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
    missingServices: services.missing,
    unreadServices: services.unread,
    unselectedServices: services.unselected,
    releaseServices: services.releaseDependent,
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
  slices: SlicesByService,
  reading: CiliumServiceReading,
  policy: CiliumPolicy,
  spec: CiliumPolicySpec,
  specIndex: number,
): CompiledCiliumSpec {
  const rules = (direction: Direction) => [
    ...rulesOf(spec, direction, true).flatMap((rule) =>
      compileRule(cluster, slices, reading, policy, specIndex, rule, direction, true),
    ),
    ...rulesOf(spec, direction, false).flatMap((rule) =>
      compileRule(cluster, slices, reading, policy, specIndex, rule, direction, false),
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
 * when Cilium's layer does not apply (`state` absent or ignored). `detection` tells the agents'
 * release, on which toServices depends.
 */
export function compileCiliumPolicies(
  cluster: Cluster,
  slices: SlicesByService,
  namespaces: ReadonlyMap<string, Namespace>,
  state: CiliumLayerState,
  detection: CniDetection,
): CiliumSelection | undefined {
  if (state === 'absent' || state === 'ignored') return undefined;
  const reading = ciliumServiceReading(
    detection,
    cluster.ciliumConfig,
    enforcementUnread(cluster) !== undefined,
  );
  const specs = (cluster.ciliumPolicies ?? []).flatMap((policy) =>
    policy.specs.map((spec, specIndex) =>
      compileSpec(cluster, slices, reading, policy, spec, specIndex),
    ),
  );
  const selecting = (direction: Direction) =>
    cluster.pods.map((pod) => {
      const labels = namespaces.get(pod.namespace)?.labels ?? {};
      return specs.flatMap((spec, id) => {
        const applies = spec.defaultDeny[direction] || spec.rules[direction].length > 0;
        return applies && ciliumSpecSelects(spec, pod, labels) ? [id] : [];
      });
    });
  const unread = enforcementUnread(cluster);
  return {
    specs,
    selecting: { ingress: selecting('ingress'), egress: selecting('egress') },
    enforcement: cluster.ciliumConfig?.enforcement ?? 'default',
    ...(unread ? { enforcementUnread: unread } : {}),
    ...(state === 'undecided'
      ? { undecided: { kind: 'plugin-unknown', plugins: ['Calico', 'Cilium'] } as const }
      : {}),
  };
}
