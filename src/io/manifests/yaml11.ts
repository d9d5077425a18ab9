import { type Document, isPair, isScalar, isSeq, visit } from 'yaml';
import type { Finding, SourceLocation } from '../../engine/index.js';

/** Plain scalars that YAML 1.1 (which kubectl reads) takes for booleans and YAML 1.2 for strings. */
const YAML11_BOOLEANS: Readonly<Record<string, boolean>> = Object.fromEntries(
  ['y', 'yes', 'on', 'n', 'no', 'off'].flatMap((word) => {
    const value = ['y', 'yes', 'on'].includes(word);
    const forms = [word, word[0]?.toUpperCase() + word.slice(1), word.toUpperCase()];
    return [...new Set(forms)].map((form) => [form, value]);
  }),
);

/** Warnings given one by one per document; the rest are counted in one more. */
const MAX_LISTED = 10;

/** The dotted path of a node from its ancestors: `metadata.labels.enabled`, `items[2].name`. */
function fieldPath(ancestors: readonly unknown[], node: unknown): string {
  let path = '';
  ancestors.forEach((ancestor, i) => {
    const child = ancestors[i + 1] ?? node;
    if (isPair(ancestor) && isScalar(ancestor.key))
      path += `${path ? '.' : ''}${String(ancestor.key.value)}`;
    else if (isSeq(ancestor)) path += `[${ancestor.items.indexOf(child as never)}]`;
  });
  return path;
}

/**
 * Warns about unquoted `y`, `yes`, `on`, `n`, `no`, `off` (any case), keys or values: strings
 * here (YAML 1.2), booleans to kubectl (YAML 1.1), so what kubectl applies differs from what
 * is analysed, and the API server rejects a boolean where a string belongs (labels, names).
 * The first MAX_LISTED are listed with line and field, the others counted in one warning.
 */
export function yaml11BooleanFindings(
  document: Document,
  lineAt: (offset: number) => number,
  location: SourceLocation,
): Finding[] {
  const findings: Finding[] = [];
  const warn = (message: string) =>
    findings.push({ severity: 'warning', code: 'yaml11-boolean', message, location });
  let count = 0;
  visit(document, {
    Scalar(key, node, ancestors) {
      if (node.type !== 'PLAIN' || typeof node.value !== 'string') return;
      const boolean = YAML11_BOOLEANS[node.value];
      if (boolean === undefined) return;
      count += 1;
      // Only listed ones get a field path: finding a list item's index is a linear search.
      if (count > MAX_LISTED) return;
      const line = lineAt(node.range?.[0] ?? 0);
      const what = key === 'key' ? 'key' : 'value';
      warn(
        `line ${line}, ${fieldPath(ancestors, node) || '(top level)'}: the unquoted ${what} ${node.value} is the boolean ${boolean} to kubectl (YAML 1.1), not the string "${node.value}" read here; quote it`,
      );
    },
  });
  if (count > MAX_LISTED) {
    warn(
      `${count - MAX_LISTED} more unquoted y/yes/on/n/no/off keys or values, booleans to kubectl (YAML 1.1); quote them`,
    );
  }
  return findings;
}
