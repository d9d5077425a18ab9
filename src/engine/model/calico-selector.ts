/**
 * Calico's label selector language (projectcalico.org/v3 policies), as a tree.
 *
 * Reference: https://docs.tigera.io/calico/latest/reference/resources/networkpolicy#selectors
 * The text form is read by src/syntax/calico-selector-syntax.ts; evaluation and the canonical
 * text are in primitives/calico-selector.ts.
 */

/** A comparison of one label's value with a quoted string. */
export type CalicoComparison = '==' | '!=' | 'contains' | 'starts with' | 'ends with';

/** A test of one label's value against a set of quoted strings. */
export type CalicoSetTest = 'in' | 'not in';

/** A parsed Calico selector expression. */
export type CalicoSelector =
  /** `all()`: every in-scope resource. */
  | { readonly kind: 'all' }
  /** `global()`: only non-namespaced resources (valid only as a whole namespaceSelector). */
  | { readonly kind: 'global' }
  /** `has(k)`: the label is present, whatever its value. */
  | { readonly kind: 'has'; readonly key: string }
  /** `k == 'v'`, `k != 'v'`, `k contains 's'`, `k starts with 's'`, `k ends with 's'`. */
  | {
      readonly kind: 'compare';
      readonly key: string;
      readonly operator: CalicoComparison;
      readonly value: string;
    }
  /** `k in {'a', 'b'}`, `k not in {'a', 'b'}`. */
  | {
      readonly kind: 'set';
      readonly key: string;
      readonly operator: CalicoSetTest;
      readonly values: readonly string[];
    }
  /** `!e`. */
  | { readonly kind: 'not'; readonly operand: CalicoSelector }
  /** `e1 && e2 && ...` (two operands or more). */
  | { readonly kind: 'and'; readonly operands: readonly CalicoSelector[] }
  /** `e1 || e2 || ...` (two operands or more). */
  | { readonly kind: 'or'; readonly operands: readonly CalicoSelector[] };
