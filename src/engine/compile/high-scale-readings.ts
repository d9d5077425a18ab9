import type { CiliumEntity } from '../model/cilium-policy.js';
import type { CompiledPeer } from './compile-policy.js';
import type { UndecidedLayer } from './undecided.js';

/**
 * How an egress rule's peers see a destination pod that Cilium's high-scale ipcache mode keeps
 * out of the ipcache (see cni/cilium-high-scale-ipcache.ts), which they know by its address
 * alone: `selector` peers (the cluster entity too) miss it; `unchanged` peers match as ever
 * (entities that never hold a pod, or all; the node's host); `unmodelled` peers may match it
 * where they did not (a CIDR, the world or unmanaged entity), which the engine does not evaluate.
 */
type AddressSight = 'selector' | 'unchanged' | 'unmodelled';

const ENTITY_SIGHTS: Readonly<Record<CiliumEntity, AddressSight>> = {
  cluster: 'selector',
  world: 'unmodelled',
  unmanaged: 'unmodelled',
  all: 'unchanged',
  host: 'unchanged',
  'remote-node': 'unchanged',
  'kube-apiserver': 'unchanged',
  init: 'unchanged',
  health: 'unchanged',
  ingress: 'unchanged',
};

function addressSight(peer: CompiledPeer): AddressSight {
  switch (peer.kind) {
    case 'pods-in-policy-namespace':
    case 'pods-in-selected-namespaces':
    case 'cilium-endpoints':
      return 'selector';
    case 'node-host':
      return 'unchanged';
    case 'cilium-entity':
      return ENTITY_SIGHTS[peer.entity];
    case 'ip-block':
    case 'calico-endpoints':
      return 'unmodelled';
  }
}

/** How a rule with peers fares: as ever, out (its peers all selectors), or unmodelled. */
function ruleSight(rule: { readonly peers: readonly CompiledPeer[] }): AddressSight {
  const sights = new Set(rule.peers.map(addressSight));
  if (sights.has('unmodelled') || (sights.has('selector') && sights.has('unchanged')))
    return 'unmodelled';
  return sights.has('selector') ? 'selector' : 'unchanged';
}

/**
 * What high-scale ipcache mode (`layer` says why it may be on) does to an egress chain's rules
 * (`main`: the indexes of its main reading): where their peers are selectors alone, a reading
 * without those rules, which a destination pod of another node meets; where some peer would
 * be matched by address otherwise than the engine evaluates, the side is UNKNOWN instead.
 */
export function highScaleReadings(
  rules: readonly { readonly peers: readonly CompiledPeer[] }[],
  main: readonly number[],
  layer: UndecidedLayer,
): { readings: { layer: UndecidedLayer; order: number[] }[]; undecided: UndecidedLayer[] } {
  const sights = rules.map(ruleSight);
  if (sights.includes('unmodelled')) return { readings: [], undecided: [layer] };
  if (!sights.includes('selector')) return { readings: [], undecided: [] };
  const order = main.filter((index) => sights[index] !== 'selector');
  return { readings: [{ layer, order }], undecided: [] };
}
