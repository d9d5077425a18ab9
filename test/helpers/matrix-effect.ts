/**
 * The effect of a change computed the slow, obvious way: two full matrices, every pair
 * compared. The reference for the engine's policyEffect.
 */
import type { ConnectivityMatrix, Pod } from '../../src/engine/index.js';
import { portSetAllows, portSetKey, unionPortSets } from '../../src/engine/primitives/port-set.js';
import type { FlowChange } from '../../src/engine/scaffold/effect.js';
import { isClusterDnsPod } from '../../src/engine/scaffold/scaffold-fix.js';

/** The pairs that gain or lose ports between two matrices of the same pods, in pod order. */
export function matrixEffect(
  pods: readonly Pod[],
  before: ConnectivityMatrix,
  after: ConnectivityMatrix,
): { opened: FlowChange[]; closed: FlowChange[]; dnsBlocked: string[] } {
  const opened: FlowChange[] = [];
  const closed: FlowChange[] = [];
  const dnsBlocked: string[] = [];
  pods.forEach((from, i) => {
    let resolvedBefore = false;
    let resolvedAfter = false;
    pods.forEach((to, j) => {
      const a = before.connections(i, j);
      const b = after.connections(i, j);
      if (isClusterDnsPod(to)) {
        resolvedBefore ||= portSetAllows(a, 'UDP', 53);
        resolvedAfter ||= portSetAllows(b, 'UDP', 53);
      }
      const union = portSetKey(unionPortSets([a, b]));
      const change = { from: from.id, to: to.id, before: a, after: b };
      if (union !== portSetKey(a)) opened.push(change);
      if (union !== portSetKey(b)) closed.push(change);
    });
    if (resolvedBefore && !resolvedAfter) dnsBlocked.push(from.id);
  });
  return { opened, closed, dnsBlocked };
}
