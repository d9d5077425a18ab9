import type { CalicoSelector } from '../engine/model/calico-selector.js';

const TERM =
  /^(?:(all)\(\)|(!)?has\(\s*([\w./-]+)\s*\)|([\w./-]+)\s*(==|!=)\s*(?:'([^']*)'|"([^"]*)"))$/;

/** Parses a Calico selector (stand-in until the calsel branch's full parser is merged). */
export function parseCalicoSelector(
  text: string,
): { selector: CalicoSelector } | { error: string } {
  const terms = text.trim() === '' ? [] : text.split('&&').map((term) => term.trim());
  const selectors: CalicoSelector[] = [];
  for (const term of terms) {
    const m = TERM.exec(term);
    if (!m) return { error: `cannot read selector term ${JSON.stringify(term)}` };
    if (m[1]) selectors.push({ kind: 'all' });
    else if (m[3]) {
      const has: CalicoSelector = { kind: 'has', key: m[3] };
      selectors.push(m[2] ? { kind: 'not', selector: has } : has);
    } else {
      const key = m[4] as string;
      const value = m[6] ?? m[7] ?? '';
      selectors.push({ kind: m[5] === '==' ? 'equals' : 'not-equals', key, value });
    }
  }
  return {
    selector:
      selectors.length === 1 ? (selectors[0] as CalicoSelector) : { kind: 'and', selectors },
  };
}
