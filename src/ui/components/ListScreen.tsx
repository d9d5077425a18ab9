import { useMemo } from 'react';
import { findingCountText } from '../audit-view.js';
import type { ShownList } from '../list-rows.js';
import type { Audit } from '../use-audit.js';
import {
  CLUSTER_POLICY_COLUMNS,
  FINDING_COLUMNS,
  namespaceColumns,
  POLICY_COLUMNS,
  podColumns,
} from './columns.js';
import { ListView } from './ListView.js';

/** Props of ListScreen. */
export interface ListScreenProps {
  readonly shown: ShownList;
  /** Marks namespaces and pods the audit found something about. */
  readonly audit: Audit;
  readonly cursor: number;
  readonly height: number;
  readonly width: number;
  readonly color: boolean;
}

/** A list screen: namespaces, pods, NetworkPolicies, cluster network policies or the audit's findings. */
export function ListScreen({ shown, audit, ...view }: ListScreenProps) {
  const { ofNamespace, ofPod } = audit;
  const withUnknown = shown.list === 'namespaces' && shown.rows.some((row) => row.unknown !== '');
  const columns = useMemo(
    () => ({
      namespaces: namespaceColumns((ns) => findingCountText(ofNamespace(ns)), withUnknown),
      pods: podColumns((podId) => ofPod(podId).some((f) => f.severity !== 'info')),
    }),
    [ofNamespace, ofPod, withUnknown],
  );
  switch (shown.list) {
    case 'namespaces':
      return (
        <ListView rows={shown.rows} columns={columns.namespaces} empty="no namespaces" {...view} />
      );
    case 'pods':
      return <ListView rows={shown.rows} columns={columns.pods} empty="no pods match" {...view} />;
    case 'policies':
      return (
        <ListView
          rows={shown.rows}
          columns={POLICY_COLUMNS}
          empty="no NetworkPolicies match"
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
          columns={FINDING_COLUMNS}
          empty={audit.digest ? 'no findings' : 'auditing…'}
          {...view}
        />
      );
  }
}
