import type { PolicyRef } from '../compile/compile.js';
import type { Label, LabelDifference } from '../primitives/label-difference.js';
import { type RuleNearMiss, type SelectorDifference, selectsNothing } from './rule-differences.js';

/** An edit that would make a rule allow a flow, where a mistake is likelier than a missing policy. */
export type Suggestion =
  | {
      /** A selector term is a typo away from the label the pod or namespace has. */
      readonly kind: 'edit-selector';
      readonly policy: PolicyRef;
      /** The selector's path in the policy, e.g. `spec.ingress[0].from[0].namespaceSelector`. */
      readonly field: string;
      /** The term as written (a matchLabels entry). */
      readonly wanted: Label;
      /** What it should probably say. */
      readonly actual: Label;
    }
  | {
      /** No namespace has a label the namespaceSelector wants: give it to the peer's namespace. */
      readonly kind: 'label-namespace';
      readonly namespace: string;
      readonly label: Label;
    };

function selectorField(miss: RuleNearMiss, kind: SelectorDifference['kind']): string {
  if (kind === 'policy-selects-nothing') return 'spec.podSelector';
  const peers = miss.direction === 'ingress' ? 'from' : 'to';
  const selector =
    kind === 'namespace-selector-matches-nothing' ? 'namespaceSelector' : 'podSelector';
  return `spec.${miss.direction}[${miss.ruleIndex}].${peers}[${miss.peerIndex}].${selector}`;
}

function suggestion(
  miss: RuleNearMiss,
  difference: SelectorDifference,
  term: LabelDifference,
): Suggestion | undefined {
  if (!term.fromMatchLabels) return undefined;
  const wanted = { key: term.requirement.key, value: term.requirement.values[0] ?? '' };
  if (term.likelyTypo && term.actual) {
    const field = selectorField(miss, difference.kind);
    return { kind: 'edit-selector', policy: miss.policy, field, wanted, actual: term.actual };
  }
  if (difference.kind === 'namespace-selector-matches-nothing' && term.actual?.key !== wanted.key) {
    return { kind: 'label-namespace', namespace: difference.subject, label: wanted };
  }
  return undefined;
}

/**
 * The edits that make a near miss allow the flow when every difference is a selector that
 * selects nothing and each failing term is a typo (or a label the namespace lacks); else none.
 */
export function selectorSuggestions(miss: RuleNearMiss): Suggestion[] {
  const suggestions: Suggestion[] = [];
  for (const difference of miss.differences) {
    // A selector that selects nothing is wrong; one that selects other objects may be right.
    if (!('labels' in difference) || !selectsNothing(difference)) return [];
    for (const term of difference.labels) {
      const found = suggestion(miss, difference, term);
      if (!found) return [];
      suggestions.push(found);
    }
  }
  return suggestions;
}
