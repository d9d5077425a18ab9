import type { Direction } from '../compile/compile-policy.js';
import type { ReachablePod } from '../evaluate/reachable.js';
import { EMPTY_PORT_SET, portSetKey } from '../primitives/port-set.js';
import type { PodExposure } from './explain-pod.js';

/** A pod whose connections with the explained pod differ between two exposures. */
export interface ReachChange {
  readonly pod: string;
  /** What was allowed before; absent: nothing. */
  readonly before?: ReachablePod;
  /** What is allowed after; absent: nothing. */
  readonly after?: ReachablePod;
}

/** How one pod's exposure changes, per direction; a direction without change is empty. */
export type ExposureChanges = Readonly<Record<Direction, readonly ReachChange[]>>;

/** What some pods admit as a comparable key: its connections and those UNKNOWN. */
const reachKey = (reach: Pick<ReachablePod, 'connections' | 'unknown'>) =>
  `${portSetKey(reach.connections)}|${portSetKey(reach.unknown ?? EMPTY_PORT_SET)}`;

/** A reachable pod's answer as a comparable key, each address family's with it when they differ. */
const answerKey = (reached: ReachablePod | undefined) =>
  reached ? [reached, ...Object.values(reached.families ?? {})].map(reachKey).join('/') : '';

function directionChanges(
  before: readonly ReachablePod[],
  after: readonly ReachablePod[],
): ReachChange[] {
  const was = new Map(before.map((reached) => [reached.pod, reached]));
  const is = new Map(after.map((reached) => [reached.pod, reached]));
  const pods = [...new Set([...was.keys(), ...is.keys()])];
  return pods.flatMap((pod): ReachChange[] => {
    const b = was.get(pod);
    const a = is.get(pod);
    if (answerKey(b) === answerKey(a)) return [];
    return [{ pod, ...(b ? { before: b } : {}), ...(a ? { after: a } : {}) }];
  });
}

/**
 * The pods whose connections with the explained pod change from one exposure of it to another
 * (both of the same pod, e.g. before and after a staged policy is enforced), per direction.
 */
export function exposureChanges(before: PodExposure, after: PodExposure): ExposureChanges {
  return {
    ingress: directionChanges(before.ingress.pods, after.ingress.pods),
    egress: directionChanges(before.egress.pods, after.egress.pods),
  };
}
