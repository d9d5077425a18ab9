import type { PolicyRef } from '../compile/compile.js';
import { NAMESPACE_NAME_LABEL } from '../model/types.js';
import type { Label, LabelDifference } from '../primitives/label-difference.js';
import { type RuleNearMiss, type SelectorDifference, selectsNothing } from './rule-differences.js';
import { nameBearsOut, valueNames } from './typo-evidence.js';

/** A pod, or the workload whose template stands for it. */
export interface PodRef {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

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
      /**
       * The pod carrying the label, when the selector picks pods and the pod's name does not
       * bear its label out: the typo may be the pod's, fixed by giving it `wanted`.
       */
      readonly pod?: PodRef;
    }
  | {
      /** No namespace has a label the namespaceSelector wants: give it to the peer's namespace. */
      readonly kind: 'label-namespace';
      readonly namespace: string;
      readonly label: Label;
      /**
       * When the wanted value spells the namespace's name (name=frontend, ns=namespacea): the
       * other way, the selector's term rewritten to the label every namespace carries.
       */
      readonly byName?: {
        readonly policy: PolicyRef;
        readonly field: string;
        readonly label: Label;
      };
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
  podOf: (id: string) => PodRef | undefined,
): Suggestion | undefined {
  if (!term.fromMatchLabels) return undefined;
  const wanted = { key: term.requirement.key, value: term.requirement.values[0] ?? '' };
  if (term.likelyTypo && term.actual) {
    const field = selectorField(miss, difference.kind);
    const pod =
      difference.kind === 'namespace-selector-matches-nothing'
        ? undefined
        : podOf(difference.subject);
    const podSide =
      pod && term.actual.key === wanted.key && !nameBearsOut(pod.name, term.actual.value);
    return {
      kind: 'edit-selector',
      policy: miss.policy,
      field,
      wanted,
      actual: term.actual,
      ...(podSide ? { pod: { kind: pod.kind, namespace: pod.namespace, name: pod.name } } : {}),
    };
  }
  if (difference.kind === 'namespace-selector-matches-nothing' && term.actual?.key !== wanted.key) {
    const namespace = difference.subject;
    const byName = valueNames(wanted.value, namespace)
      ? {
          byName: {
            policy: miss.policy,
            field: selectorField(miss, difference.kind),
            label: { key: NAMESPACE_NAME_LABEL, value: namespace },
          },
        }
      : {};
    return { kind: 'label-namespace', namespace, label: wanted, ...byName };
  }
  return undefined;
}

/**
 * The edits that make a near miss allow the flow when every difference is a selector that
 * selects nothing and each failing term is a typo (or a label the namespace lacks); else none.
 * `podOf` finds the pod a difference is about, so a typo may be offered on the pod's side too.
 */
export function selectorSuggestions(
  miss: RuleNearMiss,
  podOf: (id: string) => PodRef | undefined = () => undefined,
): Suggestion[] {
  const suggestions: Suggestion[] = [];
  for (const difference of miss.differences) {
    // A selector that selects nothing is wrong; one that selects other objects may be right.
    if (!('labels' in difference) || !selectsNothing(difference)) return [];
    for (const term of difference.labels) {
      const found = suggestion(miss, difference, term, podOf);
      if (!found) return [];
      suggestions.push(found);
    }
  }
  return suggestions;
}
