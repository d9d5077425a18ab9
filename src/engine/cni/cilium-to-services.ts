import type { EndpointSlice, EndpointSliceEndpoint } from '../model/types.js';
import { type CiliumReleaseSide, ciliumReleaseSide } from './cilium-version.js';
import type { CniDetection } from './detect.js';

/**
 * How Cilium resolves an egress rule's `toServices` (pkg/policy/k8s/service.go), by release:
 *
 * - A Service with a selector matches nothing before 1.17: `isSelectableService` takes
 *   `svc.IsExternal()` Services alone (v1.16.0; "Services based rules will only take effect on
 *   Kubernetes services without a selector", Documentation/security/policy/language.rst,
 *   v1.16.0). From 1.17 its selector becomes an endpoint selector in the Service's namespace
 *   (`appendSelector`, v1.17.0 to v1.20.2; "make ToServices selectors work for in-cluster
 *   services too", cilium/cilium#34208): its pods by identity, ready or not.
 * - A Service without one stands for its EndpointSlices' addresses as generated toCIDRSet
 *   entries (`appendEndpoints`), which like any CIDR never match a pod ("CIDR selectors cannot
 *   select pods, and that limitation applies here as well", language.rst, v1.17.0). Which
 *   endpoints: before 1.19 the ready ones and the serving ones (`ParseEndpointSliceV1`,
 *   pkg/k8s/endpoints.go, v1.16.0 to v1.18.0, with enable-k8s-terminating-endpoint on by default
 *   and always from 1.18); from 1.19 every endpoint whatever its conditions
 *   (`ParseEndpointConditionsV1` keeps them all, v1.19.0). From 1.18 they come from the load
 *   balancer's backends table, which holds one backend per slice port (`convertEndpoints`,
 *   pkg/loadbalancer/reflectors/conversions.go, v1.18.0): a slice listing no port gives none.
 */

/** The first Cilium release whose toServices matches Services with a selector. */
export const CILIUM_SELECTOR_SERVICES_SINCE = { major: 1, minor: 17 } as const;

/** The first Cilium release taking toServices addresses from backends, one per slice port. */
export const CILIUM_SERVICE_BACKENDS_SINCE = { major: 1, minor: 18 } as const;

/** The first Cilium release taking every endpoint of a slice, ready or not, for toServices. */
export const CILIUM_EVERY_SERVICE_ENDPOINT_SINCE = { major: 1, minor: 19 } as const;

/** Where the agents stand against the releases that changed how toServices resolves. */
export interface CiliumServiceReading {
  /** Against 1.17: whether a Service with a selector matches its pods. */
  readonly selectorServices: CiliumReleaseSide;
  /** Against 1.18: whether addresses come from backends, one per slice port. */
  readonly backends: CiliumReleaseSide;
  /** Against 1.19: whether endpoints of every condition count. */
  readonly everyEndpoint: CiliumReleaseSide;
}

/** How the Cilium agents of a detection resolve toServices. */
export function ciliumServiceReading(detection: CniDetection): CiliumServiceReading {
  return {
    selectorServices: ciliumReleaseSide(detection, CILIUM_SELECTOR_SERVICES_SINCE),
    backends: ciliumReleaseSide(detection, CILIUM_SERVICE_BACKENDS_SINCE),
    everyEndpoint: ciliumReleaseSide(detection, CILIUM_EVERY_SERVICE_ENDPOINT_SINCE),
  };
}

/** One way of taking endpoints, as a span of releases does. */
interface EndpointRule {
  readonly needsPort: boolean;
  readonly everyCondition: boolean;
}

/** The ways of taking endpoints the agents' releases may follow (one when the version is known). */
function endpointRules(reading: CiliumServiceReading): EndpointRule[] {
  const { backends, everyEndpoint } = reading;
  return [
    ...(backends.kind !== 'since' ? [{ needsPort: false, everyCondition: false }] : []),
    ...(backends.kind !== 'before' && everyEndpoint.kind !== 'since'
      ? [{ needsPort: true, everyCondition: false }]
      : []),
    ...(everyEndpoint.kind !== 'before' ? [{ needsPort: true, everyCondition: true }] : []),
  ];
}

/**
 * Whether the agents take an endpoint of a Service's slice as a toServices address: `yes`, `no`,
 * or `maybe` where their version would tell. Before 1.19 an endpoint counts when ready or
 * serving, serving read as the agent reads it: as written, else as `ready`. The engine keeps
 * `serving` as kube-proxy reads it (true when not written), so a not-ready endpoint counts here
 * when serving and terminating, which is what the API makes of serving ("identical to ready
 * except that it is set regardless of the terminating state", discovery/v1 EndpointConditions).
 */
export function takesServiceEndpoint(
  reading: CiliumServiceReading,
  slice: EndpointSlice,
  endpoint: EndpointSliceEndpoint,
): 'yes' | 'no' | 'maybe' {
  const counts = endpointRules(reading).map(
    (rule) =>
      (!rule.needsPort || slice.ports.length > 0) &&
      (rule.everyCondition || endpoint.ready || (endpoint.serving && endpoint.terminating)),
  );
  if (counts.every(Boolean)) return 'yes';
  return counts.some(Boolean) ? 'maybe' : 'no';
}
