import type { CalicoSelector } from '../model/calico-selector.js';
import type { Labels } from '../model/types.js';

/** Whether a Calico selector selects a label set. */
export function calicoSelectorMatches(selector: CalicoSelector, labels: Labels): boolean {
  return calicoSelectorMismatch(selector, labels) === undefined;
}

/** Why a Calico selector does not select a label set (a short reason), or undefined when it does. */
export function calicoSelectorMismatch(
  selector: CalicoSelector,
  labels: Labels,
): string | undefined {
  switch (selector.kind) {
    case 'all':
      return undefined;
    case 'equals':
      return labels[selector.key] === selector.value
        ? undefined
        : `${selector.key} is not '${selector.value}'`;
    case 'not-equals':
      return labels[selector.key] !== selector.value
        ? undefined
        : `${selector.key} is '${selector.value}'`;
    case 'has':
      return Object.hasOwn(labels, selector.key) ? undefined : `no label ${selector.key}`;
    case 'not':
      return calicoSelectorMatches(selector.selector, labels)
        ? 'the negated term holds'
        : undefined;
    case 'and':
      for (const term of selector.selectors) {
        const reason = calicoSelectorMismatch(term, labels);
        if (reason) return reason;
      }
      return undefined;
  }
}
