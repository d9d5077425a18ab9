import type { CiliumConfig } from '../model/cilium-policy.js';
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
 *   pkg/k8s/endpoints.go, v1.16.0 to v1.18.0), the serving ones that are not ready only with
 *   cilium-config `enable-k8s-terminating-endpoint` on before 1.18 ("discarding Endpoint on
 *   EndpointSlice …: not Ready and EnableK8sTerminatingEndpoint", pkg/k8s/endpoints.go,
 *   v1.16.19; on by default, daemon/cmd/daemon_main.go, v1.16.19; the flag was removed in 1.18,
 *   Documentation/operations/upgrade.rst, v1.18.0); from 1.19 every endpoint whatever its conditions
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

/**
 * Whether agents before 1.18 keep a slice's serving endpoints that are not ready, as
 * cilium-config's `enable-k8s-terminating-endpoint` says: `unknown` when it could not be read.
 */
export type TerminatingEndpoints = 'kept' | 'dropped' | 'unknown';

/** Where the agents stand against the releases that changed how toServices resolves. */
export interface CiliumServiceReading {
  /** Against 1.17: whether a Service with a selector matches its pods. */
  readonly selectorServices: CiliumReleaseSide;
  /** Against 1.18: whether addresses come from backends, one per slice port. */
  readonly backends: CiliumReleaseSide;
  /** Against 1.19: whether endpoints of every condition count. */
  readonly everyEndpoint: CiliumReleaseSide;
  /** Whether agents before 1.18 keep serving endpoints that are not ready. */
  readonly terminating: TerminatingEndpoints;
}

/**
 * How the Cilium agents of a detection resolve toServices, given cilium-config (`config`,
 * undefined when not in the input: the agents' defaults hold) or the failure to read it (`unread`).
 */
export function ciliumServiceReading(
  detection: CniDetection,
  config: CiliumConfig | undefined,
  unread: boolean,
): CiliumServiceReading {
  const kept = config?.terminatingEndpoints ?? true;
  return {
    selectorServices: ciliumReleaseSide(detection, CILIUM_SELECTOR_SERVICES_SINCE),
    backends: ciliumReleaseSide(detection, CILIUM_SERVICE_BACKENDS_SINCE),
    everyEndpoint: ciliumReleaseSide(detection, CILIUM_EVERY_SERVICE_ENDPOINT_SINCE),
    terminating: unread ? 'unknown' : kept ? 'kept' : 'dropped',
  };
}

/**
 * How a span of releases takes endpoints; before 1.18, serving endpoints that are not ready
 * count by a setting: `servingNotReady` lists the readings the setting allows (two when unknown).
 */
interface EndpointSpan {
  readonly needsPort: boolean;
  readonly everyCondition: boolean;
  readonly servingNotReady: readonly boolean[];
}

const SETTINGS: Readonly<Record<TerminatingEndpoints, readonly boolean[]>> = {
  kept: [true],
  dropped: [false],
  unknown: [true, false],
};

/** The spans of releases the agents may run (one when the version is known). */
function endpointSpans(reading: CiliumServiceReading): EndpointSpan[] {
  const { backends, everyEndpoint } = reading;
  const always = [true];
  return [
    ...(backends.kind !== 'since'
      ? [
          {
            needsPort: false,
            everyCondition: false,
            servingNotReady: SETTINGS[reading.terminating],
          },
        ]
      : []),
    ...(backends.kind !== 'before' && everyEndpoint.kind !== 'since'
      ? [{ needsPort: true, everyCondition: false, servingNotReady: always }]
      : []),
    ...(everyEndpoint.kind !== 'before'
      ? [{ needsPort: true, everyCondition: true, servingNotReady: always }]
      : []),
  ];
}

/**
 * Whether the agents take an endpoint of a Service's slice as a toServices address: `yes`, `no`,
 * or `maybe`, with what would tell: their release, cilium-config's
 * enable-k8s-terminating-endpoint (`setting`), or both.
 */
export type EndpointTaken =
  | 'yes'
  | 'no'
  | { readonly maybe: { readonly release: boolean; readonly setting: boolean } };

/** All `yes`, all `no`, or `maybe`. */
const agreement = (counts: readonly boolean[]): 'yes' | 'no' | 'maybe' => {
  if (counts.every(Boolean)) return 'yes';
  return counts.some(Boolean) ? 'maybe' : 'no';
};

/**
 * Whether the agents take an endpoint of a Service's slice as a toServices address. Before 1.19
 * an endpoint counts when ready or serving, serving read as the agent reads it: as written, else
 * as `ready`. The engine keeps `serving` as kube-proxy reads it (true when not written), so a
 * not-ready endpoint counts here when serving and terminating, which is what the API makes of
 * serving ("identical to ready except that it is set regardless of the terminating state",
 * discovery/v1 EndpointConditions).
 */
export function takesServiceEndpoint(
  reading: CiliumServiceReading,
  slice: EndpointSlice,
  endpoint: EndpointSliceEndpoint,
): EndpointTaken {
  const bySpan = endpointSpans(reading).map((span) =>
    agreement(
      span.servingNotReady.map(
        (servingNotReady) =>
          (!span.needsPort || slice.ports.length > 0) &&
          (span.everyCondition ||
            endpoint.ready ||
            (servingNotReady && endpoint.serving && endpoint.terminating)),
      ),
    ),
  );
  const [first] = bySpan;
  const release = bySpan.some((taken) => taken !== first);
  if (!release && first !== 'maybe') return first ?? 'no';
  return { maybe: { release, setting: bySpan.includes('maybe') } };
}
