import type { LabelSelector, Labels, SelectorRequirement } from '../model/types.js';

/** Why a selector did not select a label set: the first term that failed. */
export type SelectorMismatch =
  | { readonly kind: 'label-missing'; readonly key: string; readonly expected: string }
  | {
      readonly kind: 'label-value';
      readonly key: string;
      readonly expected: string;
      readonly actual: string;
    }
  | {
      readonly kind: 'expression';
      readonly requirement: SelectorRequirement;
      readonly actual: string | undefined;
    };

/** A selector of exact labels only, as a Service selector or a label set reads. */
export function labelsSelector(labels: Labels): LabelSelector {
  return { matchLabels: labels, matchExpressions: [] };
}

/** True when the selector has no terms and so selects everything. */
export function isEmptySelector(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels).length === 0 && selector.matchExpressions.length === 0;
}

function requirementHolds(requirement: SelectorRequirement, labels: Labels): boolean {
  const has = Object.hasOwn(labels, requirement.key);
  switch (requirement.operator) {
    case 'In':
      return has && requirement.values.includes(labels[requirement.key] as string);
    case 'NotIn':
      return !has || !requirement.values.includes(labels[requirement.key] as string);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
  }
}

/** The first term of the selector that the labels fail, or undefined when they match. */
export function selectorMismatch(
  selector: LabelSelector,
  labels: Labels,
): SelectorMismatch | undefined {
  for (const [key, expected] of Object.entries(selector.matchLabels)) {
    if (!Object.hasOwn(labels, key)) return { kind: 'label-missing', key, expected };
    const actual = labels[key] as string;
    if (actual !== expected) return { kind: 'label-value', key, expected, actual };
  }
  for (const requirement of selector.matchExpressions) {
    if (!requirementHolds(requirement, labels)) {
      return {
        kind: 'expression',
        requirement,
        actual: Object.hasOwn(labels, requirement.key) ? labels[requirement.key] : undefined,
      };
    }
  }
  return undefined;
}

/** Whether a label selector selects a label set (matchLabels and matchExpressions are ANDed). */
export function selectorMatches(selector: LabelSelector, labels: Labels): boolean {
  for (const key in selector.matchLabels) {
    if (labels[key] !== selector.matchLabels[key] || !Object.hasOwn(labels, key)) return false;
  }
  for (const requirement of selector.matchExpressions) {
    if (!requirementHolds(requirement, labels)) return false;
  }
  return true;
}

/**
 * Whether a selector selects a label set known only to include `labels` (a Service's selector:
 * its pods carry those labels and maybe more): `yes` when every such set matches, `no` when none
 * does, `maybe` when the answer hangs on a label beyond `labels` (a key it does not have, which
 * matchLabels, In and Exists need and NotIn and DoesNotExist may meet).
 */
export function selectsLabelsAndMore(
  selector: LabelSelector,
  labels: Labels,
): 'yes' | 'no' | 'maybe' {
  let sure = true;
  for (const [key, expected] of Object.entries(selector.matchLabels)) {
    if (!Object.hasOwn(labels, key)) sure = false;
    else if (labels[key] !== expected) return 'no';
  }
  for (const requirement of selector.matchExpressions) {
    if (!Object.hasOwn(labels, requirement.key)) sure = false;
    else if (!requirementHolds(requirement, labels)) return 'no';
  }
  return sure ? 'yes' : 'maybe';
}
