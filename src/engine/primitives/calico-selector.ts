/**
 * Evaluating and writing Calico selectors. Semantics follow Calico's selector reference
 * (https://docs.tigera.io/calico/latest/reference/resources/networkpolicy#selectors): a label
 * test on an absent label is false, except `!=` and `not in`, which are true for it.
 */
import type { Labels } from '../model/basics.js';
import type { CalicoSelector } from '../model/calico-selector.js';

/** One label a failing term looked at, and the value it found (undefined: the label is absent). */
export interface CalicoLabelSeen {
  readonly key: string;
  readonly value?: string;
}

/** Why a Calico selector did not select a label set: the smallest term that decided it, and the labels it saw. */
export interface CalicoSelectorFailure {
  /** The false term: a label test, a negation, a disjunction, `global()` or `!all()`. */
  readonly term: CalicoSelector;
  readonly labels: readonly CalicoLabelSeen[];
}

function labelValue(labels: Labels, key: string): string | undefined {
  return Object.hasOwn(labels, key) ? labels[key] : undefined;
}

function compares(
  operator: Extract<CalicoSelector, { kind: 'compare' }>['operator'],
  actual: string,
  value: string,
): boolean {
  switch (operator) {
    case '==':
      return actual === value;
    case '!=':
      return actual !== value;
    case 'contains':
      return actual.includes(value);
    case 'starts with':
      return actual.startsWith(value);
    case 'ends with':
      return actual.endsWith(value);
  }
}

/**
 * Whether a Calico selector selects a label set. `global()` is false: it selects only
 * non-namespaced resources (global network sets, host endpoints), never a namespace or a pod.
 */
export function calicoSelectorMatches(selector: CalicoSelector, labels: Labels): boolean {
  switch (selector.kind) {
    case 'all':
      return true;
    case 'global':
      return false;
    case 'has':
      return Object.hasOwn(labels, selector.key);
    case 'compare': {
      const actual = labelValue(labels, selector.key);
      if (actual === undefined) return selector.operator === '!=';
      return compares(selector.operator, actual, selector.value);
    }
    case 'set': {
      const actual = labelValue(labels, selector.key);
      const inSet = actual !== undefined && selector.values.includes(actual);
      return selector.operator === 'in' ? inSet : !inSet;
    }
    case 'not':
      return !calicoSelectorMatches(selector.operand, labels);
    case 'and':
      return selector.operands.every((operand) => calicoSelectorMatches(operand, labels));
    case 'or':
      return selector.operands.some((operand) => calicoSelectorMatches(operand, labels));
  }
}

/** The label keys a selector mentions, each once, in the order written. */
export function calicoSelectorKeys(selector: CalicoSelector): string[] {
  switch (selector.kind) {
    case 'all':
    case 'global':
      return [];
    case 'has':
    case 'compare':
    case 'set':
      return [selector.key];
    case 'not':
      return calicoSelectorKeys(selector.operand);
    case 'and':
    case 'or':
      return [...new Set(selector.operands.flatMap(calicoSelectorKeys))];
  }
}

function mentionsGlobal(selector: CalicoSelector): boolean {
  if (selector.kind === 'global') return true;
  if (selector.kind === 'not') return mentionsGlobal(selector.operand);
  if (selector.kind === 'and' || selector.kind === 'or')
    return selector.operands.some(mentionsGlobal);
  return false;
}

/**
 * Why Calico refuses a selector's use of `global()` in a field, or undefined when it accepts it:
 * `global()` is allowed only in a rule's namespaceSelector, and only on its own there (the
 * messages are Calico's validation's).
 */
export function calicoGlobalProblem(
  selector: CalicoSelector,
  field: 'rule namespaceSelector' | 'other',
): string | undefined {
  if (!mentionsGlobal(selector)) return undefined;
  if (field === 'other') return 'global() can only be used in an EntityRule namespaceSelector';
  return selector.kind === 'global'
    ? undefined
    : 'global() cannot be combined with other selectors';
}

/**
 * Why a selector does not select a label set, or undefined when it does. A conjunction is
 * explained by its first false operand; any other false term by itself and the labels it reads.
 */
export function calicoSelectorFailure(
  selector: CalicoSelector,
  labels: Labels,
): CalicoSelectorFailure | undefined {
  if (calicoSelectorMatches(selector, labels)) return undefined;
  if (selector.kind === 'and') {
    for (const operand of selector.operands) {
      const failure = calicoSelectorFailure(operand, labels);
      if (failure) return failure;
    }
  }
  const seen = calicoSelectorKeys(selector).map((key) => {
    const value = labelValue(labels, key);
    return value === undefined ? { key } : { key, value };
  });
  return { term: selector, labels: seen };
}

/**
 * A string in selector syntax: single quotes, or double quotes when it holds a single quote.
 * (Calico's syntax has no escapes, so no selector holds a value with both.)
 */
function quoteCalicoString(value: string): string {
  return value.includes("'") ? `"${value}"` : `'${value}'`;
}

/** Binding strength: a child binding less tightly than its parent is written in parentheses. */
function precedence(selector: CalicoSelector): number {
  if (selector.kind === 'or') return 0;
  if (selector.kind === 'and') return 1;
  if (selector.kind === 'not') return 2;
  return 3;
}

/** A child of an `&&`, `||` or `!`, in parentheses when it binds no more tightly than its parent. */
function operandText(operand: CalicoSelector, parent: number): string {
  const text = formatCalicoSelector(operand);
  return precedence(operand) <= parent ? `(${text})` : text;
}

/**
 * The canonical text of a selector: single spaces, single quotes where possible, parentheses
 * only where precedence needs them. Reading it back gives the same tree.
 */
export function formatCalicoSelector(selector: CalicoSelector): string {
  switch (selector.kind) {
    case 'all':
      return 'all()';
    case 'global':
      return 'global()';
    case 'has':
      return `has(${selector.key})`;
    case 'compare':
      return `${selector.key} ${selector.operator} ${quoteCalicoString(selector.value)}`;
    case 'set':
      return `${selector.key} ${selector.operator} {${selector.values.map(quoteCalicoString).join(', ')}}`;
    case 'not':
      return `!${operandText(selector.operand, 2)}`;
    case 'and':
      return selector.operands.map((operand) => operandText(operand, 1)).join(' && ');
    case 'or':
      return selector.operands.map((operand) => operandText(operand, 0)).join(' || ');
  }
}

function seenText(label: CalicoLabelSeen): string {
  return label.value === undefined
    ? `${label.key} is absent`
    : `${label.key} is ${quoteCalicoString(label.value)}`;
}

/** Why a failure's term is false, in words: `app == 'web' is false: app is 'api'`. */
export function calicoFailureText(failure: CalicoSelectorFailure): string {
  const term = formatCalicoSelector(failure.term);
  if (failure.term.kind === 'global') {
    return `${term} is false: it selects only non-namespaced resources`;
  }
  if (failure.labels.length === 0) return `${term} selects nothing`;
  return `${term} is false: ${failure.labels.map(seenText).join(', ')}`;
}

/** A short reason a selector does not select a label set, or undefined when it does. */
export function calicoSelectorMismatch(
  selector: CalicoSelector,
  labels: Labels,
): string | undefined {
  const failure = calicoSelectorFailure(selector, labels);
  return failure && calicoFailureText(failure);
}
