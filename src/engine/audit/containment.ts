import type { CompiledRule, SelectorOrBlockPeer } from '../compile/compile.js';
import { isCiliumPeer } from '../compile/compile-policy.js';
import { selectorPeerCovers } from '../evaluate/peer-containment.js';
import type { PolicyPort } from '../model/types.js';
import type { CompiledIpBlock, IpRange } from '../primitives/ip-block.js';

/**
 * Whether one rule admits everything another does, judged on how they are written (sound, not
 * complete: a rule may be covered in ways these checks do not see, never the other way round).
 */

function rangeCovers(outer: IpRange, inner: IpRange): boolean {
  return outer.family === inner.family && outer.first <= inner.first && outer.last >= inner.last;
}

function overlaps(a: IpRange, b: IpRange): boolean {
  return a.family === b.family && a.first <= b.last && b.first <= a.last;
}

function blockCovers(outer: CompiledIpBlock, inner: CompiledIpBlock): boolean {
  return (
    rangeCovers(outer.range, inner.range) &&
    outer.excepts.every(
      (hole) =>
        !overlaps(hole, inner.range) || inner.excepts.some((mine) => rangeCovers(mine, hole)),
    )
  );
}

/** Whether a peer admits everything another admits (both of policies in `namespace`). */
function peerCovers(
  outer: SelectorOrBlockPeer,
  inner: SelectorOrBlockPeer,
  namespace: string,
): boolean {
  if (outer.kind === 'ip-block' || inner.kind === 'ip-block') {
    return outer.kind === 'ip-block' && inner.kind === 'ip-block'
      ? blockCovers(outer.ipBlock, inner.ipBlock)
      : false;
  }
  // Cilium peers sit in no NetworkPolicy: containment is about NetworkPolicy peers only.
  if (isCiliumPeer(outer) || isCiliumPeer(inner)) return false;
  return selectorPeerCovers(outer, namespace, inner, namespace);
}

function portCovers(outer: PolicyPort, inner: PolicyPort): boolean {
  if (outer.protocol !== inner.protocol) return false;
  if (outer.port === undefined) return true;
  if (inner.port === undefined) return false;
  if (typeof outer.port === 'string' || typeof inner.port === 'string')
    return outer.port === inner.port;
  return outer.port <= inner.port && (outer.endPort ?? outer.port) >= (inner.endPort ?? inner.port);
}

/** Whether rule `outer` admits every peer and port rule `inner` does (empty lists mean all). */
export function ruleCovers(outer: CompiledRule, inner: CompiledRule, namespace: string): boolean {
  const peers =
    outer.peers.length === 0 ||
    (inner.peers.length > 0 &&
      inner.peers.every((p) => outer.peers.some((q) => peerCovers(q, p, namespace))));
  const ports =
    outer.ports.length === 0 ||
    (inner.ports.length > 0 && inner.ports.every((p) => outer.ports.some((q) => portCovers(q, p))));
  return peers && ports;
}
