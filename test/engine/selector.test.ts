import { describe, expect, it } from 'vitest';
import type { LabelSelector, Labels, SelectorRequirement } from '../../src/engine/index.js';
import {
  isEmptySelector,
  selectorMatches,
  selectorMismatch,
  selectsLabelsAndMore,
} from '../../src/engine/primitives/selector.js';

const selector = (
  matchLabels: Record<string, string> = {},
  matchExpressions: SelectorRequirement[] = [],
): LabelSelector => ({ matchLabels, matchExpressions });

const expr = (
  key: string,
  operator: SelectorRequirement['operator'],
  values: string[] = [],
): SelectorRequirement => ({ key, operator, values });

/** selectorMatches and selectorMismatch must always agree; every check goes through both. */
function matches(sel: LabelSelector, labels: Labels): boolean {
  const fast = selectorMatches(sel, labels);
  const explained = selectorMismatch(sel, labels) === undefined;
  expect(explained).toBe(fast);
  return fast;
}

describe('empty selector', () => {
  it('selects every label set, including an empty one', () => {
    expect(isEmptySelector(selector())).toBe(true);
    expect(matches(selector(), {})).toBe(true);
    expect(matches(selector(), { app: 'web', tier: 'front' })).toBe(true);
  });

  it('is not empty once it has a label or an expression', () => {
    expect(isEmptySelector(selector({ app: 'web' }))).toBe(false);
    expect(isEmptySelector(selector({}, [expr('app', 'Exists')]))).toBe(false);
  });
});

describe('matchLabels', () => {
  it('requires every listed label with the exact value (AND)', () => {
    const sel = selector({ app: 'web', tier: 'front' });
    expect(matches(sel, { app: 'web', tier: 'front', extra: 'x' })).toBe(true);
    expect(matches(sel, { app: 'web' })).toBe(false);
    expect(matches(sel, { app: 'web', tier: 'back' })).toBe(false);
  });

  it('is case-sensitive on values', () => {
    expect(matches(selector({ app: 'web' }), { app: 'Web' })).toBe(false);
  });

  it('an empty expected value still requires the key to be present', () => {
    const sel = selector({ canary: '' });
    expect(matches(sel, { canary: '' })).toBe(true);
    expect(matches(sel, {})).toBe(false);
  });

  it('does not see inherited object properties as labels', () => {
    // "constructor" and "toString" are valid label keys; a plain object "has" them by prototype.
    expect(matches(selector({ constructor: 'x' }), {})).toBe(false);
    expect(matches(selector({ toString: 'x' }), { toString: 'x' })).toBe(true);
  });
});

describe('matchExpressions', () => {
  it('In requires the key with one of the values', () => {
    const sel = selector({}, [expr('env', 'In', ['prod', 'staging'])]);
    expect(matches(sel, { env: 'prod' })).toBe(true);
    expect(matches(sel, { env: 'staging' })).toBe(true);
    expect(matches(sel, { env: 'dev' })).toBe(false);
    expect(matches(sel, {})).toBe(false);
  });

  it('NotIn matches a missing key as well as a value outside the list', () => {
    const sel = selector({}, [expr('env', 'NotIn', ['prod'])]);
    expect(matches(sel, {})).toBe(true);
    expect(matches(sel, { env: 'dev' })).toBe(true);
    expect(matches(sel, { env: 'prod' })).toBe(false);
  });

  it('Exists and DoesNotExist only look at the key', () => {
    expect(matches(selector({}, [expr('env', 'Exists')]), { env: '' })).toBe(true);
    expect(matches(selector({}, [expr('env', 'Exists')]), {})).toBe(false);
    expect(matches(selector({}, [expr('env', 'DoesNotExist')]), {})).toBe(true);
    expect(matches(selector({}, [expr('env', 'DoesNotExist')]), { env: 'x' })).toBe(false);
  });

  it('does not see inherited object properties as labels', () => {
    expect(matches(selector({}, [expr('constructor', 'Exists')]), {})).toBe(false);
    expect(matches(selector({}, [expr('toString', 'DoesNotExist')]), {})).toBe(true);
    expect(matches(selector({}, [expr('hasOwnProperty', 'NotIn', ['a'])]), {})).toBe(true);
  });

  it('ANDs expressions with each other and with matchLabels', () => {
    const sel = selector({ app: 'web' }, [
      expr('env', 'In', ['prod']),
      expr('beta', 'DoesNotExist'),
    ]);
    expect(matches(sel, { app: 'web', env: 'prod' })).toBe(true);
    expect(matches(sel, { app: 'web', env: 'prod', beta: 'on' })).toBe(false);
    expect(matches(sel, { app: 'db', env: 'prod' })).toBe(false);
    expect(matches(sel, { app: 'web', env: 'dev' })).toBe(false);
  });
});

describe('selectorMismatch', () => {
  it('names a missing label', () => {
    expect(selectorMismatch(selector({ app: 'web' }), { tier: 'x' })).toEqual({
      kind: 'label-missing',
      key: 'app',
      expected: 'web',
    });
  });

  it('names a label with another value, with both values', () => {
    expect(selectorMismatch(selector({ app: 'web' }), { app: 'db' })).toEqual({
      kind: 'label-value',
      key: 'app',
      expected: 'web',
      actual: 'db',
    });
  });

  it('names the failing expression and the actual value (undefined when absent)', () => {
    const inProd = expr('env', 'In', ['prod']);
    expect(selectorMismatch(selector({}, [inProd]), { env: 'dev' })).toEqual({
      kind: 'expression',
      requirement: inProd,
      actual: 'dev',
    });
    expect(selectorMismatch(selector({}, [inProd]), {})).toEqual({
      kind: 'expression',
      requirement: inProd,
      actual: undefined,
    });
  });

  it('reports the first failing term, matchLabels before expressions', () => {
    const exists = expr('a', 'Exists');
    const dne = expr('b', 'DoesNotExist');
    expect(selectorMismatch(selector({}, [exists, dne]), { b: '1' })?.kind).toBe('expression');
    expect(selectorMismatch(selector({}, [exists, dne]), { b: '1' })).toMatchObject({
      requirement: exists,
    });
    expect(selectorMismatch(selector({ c: '1' }, [exists]), {})).toMatchObject({
      kind: 'label-missing',
      key: 'c',
    });
  });
});

describe("selectsLabelsAndMore: pods known only to carry a Service selector's labels", () => {
  const dns = { 'k8s-app': 'kube-dns' };

  it('is sure only where every term is on a label the Service selector sets', () => {
    expect(selectsLabelsAndMore(selector(), dns)).toBe('yes');
    expect(selectsLabelsAndMore(selector(dns), dns)).toBe('yes');
    expect(selectsLabelsAndMore(selector({}, [expr('k8s-app', 'In', ['kube-dns'])]), dns)).toBe(
      'yes',
    );
    expect(selectsLabelsAndMore(selector({}, [expr('k8s-app', 'Exists')]), dns)).toBe('yes');
    expect(selectsLabelsAndMore(selector({ 'k8s-app': 'coredns' }), dns)).toBe('no');
    expect(selectsLabelsAndMore(selector({}, [expr('k8s-app', 'DoesNotExist')]), dns)).toBe('no');
  });

  it('is maybe where a term needs, or rules out, a label the pods may carry beyond those', () => {
    expect(selectsLabelsAndMore(selector({ ...dns, version: 'v1' }), dns)).toBe('maybe');
    for (const operator of ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const) {
      expect(selectsLabelsAndMore(selector({}, [expr('track', operator, ['canary'])]), dns)).toBe(
        'maybe',
      );
    }
    // A term that fails on a known label decides, whatever the unknown ones say.
    const failing = selector({ version: 'v1' }, [expr('k8s-app', 'NotIn', ['kube-dns'])]);
    expect(selectsLabelsAndMore(failing, dns)).toBe('no');
  });
});
