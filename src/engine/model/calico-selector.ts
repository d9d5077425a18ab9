/**
 * A parsed Calico selector expression (stand-in until the calsel branch's full AST is merged):
 * `all()`, `k == 'v'`, `k != 'v'`, `has(k)`, `!has(k)`, joined by `&&`.
 */
export type CalicoSelector =
  | { readonly kind: 'all' }
  | { readonly kind: 'equals'; readonly key: string; readonly value: string }
  | { readonly kind: 'not-equals'; readonly key: string; readonly value: string }
  | { readonly kind: 'has'; readonly key: string }
  | { readonly kind: 'not'; readonly selector: CalicoSelector }
  | { readonly kind: 'and'; readonly selectors: readonly CalicoSelector[] };
