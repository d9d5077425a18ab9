import { useMemo } from 'react';
import { findingCountText } from '../audit-view.js';
import type { ShownList } from '../list-rows.js';
import type { Audit } from '../use-audit.js';
import {
  CLUSTER_POLICY_COLUMNS,
  findingColumns,
  namespaceColumns,
  podColumns,
  policyColumns,
  serviceColumns,
} from './columns.js';
import { ListView } from './ListView.js';

/** Props of ListScreen. */
export interface ListScreenProps {
  readonly shown: ShownList;
  /** Marks namespaces and pods the audit found something about. */
  readonly audit: Audit;
  readonly cursor: number;
  /** The pods marked for the matrix, by id. */
  readonly marks: readonly string[];
  readonly height: number;
  readonly width: number;
  readonly color: boolean;
  /** The namespace the lists are narrowed to; undefined: all. */
  readonly namespace: string | undefined;
}

/** A list screen: namespaces, pods, NetworkPolicies, Services, cluster network policies or the audit's findings. */
export function ListScreen({ shown, audit, namespace, marks, ...view }: ListScreenProps) {
  const { ofNamespace, ofPod } = audit;
  const withUnknown = shown.list === 'namespaces' && shown.rows.some((row) => row.unknown !== '');
  const allNamespaces = namespace === undefined;
  // The same columns from frame to frame, so that ListView keeps the rows' lines it laid out.
  const columns = useMemo(
    () => ({
      namespaces: namespaceColumns((ns) => findingCountText(ofNamespace(ns)), withUnknown),
      pods: podColumns((podId) => ofPod(podId).some((f) => f.severity !== 'info'), allNamespaces),
      policies: policyColumns(allNamespaces),
      services: serviceColumns(allNamespaces),
      findings: findingColumns(view.width),
    }),
    [ofNamespace, ofPod, withUnknown, allNamespaces, view.width],
  );
  const marked = useMemo(() => {
    const set = new Set(marks);
    return (row: { key: string }) => set.has(row.key);
  }, [marks]);
  switch (shown.list) {
    case 'namespaces':
      return (
        <ListView rows={shown.rows} columns={columns.namespaces} empty="no namespaces" {...view} />
      );
    case 'pods':
      return (
        <ListView
          rows={shown.rows}
          columns={columns.pods}
          empty="no pods match"
          marked={marked}
          {...view}
        />
      );
    case 'policies':
      return (
        <ListView
          rows={shown.rows}
          columns={columns.policies}
          empty="no NetworkPolicies match"
          {...view}
        />
      );
    case 'services':
      return (
        <ListView
          rows={shown.rows}
          columns={columns.services}
          empty="no Services match"
          {...view}
        />
      );
    case 'cluster-policies':
      return (
        <ListView
          rows={shown.rows}
          columns={CLUSTER_POLICY_COLUMNS}
          empty="no cluster network policies match"
          {...view}
        />
      );
    case 'audit':
      return (
        <ListView
          rows={shown.rows}
          columns={columns.findings}
          empty={audit.digest ? 'no findings' : 'auditing…'}
          {...view}
        />
      );
  }
}
