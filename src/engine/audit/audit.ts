import type { CniDetection } from '../cni/detect.js';
import type { Analysis } from '../compile/compile.js';
import type { Severity } from '../model/findings.js';
import { type AnalysisDns, analysisDns } from '../scaffold/analysis-dns.js';
import { allowAllFindings, ignoredRuleFindings } from './allow-all.js';
import { ambiguousPortFindings } from './ambiguous-ports.js';
import { calicoFindings } from './calico.js';
import { cidrFormFindings } from './cidr-form.js';
import { ciliumEndPortFindings, ciliumSctpFindings } from './cilium-ports.js';
import { clusterPolicyFindings } from './cluster-policies.js';
import { cniFindings } from './cni.js';
import { coverageFindings } from './coverage.js';
import { crossLayerFindings } from './cross-layer.js';
import { dnsFindings } from './dns.js';
import { ipBlockFindings, maskedClientFindings, serviceIpBlockFindings } from './ip-blocks.js';
import { namedPortFindings } from './named-ports.js';
import { namespaceNotGivenFindings } from './namespaces-not-given.js';
import { oneSidedFindings } from './one-sided.js';
import { peerFindings } from './peers.js';
import { PodLookup } from './pod-lookup.js';
import { podFindings } from './pods.js';
import { ciliumRefusedFindings, refusedPolicyFindings } from './refused.js';
import { ruleFindings } from './rules.js';
import { selectionFindings } from './selection.js';
import { stagedDnsFindings } from './staged-dns.js';
import type { AuditFinding } from './types.js';

/**
 * The audit: every check over a compiled snapshot, as structured findings with the objects
 * involved and fixes. Severities follow one rule:
 *
 * - error: the cluster will not do what its policies say, and we can tell what was meant, or
 *   the API leaves what it does undefined (cluster policies of one priority in conflict):
 *   policies ignored by the network plugin, pods that cannot resolve DNS, a selector or named
 *   port that matches nothing while a namespace, pod or port is one step off (a typo, a missing
 *   namespace label).
 * - warning: less protection, or less certainty, than the policies suggest: pods open to any
 *   ingress, rules admitting everything, selectors and named ports matching nothing in this
 *   snapshot (the workload may simply not be deployed), allows the other side denies, DNS over
 *   TCP blocked while UDP works, port names declared twice on different numbers, ipBlocks
 *   covering pod addresses or written with host bits, host-network pods that policies select,
 *   Service ClusterIPs, namespaces the input names without their labels that selectors need,
 *   rules ignored because of policyTypes, policies of removed API versions,
 *   cluster policy rules shadowed by rules of another action, Admin Pass rules that nothing
 *   after them decides (an allow in effect), NetworkPolicies or rules the Admin tier overrules,
 *   rules another layer always decides otherwise first, Cilium L7 rules that never see traffic,
 *   staged Calico policies that would cut DNS off if enforced.
 * - info: worth knowing, harmless today: pods with unrestricted egress, namespaces without a
 *   default deny although every pod is isolated, duplicate and shadowed rules, rules open to
 *   every peer on some ports, host-network pods, pods without addresses, an unknown plugin,
 *   cluster policy rules shadowed by rules of the same action, Baseline Pass rules that change
 *   nothing, Baseline rules that NetworkPolicies keep from being consulted, rules another layer
 *   always decides alike first, allows two layers repeat.
 */

/** The audit of a snapshot: the network plugin seen and the findings, most severe first. */
export interface AuditReport {
  readonly cni: CniDetection;
  readonly findings: readonly AuditFinding[];
}

/** The order findings are listed in: errors first. */
export const SEVERITY_ORDER: Readonly<Record<Severity, number>> = {
  error: 0,
  warning: 1,
  info: 2,
};

function sortKey(finding: AuditFinding): string {
  const first = finding.objects[0];
  return [finding.namespace ?? '', finding.code, first?.namespace ?? '', first?.name ?? ''].join(
    '\0',
  );
}

/**
 * Runs every audit check over a compiled snapshot; `dns` is its cluster DNS, as the snapshot's
 * other views may have worked it out already.
 */
export function auditCluster(
  analysis: Analysis,
  dns: AnalysisDns = analysisDns(analysis),
): AuditReport {
  const { cni } = analysis;
  // What several checks look up (label classes, pods of ipBlocks), found once for all of them.
  const lookup = new PodLookup(analysis);
  const findings = [
    ...cniFindings(cni),
    ...coverageFindings(analysis, dns),
    ...selectionFindings(analysis),
    ...peerFindings(analysis, lookup),
    ...namespaceNotGivenFindings(analysis),
    ...dnsFindings(analysis, dns),
    ...oneSidedFindings(analysis, lookup),
    ...namedPortFindings(analysis),
    ...ambiguousPortFindings(analysis),
    ...ipBlockFindings(analysis, lookup),
    ...serviceIpBlockFindings(analysis),
    ...maskedClientFindings(analysis),
    ...cidrFormFindings(analysis),
    ...podFindings(analysis),
    ...ruleFindings(analysis),
    ...allowAllFindings(analysis),
    ...ignoredRuleFindings(analysis),
    ...refusedPolicyFindings(analysis),
    ...ciliumRefusedFindings(analysis),
    ...clusterPolicyFindings(analysis),
    ...calicoFindings(analysis),
    ...ciliumEndPortFindings(analysis),
    ...ciliumSctpFindings(analysis),
    ...crossLayerFindings(analysis),
    ...stagedDnsFindings(analysis, dns),
  ];
  const sorted = findings
    .map((finding) => ({ finding, key: sortKey(finding) }))
    .sort(
      (a, b) =>
        SEVERITY_ORDER[a.finding.severity] - SEVERITY_ORDER[b.finding.severity] ||
        (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
    )
    .map(({ finding }) => finding);
  return { cni, findings: sorted };
}

/** The report narrowed to one namespace; cluster-wide findings (the network plugin) stay. */
export function auditScope(report: AuditReport, namespace: string | undefined): AuditReport {
  if (namespace === undefined) return report;
  return {
    ...report,
    findings: report.findings.filter((f) => f.namespace === undefined || f.namespace === namespace),
  };
}
