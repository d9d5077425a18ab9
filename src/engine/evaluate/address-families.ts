import type { RuleChain } from '../compile/chains.js';
import type { Analysis } from '../compile/compile.js';
import { type Endpoint, endpointChain } from '../compile/endpoint.js';
import type { AddressFamily } from '../compile/pod-addresses.js';
import { peerIpBlocks } from './unknown-ip.js';

/**
 * Dual-stack pods. "IPv4/IPv6 dual-stack networking enables the allocation of both IPv4 and
 * IPv6 addresses to Pods" ("a single IPv4 and IPv6 address assignment per Pod",
 * https://kubernetes.io/docs/concepts/services-networking/dual-stack/), and each workload "can
 * communicate over IPv4 or IPv6" (https://docs.tigera.io/calico/latest/networking/ipam/ipv6).
 * A connection uses one family: the address an ipBlock sees is the pod's address of that
 * family, so a block holding only its IPv4 address decides its IPv4 connections alone.
 */

/** How outputs name an address family. */
export type FamilyName = 'IPv4' | 'IPv6';

/** The name of each address family in outputs. */
export const FAMILY_NAMES: Readonly<Record<AddressFamily, FamilyName>> = { 4: 'IPv4', 6: 'IPv6' };

const views = new WeakMap<Analysis, Map<AddressFamily, Analysis>>();

/** The analysis as a connection over one family sees it: each dual-stack pod by that address. */
export function familyView(analysis: Analysis, family: AddressFamily): Analysis {
  let byFamily = views.get(analysis);
  if (!byFamily) {
    byFamily = new Map();
    views.set(analysis, byFamily);
  }
  let view = byFamily.get(family);
  if (!view) {
    view = { ...analysis, podAddresses: analysis.podAddresses.ofFamily(family) };
    byFamily.set(family, view);
  }
  return view;
}

/** The analysis as a connection over the family of that name sees it (see familyView). */
export function namedFamilyView(analysis: Analysis, name: FamilyName): Analysis {
  return familyView(analysis, name === 'IPv4' ? 4 : 6);
}

/**
 * The families a connection between two pods can use (given the families of each one's
 * addresses), when a dual-stack pod takes part: those both have (two: it may go over either).
 * Undefined when no dual-stack pod takes part, when an IP is unknown, or when they have no
 * family in common: each pod's every address is read.
 */
export function pairFamilies(
  source: readonly AddressFamily[],
  destination: readonly AddressFamily[],
): readonly AddressFamily[] | undefined {
  if (source.length < 2 && destination.length < 2) return undefined;
  return commonFamilies(source, destination);
}

/** The families two ends share; undefined when one's are unknown or they share none. */
function commonFamilies(
  source: readonly AddressFamily[] | undefined,
  destination: readonly AddressFamily[] | undefined,
): readonly AddressFamily[] | undefined {
  if (!source?.length || !destination?.length) return undefined;
  const common = source.filter((family) => destination.includes(family));
  return common.length > 0 ? common : undefined;
}

/**
 * The families of two ends whose known addresses share none (an IPv6 client and an IPv4-only
 * pod): no connection is made between them, whatever the policies say. Undefined when they
 * share one, or one end's addresses are not known.
 */
export function disjointFamilies(
  analysis: Analysis,
  source: Endpoint,
  destination: Endpoint,
): readonly [readonly AddressFamily[], readonly AddressFamily[]] | undefined {
  const ofSource = endpointFamilies(analysis, source);
  const ofDestination = endpointFamilies(analysis, destination);
  if (!ofSource?.length || !ofDestination?.length) return undefined;
  return commonFamilies(ofSource, ofDestination) ? undefined : [ofSource, ofDestination];
}

/** The families of an endpoint's address; undefined when unknown (a host name). */
function endpointFamilies(
  analysis: Analysis,
  endpoint: Endpoint,
): readonly AddressFamily[] | undefined {
  if (endpoint.kind === 'hostname') return undefined;
  if (endpoint.kind === 'external') return [endpoint.address.family];
  const families = analysis.podAddresses.familiesOf(endpoint.podIdx);
  return endpoint.family && families.includes(endpoint.family) ? [endpoint.family] : families;
}

const matchesAddresses = new WeakMap<RuleChain, boolean>();

/** Whether some rule of a chain matches the other side by its address (ipBlock, CIDR, nets). */
function chainMatchesAddresses(chain: RuleChain): boolean {
  let known = matchesAddresses.get(chain);
  if (known === undefined) {
    known = chain.rules.some((rule) => rule.peers.some((peer) => peerIpBlocks(peer).length > 0));
    matchesAddresses.set(chain, known);
  }
  return known;
}

/**
 * Whether some pod may be dual-stack: it has more than one IP. Read without parsing any
 * address, so that a question about two pods stays cheap.
 */
export function mayHaveDualStackPods(analysis: Analysis): boolean {
  return analysis.pods.some((pod) => pod.ips.length > 1);
}

/** Whether an endpoint is a pod with addresses of both families. */
function isDualStackPod(analysis: Analysis, endpoint: Endpoint): boolean {
  return endpoint.kind === 'pod' && analysis.podAddresses.familiesOf(endpoint.podIdx).length > 1;
}

/**
 * The families a connection between two endpoints can use, when a dual-stack pod takes part and
 * a rule governing it matches addresses: an address typed as a target (or outside the pods)
 * fixes its own. See pairFamilies.
 */
export function flowFamilies(
  analysis: Analysis,
  source: Endpoint,
  destination: Endpoint,
): readonly AddressFamily[] | undefined {
  // The cheap test first: most clusters have no dual-stack pod.
  if (
    !(isDualStackPod(analysis, source) || isDualStackPod(analysis, destination)) ||
    (!chainMatchesAddresses(endpointChain(analysis, source, 'egress')) &&
      !chainMatchesAddresses(endpointChain(analysis, destination, 'ingress')))
  )
    return undefined;
  return commonFamilies(
    endpointFamilies(analysis, source),
    endpointFamilies(analysis, destination),
  );
}
