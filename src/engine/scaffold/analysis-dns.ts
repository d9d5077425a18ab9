import type { Analysis } from '../compile/compile.js';
import {
  type ClusterDns,
  type DnsFound,
  type DnsRuleTarget,
  dnsRuleTargetOf,
  findClusterDns,
} from './cluster-dns.js';
import { dnsFound } from './dns-ports.js';
import { type DnsServers, dnsServers } from './dns-reach.js';

/**
 * The cluster DNS of one analysis, each part worked out the first time a view asks for it and
 * then kept: working it out reads every Service and pod, and the audit's checks, each of the
 * wizard's keystrokes, and check's diagnosis and fix of each flow ask again. Whoever holds the
 * analysis owns it (auditCluster, the analyst's compiled snapshot, a check's flows, an effect
 * preview), as it owns the peer index.
 */
export interface AnalysisDns {
  /** How the input tells the cluster DNS: its candidates (findClusterDns). */
  clusterDns(): ClusterDns;
  /** How the input tells the cluster DNS, each candidate with its ports (dnsFound). */
  found(): DnsFound;
  /** What an allow-dns rule is written against (dnsRuleTargetOf). */
  target(): DnsRuleTarget;
  /** The DNS pods and NodeLocal DNSCache, as the analysis indexes pods (dnsServers). */
  servers(): DnsServers;
}

/** The cluster DNS of an analysis, nothing of it worked out yet. */
export function analysisDns(analysis: Analysis): AnalysisDns {
  let dns: ClusterDns | undefined;
  let found: DnsFound | undefined;
  let target: DnsRuleTarget | undefined;
  let servers: DnsServers | undefined;
  const clusterDns = () => {
    dns ??= findClusterDns(analysis.cluster);
    return dns;
  };
  const foundOnce = () => {
    found ??= dnsFound(clusterDns(), analysis.cluster);
    return found;
  };
  return {
    clusterDns,
    found: foundOnce,
    target: () => {
      target ??= dnsRuleTargetOf(foundOnce());
      return target;
    },
    servers: () => {
      servers ??= dnsServers(analysis, clusterDns(), foundOnce());
      return servers;
    },
  };
}
