import type { SelectorMismatch } from '../engine/selector.js';
import type { LabelSelector, SelectorRequirement } from '../engine/types.js';

/** A requirement in kubectl's selector syntax: `tier in (a,b)`, `!debug`. */
export function requirementText(req: SelectorRequirement): string {
  switch (req.operator) {
    case 'In':
      return `${req.key} in (${req.values.join(',')})`;
    case 'NotIn':
      return `${req.key} notin (${req.values.join(',')})`;
    case 'Exists':
      return req.key;
    case 'DoesNotExist':
      return `!${req.key}`;
  }
}

/** A selector in kubectl's syntax (`app=api,tier in (a,b)`); undefined when it is empty. */
export function selectorText(selector: LabelSelector): string | undefined {
  const terms = [
    ...Object.entries(selector.matchLabels).map(([key, value]) => `${key}=${value}`),
    ...selector.matchExpressions.map(requirementText),
  ];
  return terms.length > 0 ? terms.join(',') : undefined;
}

/** Why labels failed a selector, in words. */
export function mismatchText(mismatch: SelectorMismatch, subject: string): string {
  switch (mismatch.kind) {
    case 'label-missing':
      return `${subject} has no label ${mismatch.key} (wanted ${mismatch.key}=${mismatch.expected})`;
    case 'label-value':
      return `${subject} has ${mismatch.key}=${mismatch.actual}, wanted ${mismatch.key}=${mismatch.expected}`;
    case 'expression': {
      const actual =
        mismatch.actual === undefined
          ? `has no label ${mismatch.requirement.key}`
          : `has ${mismatch.requirement.key}=${mismatch.actual}`;
      return `${subject} ${actual}, wanted ${requirementText(mismatch.requirement)}`;
    }
  }
}
