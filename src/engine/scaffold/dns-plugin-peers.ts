import type { Analysis, CompiledPeer } from '../compile/compile.js';
import { entityMembership } from '../evaluate/cilium-peer-match.js';
import { knownNamespaceLabels } from '../evaluate/namespace-not-given.js';
import type { CalicoSelector } from '../model/calico-selector.js';
import { type Labels, NAMESPACE_NAME_LABEL, type Pod } from '../model/types.js';
import {
  CALICO_SERVICE_ACCOUNT_LABEL,
  calicoNameLabels,
  calicoPodLabels,
} from '../primitives/calico-labels.js';
import { calicoSelectorKeys, calicoSelectorMatches } from '../primitives/calico-selector.js';
import { CILIUM_SERVICE_ACCOUNT_LABEL, ciliumEndpointLabels } from '../primitives/cilium-labels.js';
import { selectsLabelsAndMore } from '../primitives/selector.js';
import {
  allOf,
  anyOf,
  blockReach,
  not,
  type UnseenDnsPods,
  type UnseenPodReach,
} from './unseen-reach.js';

type CalicoPeer = Extract<CompiledPeer, { kind: 'calico-endpoints' }>;
type CiliumPeer = Extract<CompiledPeer, { kind: 'cilium-endpoints' | 'cilium-entity' }>;

/** What the input tells of the unseen pods' namespace: its labels, and whether those are all. */
function namespaceOf(analysis: Analysis, pods: UnseenDnsPods) {
  const known = knownNamespaceLabels(analysis, pods.namespace);
  const labels = known ?? { [NAMESPACE_NAME_LABEL]: pods.namespace };
  return { labels, complete: known !== undefined };
}

/** The unseen pods as a pod of their namespace with their Service selector's labels only. */
function seenPart(pods: UnseenDnsPods): Pod {
  const { namespace, podLabels } = pods;
  return {
    id: `${namespace}/`,
    namespace,
    name: '',
    kind: 'Pod',
    labels: podLabels,
    ips: [],
    hostNetwork: false,
    ports: [],
  };
}

/** Labels without the keys the unseen pods' service account gives: it is not known. */
function withoutAccount(labels: Labels, accountKey: (key: string) => boolean): Labels {
  return Object.fromEntries(Object.entries(labels).filter(([key]) => !accountKey(key)));
}

/**
 * Whether a Cilium peer holds the unseen pods: an entity as for any pod off the host network; an
 * endpoint selector as selectsLabelsAndMore reads it on the endpoint labels the input tells
 * (their own labels beyond the Service's, their namespace's where not given, and their service
 * account are not told).
 */
function ciliumReach(analysis: Analysis, peer: CiliumPeer, pods: UnseenDnsPods): UnseenPodReach {
  const pod = seenPart(pods);
  if (peer.kind === 'cilium-entity') {
    return entityMembership(analysis, peer.entity, { kind: 'pod', podIdx: -1, pod });
  }
  if (peer.namespace !== undefined && peer.namespace !== pods.namespace) return 'no';
  const labels = ciliumEndpointLabels(pod, namespaceOf(analysis, pods).labels);
  const told = withoutAccount(labels, (key) => key === CILIUM_SERVICE_ACCOUNT_LABEL);
  return selectsLabelsAndMore(peer.selector, told);
}

/** A Calico selector on labels of which those `told` says are known: decided only on those. */
function calicoSelects(
  selector: CalicoSelector,
  labels: Labels,
  told: (key: string) => boolean,
): UnseenPodReach {
  if (!calicoSelectorKeys(selector).every(told)) return 'maybe';
  return calicoSelectorMatches(selector, labels) ? 'yes' : 'no';
}

/** The prefix of the labels a Calico endpoint inherits from its namespace and service account. */
const INHERITED = { namespace: 'pcns.', account: 'pcsa.' } as const;

/**
 * Whether a Calico rule side holds the unseen pods, its conditions ANDed: its namespace, its
 * selectors on the labels the input tells (a label beyond the Service's selector, or of a
 * namespace not given, leaves it undecided), its service accounts (never told), its nets.
 */
function calicoReach(analysis: Analysis, peer: CalicoPeer, pods: UnseenDnsPods): UnseenPodReach {
  const { endpoints } = peer;
  if (endpoints.namespace !== undefined && endpoints.namespace !== pods.namespace) return 'no';
  const namespace = namespaceOf(analysis, pods);
  const named = { name: pods.namespace, labels: namespace.labels };
  const labels = withoutAccount(
    calicoPodLabels(seenPart(pods), named),
    (key) => key === CALICO_SERVICE_ACCOUNT_LABEL || key.startsWith(INHERITED.account),
  );
  const told = (key: string) =>
    Object.hasOwn(labels, key) || (namespace.complete && key.startsWith(INHERITED.namespace));
  const namespaceLabels = calicoNameLabels(named);
  const namespaceTold = (key: string) => namespace.complete || Object.hasOwn(namespaceLabels, key);
  const nets = (blocks: typeof endpoints.nets) =>
    anyOf(blocks.map((block) => blockReach(analysis, block, pods.families)));
  const accounts = endpoints.serviceAccountNames || endpoints.serviceAccountSelector;
  return allOf([
    endpoints.selector ? calicoSelects(endpoints.selector, labels, told) : 'yes',
    endpoints.notSelector ? not(calicoSelects(endpoints.notSelector, labels, told)) : 'yes',
    endpoints.namespaceSelector
      ? calicoSelects(endpoints.namespaceSelector, namespaceLabels, namespaceTold)
      : 'yes',
    accounts ? 'maybe' : 'yes',
    endpoints.nets.length > 0 ? nets(endpoints.nets) : 'yes',
    endpoints.notNets.length > 0 ? not(nets(endpoints.notNets)) : 'yes',
  ]);
}

/** Whether a Calico or Cilium peer holds DNS pods the input does not hold (UnseenPodReach). */
export function pluginPeerReach(
  analysis: Analysis,
  peer: CalicoPeer | CiliumPeer,
  pods: UnseenDnsPods,
): UnseenPodReach {
  return peer.kind === 'calico-endpoints'
    ? calicoReach(analysis, peer, pods)
    : ciliumReach(analysis, peer, pods);
}
