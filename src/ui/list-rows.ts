import type { FindingRow } from './audit-view.js';
import { currentList, type ListScreenId, type UiState } from './state.js';
import {
  type ClusterPolicyRow,
  type ClusterView,
  type NamespaceRow,
  type PodRow,
  type PolicyRow,
  rowFilter,
  type ServiceRow,
  visibleRows,
} from './view-model.js';

/** The row type of each list screen. */
interface RowOfList {
  readonly namespaces: NamespaceRow;
  readonly pods: PodRow;
  readonly policies: PolicyRow;
  readonly services: ServiceRow;
  readonly 'cluster-policies': ClusterPolicyRow;
  readonly audit: FindingRow;
}

/** The rows a list screen shows, tagged with the list, so each list's rows keep their type. */
export type ShownList = {
  readonly [L in ListScreenId]: { readonly list: L; readonly rows: readonly RowOfList[L][] };
}[ListScreenId];

/** One row of a list, tagged with its list. */
export type ListRow = {
  readonly [L in ListScreenId]: { readonly list: L; readonly row: RowOfList[L] };
}[ListScreenId];

/** The first row of the namespaces list: every namespace at once. */
export const ALL_NAMESPACES: NamespaceRow = {
  key: '*',
  name: '(all namespaces)',
  pods: 0,
  policies: 0,
  defaultDeny: '',
  isolated: '',
  unknown: '',
  labels: {},
};

/** What the rows of the list on top depend on in the UI's state (a cursor move changes none of it). */
export interface ListQuery {
  readonly list: ListScreenId;
  /** The namespace the lists are narrowed to; undefined: all. */
  readonly namespace: string | undefined;
  readonly filter: string;
}

/** The list on top of a state, its namespace and its filter; undefined when the top is not a list. */
export function listQuery(state: UiState): ListQuery | undefined {
  const list = currentList(state);
  return list && { list, namespace: state.namespace, filter: state.filters[list] };
}

/**
 * The rows of a list, narrowed to the namespace and the list's filter. `findings` gives the
 * audit's rows, computed on demand.
 */
export function shownList(
  view: ClusterView,
  { list, namespace, filter }: ListQuery,
  findings: () => readonly FindingRow[],
): ShownList {
  switch (list) {
    case 'namespaces':
      return { list, rows: [ALL_NAMESPACES, ...visibleRows(view, list, namespace, filter)] };
    case 'pods':
      return { list, rows: visibleRows(view, list, namespace, filter) };
    case 'policies':
      return { list, rows: visibleRows(view, list, namespace, filter) };
    case 'services':
      return { list, rows: visibleRows(view, list, namespace, filter) };
    case 'cluster-policies': {
      // Cluster-scoped: the namespace in view does not narrow them.
      const passes = rowFilter(filter);
      return { list, rows: view.clusterPolicies.filter((row) => passes(row.key, {})) };
    }
    case 'audit': {
      const passes = rowFilter(filter);
      return {
        list,
        rows: findings().filter(
          (row) =>
            (!namespace || !row.namespace || row.namespace === namespace) &&
            passes(`${row.code} ${row.message}`, row.labels),
        ),
      };
    }
  }
}

function tagged<L extends ListScreenId, R>(list: L, row: R | undefined) {
  return row === undefined ? undefined : { list, row };
}

/** The row at a position of a list, tagged with its list. */
export function rowAt(shown: ShownList, index: number): ListRow | undefined {
  switch (shown.list) {
    case 'namespaces':
      return tagged(shown.list, shown.rows[index]);
    case 'pods':
      return tagged(shown.list, shown.rows[index]);
    case 'policies':
      return tagged(shown.list, shown.rows[index]);
    case 'services':
      return tagged(shown.list, shown.rows[index]);
    case 'cluster-policies':
      return tagged(shown.list, shown.rows[index]);
    case 'audit':
      return tagged(shown.list, shown.rows[index]);
  }
}
