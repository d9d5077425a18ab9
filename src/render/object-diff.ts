import { yamlText } from './structured.js';

/** The lines of an object's spec as YAML, keys sorted, safe on a terminal; none without a spec. */
function specLines(object: unknown): string[] {
  const spec =
    typeof object === 'object' && object !== null
      ? (object as Record<string, unknown>).spec
      : undefined;
  return spec === undefined ? [] : yamlText(spec, { sortMapEntries: true }).trimEnd().split('\n');
}

/**
 * The lines removed (`- `) and added (`+ `) from one object's spec to another's, in order, by
 * a longest common subsequence of their YAML lines (keys sorted). Empty when
 * the specs are the same.
 */
export function specDiffLines(before: unknown, after: unknown): string[] {
  const a = specLines(before);
  const b = specLines(after);
  // lcs(i, j): length of the longest common subsequence of a[i..] and b[j..].
  const width = b.length + 1;
  const table = new Array<number>((a.length + 1) * width).fill(0);
  const lcs = (i: number, j: number) => table[i * width + j] ?? 0;
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i * width + j] =
        a[i] === b[j] ? lcs(i + 1, j + 1) + 1 : Math.max(lcs(i + 1, j), lcs(i, j + 1));
    }
  }
  const lines: string[] = [];
  let [i, j] = [0, 0];
  while (i < a.length || j < b.length) {
    const [left, right] = [a[i], b[j]];
    if (left !== undefined && left === right) {
      i++;
      j++;
    } else if (left !== undefined && (right === undefined || lcs(i + 1, j) >= lcs(i, j + 1))) {
      lines.push(`- ${left}`);
      i++;
    } else if (right !== undefined) {
      lines.push(`+ ${right}`);
      j++;
    }
  }
  return lines;
}
