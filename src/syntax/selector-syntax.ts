import type { LabelSelector, Labels, Parsed, SelectorRequirement } from '../engine/index.js';

/** Splits on commas outside parentheses. */
function terms(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === ',' && depth === 0) {
      out.push(current);
      current = '';
    } else current += char;
  }
  out.push(current);
  return out.map((t) => t.trim()).filter((t) => t !== '');
}

/**
 * Parses kubectl's label selector syntax into a LabelSelector: `k=v`, `k==v`, `k!=v`,
 * `k in (a,b)`, `k notin (a,b)`, `k` (exists) and `!k` (does not exist), comma-separated.
 * An empty string selects everything. Key and value syntax is checked by validation later; a
 * term that does not parse is named in the result's message.
 */
export function parseSelector(text: string): Parsed<LabelSelector> {
  const matchLabels: Record<string, string> = {};
  const matchExpressions: SelectorRequirement[] = [];
  for (const term of terms(text)) {
    const set = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
    if (set) {
      const values = (set[3] as string)
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');
      matchExpressions.push({
        key: set[1] as string,
        operator: set[2] === 'in' ? 'In' : 'NotIn',
        values,
      });
      continue;
    }
    const inequality = /^([^!=\s]+)\s*!=\s*(\S*)$/.exec(term);
    if (inequality) {
      matchExpressions.push({
        key: inequality[1] as string,
        operator: 'NotIn',
        values: [inequality[2] as string],
      });
      continue;
    }
    const equality = /^([^!=\s]+)\s*==?\s*(\S*)$/.exec(term);
    if (equality) {
      matchLabels[equality[1] as string] = equality[2] as string;
      continue;
    }
    const absent = /^!\s*([^!=\s()]+)$/.exec(term);
    if (absent) {
      matchExpressions.push({ key: absent[1] as string, operator: 'DoesNotExist', values: [] });
      continue;
    }
    if (/^[^!=\s(),]+$/.test(term)) {
      matchExpressions.push({ key: term, operator: 'Exists', values: [] });
      continue;
    }
    return { ok: false, error: `cannot parse selector term "${term}"` };
  }
  return { ok: true, value: { matchLabels, matchExpressions } };
}

/** Exact labels in kubectl's selector syntax, as parseSelector reads them: `app=api,tier=web`. */
export function labelsText(labels: Labels): string {
  return Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}
