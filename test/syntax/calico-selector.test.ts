/**
 * Reading Calico's selector language. The grammar is Calico's (libcalico-go/lib/selector) and
 * its reference: https://docs.tigera.io/calico/latest/reference/resources/networkpolicy#selectors
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CalicoSelector } from '../../src/engine/index.js';
import { formatCalicoSelector } from '../../src/engine/index.js';
import { parseCalicoSelector } from '../../src/syntax/calico-selector-syntax.js';
import { params } from '../helpers/engine-probes.js';

/** The tree of a selector that must parse. */
function tree(text: string): CalicoSelector {
  const parsed = parseCalicoSelector(text);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed.selector;
}

/** The error of a selector that must not parse. */
function error(text: string): string {
  const parsed = parseCalicoSelector(text);
  if ('selector' in parsed) throw new Error(`parsed as ${formatCalicoSelector(parsed.selector)}`);
  return parsed.error;
}

const eq = (key: string, value: string): CalicoSelector => ({
  kind: 'compare',
  key,
  operator: '==',
  value,
});
const has = (key: string): CalicoSelector => ({ kind: 'has', key });
const not = (operand: CalicoSelector): CalicoSelector => ({ kind: 'not', operand });

describe('parseCalicoSelector: the operators of the reference table', () => {
  it('reads every match operator', () => {
    expect(tree('all()')).toEqual({ kind: 'all' });
    expect(tree('global()')).toEqual({ kind: 'global' });
    expect(tree("k == 'v'")).toEqual(eq('k', 'v'));
    expect(tree("k != 'v'")).toEqual({ kind: 'compare', key: 'k', operator: '!=', value: 'v' });
    expect(tree('has(k)')).toEqual(has('k'));
    expect(tree("k in { 'v1', 'v2' }")).toEqual({
      kind: 'set',
      key: 'k',
      operator: 'in',
      values: ['v1', 'v2'],
    });
    expect(tree("k not in { 'v1', 'v2' }")).toEqual({
      kind: 'set',
      key: 'k',
      operator: 'not in',
      values: ['v1', 'v2'],
    });
    expect(tree("k contains 's'")).toEqual({
      kind: 'compare',
      key: 'k',
      operator: 'contains',
      value: 's',
    });
    expect(tree("k starts with 's'")).toMatchObject({ operator: 'starts with', value: 's' });
    expect(tree("k ends with 's'")).toMatchObject({ operator: 'ends with', value: 's' });
  });

  it('reads the examples of the documentation', () => {
    // "selector: role == 'database'" (NetworkPolicy sample YAML)
    expect(tree("role == 'database'")).toEqual(eq('role', 'database'));
    // "namespaceSelector: projectcalico.org/name in {\"foo\", \"bar\"}" (Calico automatic labels)
    expect(tree('projectcalico.org/name in {"foo", "bar"}')).toEqual({
      kind: 'set',
      key: 'projectcalico.org/name',
      operator: 'in',
      values: ['foo', 'bar'],
    });
    // "To match no resources, combine this operator with ! to form !all()."
    expect(tree('!all()')).toEqual(not({ kind: 'all' }));
  });

  it('accepts both quotes, label names with / . - _ and digits, and the one-word operator forms', () => {
    expect(tree('app.kubernetes.io/name == "web-1_a"')).toEqual(
      eq('app.kubernetes.io/name', 'web-1_a'),
    );
    expect(tree(`k == "it's"`)).toEqual(eq('k', "it's"));
    expect(tree(`k == 'say "hi"'`)).toEqual(eq('k', 'say "hi"'));
    expect(tree("k == ''")).toEqual(eq('k', ''));
    expect(tree("k notin {'a'}")).toMatchObject({ operator: 'not in', values: ['a'] });
    expect(tree("k startswith 'a'")).toMatchObject({ operator: 'starts with' });
    expect(tree("k  not \t in{'a'}")).toMatchObject({ operator: 'not in' });
    expect(tree('k in {}')).toMatchObject({ operator: 'in', values: [] });
    expect(tree("k in {'a',}")).toMatchObject({ values: ['a'] });
    expect(tree('has( k )')).toEqual(has('k'));
    expect(tree("k=='v'&&has(j)")).toEqual({ kind: 'and', operands: [eq('k', 'v'), has('j')] });
  });

  it('reads words that are operators elsewhere as label names where a label stands', () => {
    expect(tree("has == 'x'")).toEqual(eq('has', 'x'));
    expect(tree("in in {'x'}")).toMatchObject({ key: 'in', operator: 'in' });
    expect(tree("all == 'x' && has(all)")).toEqual({
      kind: 'and',
      operands: [eq('all', 'x'), has('all')],
    });
  });

  it('reads an empty or blank text as all(), as Calico does', () => {
    expect(tree('')).toEqual({ kind: 'all' });
    expect(tree('  \t ')).toEqual({ kind: 'all' });
  });
});

describe('parseCalicoSelector: precedence', () => {
  it('brackets the documentation example as the documentation does', () => {
    // "! has(my-label) || my-label starts with 'prod' && role in {'frontend','business'}
    //  Would be "bracketed" like this:
    //  ((!(has(my-label)) || ((my-label starts with 'prod') && (role in {'frontend','business'}))"
    expect(
      tree("! has(my-label) || my-label starts with 'prod' && role in {'frontend','business'}"),
    ).toEqual({
      kind: 'or',
      operands: [
        not(has('my-label')),
        {
          kind: 'and',
          operands: [
            { kind: 'compare', key: 'my-label', operator: 'starts with', value: 'prod' },
            { kind: 'set', key: 'role', operator: 'in', values: ['frontend', 'business'] },
          ],
        },
      ],
    });
  });

  it('binds ! to one operation, && before ||, and parentheses first', () => {
    expect(tree("!a == 'x' && b == 'y'")).toEqual({
      kind: 'and',
      operands: [not(eq('a', 'x')), eq('b', 'y')],
    });
    expect(tree("!(a == 'x' && b == 'y')")).toEqual(
      not({ kind: 'and', operands: [eq('a', 'x'), eq('b', 'y')] }),
    );
    expect(tree("a == 'x' && (b == 'y' || c == 'z')")).toEqual({
      kind: 'and',
      operands: [eq('a', 'x'), { kind: 'or', operands: [eq('b', 'y'), eq('c', 'z')] }],
    });
    expect(tree("a == 'x' || b == 'y' || c == 'z'")).toEqual({
      kind: 'or',
      operands: [eq('a', 'x'), eq('b', 'y'), eq('c', 'z')],
    });
  });

  it('collapses a run of ! as Calico does, but keeps a parenthesised negation', () => {
    expect(tree('!!has(a)')).toEqual(has('a'));
    expect(tree('!!!has(a)')).toEqual(not(has('a')));
    expect(tree('!(!has(a))')).toEqual(not(not(has('a'))));
  });
});

describe('parseCalicoSelector: errors', () => {
  it('names the problem and its column on one line', () => {
    expect(error("app = 'web'")).toBe("expected '==' at column 5");
    expect(error('app == web')).toBe('expected a quoted string after ==, found "web" at column 8');
    expect(error("app == 'web")).toBe('unterminated string at column 8');
    expect(error('has(app')).toBe("expected ')' to close has( at column 8");
    expect(error('has()')).toBe('expected a label name, found ")" at column 5');
    expect(error("app in ('a')")).toBe(`expected '{', found "(" at column 8`);
    expect(error("app in {'a' 'b'}")).toBe(
      `expected a quoted string or '}', found "'b'" at column 13`,
    );
    expect(error("a == 'x' b == 'y'")).toBe(
      'unexpected "b" after a complete expression at column 10',
    );
    expect(error("(a == 'x'")).toBe("expected ')', found the end at column 10");
    expect(error("a == 'x' &&")).toBe(
      'expected a label, has(), all(), global(), ! or (, found the end at column 12',
    );
    expect(error('a b')).toBe('expected an operator after label "a" at column 3');
    expect(error("a == 'x' | b == 'y'")).toBe("expected '||' at column 10");
    expect(error("a == 'x' & b == 'y'")).toBe("expected '&&' at column 10");
    expect(error('a')).toBe('expected an operator after label "a", found the end at column 2');
    expect(error("a == 'x'\n&& b == 'y'")).toBe('expected a label name, found "\\n" at column 9');
    expect(error("app == 'web' # comment")).toBe('expected a label name, found "#" at column 14');
  });

  it('counts columns in the text as given, leading blanks included', () => {
    expect(error("   app = 'web'")).toBe("expected '==' at column 8");
  });

  it('refuses a line break, which Calico does not read as white space', () => {
    expect(error("app == 'web'\n")).toBe('expected a label name, found "\\n" at column 13');
    expect(error('\n')).toBe('expected a label name, found "\\n" at column 1');
  });

  it('refuses a label name longer than Calico allows', () => {
    expect(tree(`${'a'.repeat(512)} == 'x'`)).toMatchObject({ kind: 'compare' });
    expect(error(`${'a'.repeat(513)} == 'x'`)).toBe(
      'label name longer than 512 characters at column 1',
    );
  });

  it('refuses deep nesting without exhausting the stack', () => {
    expect(error(`${'('.repeat(5000)}has(a)${')'.repeat(5000)}`)).toBe(
      'parentheses nested more than 200 deep at column 201',
    );
  });

  it('never throws, whatever the text', () => {
    const alphabet = fc.constantFrom(...`ab/.-_ ()!&|='"{},\tinotsarwhcg`.split(''));
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: alphabet, maxLength: 40 }), fc.string({ unit: 'binary' })),
        (text) => {
          const parsed = parseCalicoSelector(text);
          expect('selector' in parsed || /at column \d+$/.test(parsed.error)).toBe(true);
        },
      ),
      params,
    );
  });
});

/** Label names and values that Calico's syntax can carry (a value with both quotes cannot be written). */
const labelName = fc.constantFrom('app', 'tier', 'k8s.io/name', 'a-b_c.d', 'in', 'has', 'all', '9');
const labelValue = fc.constantFrom('', 'web', 'api', "it's", 'say "hi"', 'a b', '{x}', '&&');

/** Any selector tree, with conjunctions and disjunctions of two operands or more. */
const selectorTree: fc.Arbitrary<CalicoSelector> = fc.letrec<{ node: CalicoSelector }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant<CalicoSelector>({ kind: 'all' }),
    fc.constant<CalicoSelector>({ kind: 'global' }),
    labelName.map((key): CalicoSelector => ({ kind: 'has', key })),
    fc
      .record({
        key: labelName,
        operator: fc.constantFrom('==', '!=', 'contains', 'starts with', 'ends with'),
        value: labelValue,
      } as const)
      .map((r): CalicoSelector => ({ kind: 'compare', ...r })),
    fc
      .record({
        key: labelName,
        operator: fc.constantFrom('in', 'not in'),
        values: fc.array(labelValue, { maxLength: 3 }),
      } as const)
      .map((r): CalicoSelector => ({ kind: 'set', ...r })),
    tie('node').map((operand): CalicoSelector => ({ kind: 'not', operand })),
    fc
      .array(tie('node'), { minLength: 2, maxLength: 3 })
      .map((operands): CalicoSelector => ({ kind: 'and', operands })),
    fc
      .array(tie('node'), { minLength: 2, maxLength: 3 })
      .map((operands): CalicoSelector => ({ kind: 'or', operands })),
  ),
})).node;

describe('formatCalicoSelector and parseCalicoSelector', () => {
  it('read back every formatted tree as the same tree', () => {
    fc.assert(
      fc.property(selectorTree, (selector) => {
        expect(tree(formatCalicoSelector(selector))).toEqual(selector);
      }),
      params,
    );
  });

  it('give a canonical text that formats to itself', () => {
    const text = "!has(my-label)||(my-label starts with \"prod\"&&role in {'frontend','business'})";
    expect(formatCalicoSelector(tree(text))).toBe(
      "!has(my-label) || my-label starts with 'prod' && role in {'frontend', 'business'}",
    );
  });
});
