/**
 * What a Calico selector selects, and why it does not. Each expectation quotes the row of
 * Calico's selector table that decides it:
 * https://docs.tigera.io/calico/latest/reference/resources/networkpolicy#selectors
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CalicoSelector, Labels } from '../../src/engine/index.js';
import {
  calicoGlobalProblem,
  calicoSelectorMatches,
  calicoSelectorMismatch,
  formatCalicoSelector,
} from '../../src/engine/index.js';
import { parseCalicoSelector } from '../../src/syntax/calico-selector-syntax.js';
import { params } from '../helpers/engine-probes.js';

function selector(text: string): CalicoSelector {
  const parsed = parseCalicoSelector(text);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed.selector;
}

/** Whether the selector selects the labels; calicoSelectorMismatch must agree every time. */
function selects(text: string, labels: Labels): boolean {
  const parsed = selector(text);
  const matched = calicoSelectorMatches(parsed, labels);
  expect(calicoSelectorMismatch(parsed, labels) === undefined).toBe(matched);
  return matched;
}

const WEB = { app: 'web', tier: 'frontend' };
const API = { app: 'api' };
const NONE = {};

describe('calicoSelectorMatches: the match operators', () => {
  it('all() and !all()', () => {
    // "all(): Match all in-scope resources. To match _no_ resources, combine this operator with ! to form !all()."
    expect(selects('all()', WEB)).toBe(true);
    expect(selects('all()', NONE)).toBe(true);
    expect(selects('!all()', WEB)).toBe(false);
  });

  it('global() selects no namespace and no pod', () => {
    // "global(): Match all non-namespaced resources. Useful in a namespaceSelector to select
    // global resources such as global network sets."
    expect(selects('global()', { 'projectcalico.org/name': 'default' })).toBe(false);
  });

  it('k == v', () => {
    // "k == 'v': Matches resources with the label 'k' and value 'v'."
    expect(selects("app == 'web'", WEB)).toBe(true);
    expect(selects("app == 'web'", API)).toBe(false);
    expect(selects("app == 'web'", NONE)).toBe(false);
  });

  it('k != v, true without the label', () => {
    // "k != 'v': Matches resources without label 'k' or with label 'k' and value _not_ equal to v"
    expect(selects("app != 'web'", API)).toBe(true);
    expect(selects("app != 'web'", NONE)).toBe(true);
    expect(selects("app != 'web'", WEB)).toBe(false);
  });

  it('has(k) and !has(k)', () => {
    // "has(k): Matches resources with label 'k', independent of value. To match pods that do not
    // have label k, combine this operator with ! to form !has(k)"
    expect(selects('has(app)', { app: '' })).toBe(true);
    expect(selects('has(app)', NONE)).toBe(false);
    expect(selects('!has(app)', NONE)).toBe(true);
    expect(selects('!has(app)', API)).toBe(false);
  });

  it('k in {...} and k not in {...}, the latter true without the label', () => {
    // "k in { 'v1', 'v2' }: Matches resources with label 'k' and value in the given set"
    // "k not in { 'v1', 'v2' }: Matches resources without label 'k' or with label 'k' and value
    // _not_ in the given set"
    expect(selects("app in {'web', 'api'}", API)).toBe(true);
    expect(selects("app in {'web', 'db'}", API)).toBe(false);
    expect(selects("app in {'web'}", NONE)).toBe(false);
    expect(selects('app in {}', API)).toBe(false);
    expect(selects("app not in {'web', 'db'}", API)).toBe(true);
    expect(selects("app not in {'web', 'api'}", API)).toBe(false);
    expect(selects("app not in {'web'}", NONE)).toBe(true);
  });

  it('contains, starts with, ends with: false without the label', () => {
    // "k contains 's': Matches resources with label 'k' and value containing the substring 's'"
    // "k starts with 's'" / "k ends with 's'": "... value starting/ending with the substring 's'"
    const labels = { env: 'prod-eu-1' };
    expect(selects("env contains 'eu'", labels)).toBe(true);
    expect(selects("env contains 'us'", labels)).toBe(false);
    expect(selects("env starts with 'prod'", labels)).toBe(true);
    expect(selects("env starts with 'eu'", labels)).toBe(false);
    expect(selects("env ends with '-1'", labels)).toBe(true);
    expect(selects("env ends with 'prod'", labels)).toBe(false);
    expect(selects("env contains ''", NONE)).toBe(false);
    expect(selects("env starts with ''", NONE)).toBe(false);
  });

  it('matches labels with / and . in their names, and nothing inherited from Object', () => {
    expect(selects("app.kubernetes.io/name == 'web'", { 'app.kubernetes.io/name': 'web' })).toBe(
      true,
    );
    expect(selects('has(toString)', NONE)).toBe(false);
    expect(selects("constructor != 'x'", NONE)).toBe(true);
  });
});

describe('calicoSelectorMatches: the documentation example of precedence', () => {
  // "It would match: Any resource that did not have label "my-label". Any resource that both:
  // Has a value for my-label that starts with "prod", and, Has a role label with value either
  // "frontend", or "business"."
  const example =
    "! has(my-label) || my-label starts with 'prod' && role in {'frontend','business'}";

  it('selects what the documentation lists', () => {
    expect(selects(example, { role: 'db' })).toBe(true);
    expect(selects(example, { 'my-label': 'prod-1', role: 'business' })).toBe(true);
  });

  it('rejects the rest', () => {
    expect(selects(example, { 'my-label': 'prod-1', role: 'db' })).toBe(false);
    expect(selects(example, { 'my-label': 'dev', role: 'frontend' })).toBe(false);
  });
});

describe('calicoSelectorMismatch', () => {
  it('names the failing test and the label it saw', () => {
    expect(calicoSelectorMismatch(selector("app == 'web'"), API)).toBe(
      "app == 'web' is false: app is 'api'",
    );
    expect(calicoSelectorMismatch(selector("app == 'web'"), NONE)).toBe(
      "app == 'web' is false: app is absent",
    );
    expect(calicoSelectorMismatch(selector("app != 'web'"), WEB)).toBe(
      "app != 'web' is false: app is 'web'",
    );
    expect(calicoSelectorMismatch(selector('!has(app)'), API)).toBe(
      "!has(app) is false: app is 'api'",
    );
    expect(calicoSelectorMismatch(selector("app in {'web', 'db'}"), API)).toBe(
      "app in {'web', 'db'} is false: app is 'api'",
    );
  });

  it('explains a conjunction by its first false operand', () => {
    expect(
      calicoSelectorMismatch(selector("tier == 'frontend' && app == 'api' && has(x)"), WEB),
    ).toBe("app == 'api' is false: app is 'web'");
    expect(calicoSelectorMismatch(selector("has(app) && (app == 'db' || tier == 'db')"), WEB)).toBe(
      "app == 'db' || tier == 'db' is false: app is 'web', tier is 'frontend'",
    );
  });

  it('explains a negation by what it negates saw', () => {
    expect(calicoSelectorMismatch(selector("!(app == 'web' && has(tier))"), WEB)).toBe(
      "!(app == 'web' && has(tier)) is false: app is 'web', tier is 'frontend'",
    );
  });

  it('says when a selector selects nothing or only global resources', () => {
    expect(calicoSelectorMismatch(selector('!all()'), WEB)).toBe('!all() selects nothing');
    expect(calicoSelectorMismatch(selector('global()'), WEB)).toBe(
      'global() is false: it selects only non-namespaced resources',
    );
  });

  it('is undefined when the selector selects the labels', () => {
    expect(calicoSelectorMismatch(selector("app == 'web'"), WEB)).toBeUndefined();
  });

  it('agrees with calicoSelectorMatches on any selector and labels', () => {
    const keys = ['app', 'tier'];
    const values = ['web', 'api', ''];
    const leaf = fc.oneof(
      fc.constantFrom(...keys).map((k) => `has(${k})`),
      fc
        .tuple(
          fc.constantFrom(...keys),
          fc.constantFrom('==', '!=', 'contains', 'starts with', 'ends with'),
          fc.constantFrom(...values),
        )
        .map(([k, op, v]) => `${k} ${op} '${v}'`),
      fc
        .tuple(fc.constantFrom(...keys), fc.constantFrom('in', 'not in'), fc.subarray(values))
        .map(([k, op, vs]) => `${k} ${op} {${vs.map((v) => `'${v}'`).join(',')}}`),
    );
    const text = fc.letrec<{ e: string }>((tie) => ({
      e: fc.oneof(
        { depthSize: 'small' },
        leaf,
        tie('e').map((e) => `!(${e})`),
        fc
          .tuple(tie('e'), fc.constantFrom('&&', '||'), tie('e'))
          .map(([a, op, b]) => `(${a}) ${op} (${b})`),
      ),
    })).e;
    const labels = fc.dictionary(fc.constantFrom(...keys), fc.constantFrom(...values));
    fc.assert(
      fc.property(text, labels, (source, set) => {
        selects(source, set);
      }),
      params,
    );
  });
});

describe('formatCalicoSelector', () => {
  it('writes single spaces, single quotes and only the parentheses precedence needs', () => {
    expect(formatCalicoSelector(selector("(a=='x'||b=='y')&&!(has(c))"))).toBe(
      "(a == 'x' || b == 'y') && !has(c)",
    );
    expect(formatCalicoSelector(selector(`a == "it's" || !(!has(b))`))).toBe(
      `a == "it's" || !(!has(b))`,
    );
    expect(formatCalicoSelector(selector("k notin {'a','b'}"))).toBe("k not in {'a', 'b'}");
    expect(formatCalicoSelector(selector(''))).toBe('all()');
  });
});

describe('calicoGlobalProblem', () => {
  it("allows global() only alone in a rule's namespaceSelector, as Calico's validation does", () => {
    // "The global() operator can be used (only) in a namespaceSelector to change the scope of the
    // main selector to include non-namespaced resources" (Selectors, scopes)
    expect(calicoGlobalProblem(selector('global()'), 'rule namespaceSelector')).toBeUndefined();
    expect(calicoGlobalProblem(selector("team == 'a'"), 'other')).toBeUndefined();
    expect(calicoGlobalProblem(selector("global() || team == 'a'"), 'rule namespaceSelector')).toBe(
      'global() cannot be combined with other selectors',
    );
    expect(calicoGlobalProblem(selector('!global()'), 'rule namespaceSelector')).toBe(
      'global() cannot be combined with other selectors',
    );
    expect(calicoGlobalProblem(selector('has(a) && !(global())'), 'other')).toBe(
      'global() can only be used in an EntityRule namespaceSelector',
    );
  });
});
