import type { TargetCandidate } from '../../src/engine/index.js';

/** The candidates as the full read gives them, namespaces but `counted` without pod counts. */
export function countedOnly(candidates: TargetCandidate[], counted: readonly string[]) {
  return candidates.map((candidate) => {
    if (candidate.kind !== 'namespace' || counted.includes(candidate.text.replace(/\/$/, ''))) {
      return candidate;
    }
    const { pods: _pods, ...about } = candidate.about ?? {};
    return { ...candidate, about };
  });
}
