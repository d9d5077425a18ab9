import type { LabelSelector, SelectorMismatch, SelectorRequirement } from '../engine/index.js';
import { terminalText } from './terminal-text.js';

/** A label as `key=value`, shown safely for a terminal. */
export function labelText(key: string, value: string): string {
  return `${terminalText(key)}=${terminalText(value)}`;
}

/**
 * A requirement in kubectl's selector syntax (`tier in (a,b)`, `!debug`), each key and value
 * passed through `shown` (by default made safe for a terminal).
 */
export function requirementText(
  req: SelectorRequirement,
  shown: (text: string) => string = terminalText,
): string {
  const key = shown(req.key);
  // One argument only: map's index would reach terminalText as its length limit.
  const values = () => req.values.map((value) => shown(value)).join(',');
  switch (req.operator) {
    case 'In':
      return `${key} in (${values()})`;
    case 'NotIn':
      return `${key} notin (${values()})`;
    case 'Exists':
      return key;
    case 'DoesNotExist':
      return `!${key}`;
  }
}

/** A selector in kubectl's syntax (`app=api,tier in (a,b)`); undefined when it is empty. */
export function selectorText(selector: LabelSelector): string | undefined {
  const terms = [
    ...Object.entries(selector.matchLabels).map(([key, value]) => labelText(key, value)),
    ...selector.matchExpressions.map((req) => requirementText(req)),
  ];
  return terms.length > 0 ? terms.join(',') : undefined;
}

/** Why labels failed a selector, in words; `subject` is already safe for a terminal. */
export function mismatchText(mismatch: SelectorMismatch, subject: string): string {
  switch (mismatch.kind) {
    case 'label-missing':
      return `${subject} has no label ${terminalText(mismatch.key)} (wanted ${labelText(mismatch.key, mismatch.expected)})`;
    case 'label-value':
      return `${subject} has ${labelText(mismatch.key, mismatch.actual)}, wanted ${labelText(mismatch.key, mismatch.expected)}`;
    case 'expression': {
      const actual =
        mismatch.actual === undefined
          ? `has no label ${terminalText(mismatch.requirement.key)}`
          : `has ${labelText(mismatch.requirement.key, mismatch.actual)}`;
      return `${subject} ${actual}, wanted ${requirementText(mismatch.requirement)}`;
    }
  }
}
