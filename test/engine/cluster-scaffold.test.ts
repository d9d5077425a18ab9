/**
 * The cluster policies `scaffold baseline-deny` and `scaffold admin-deny` write: valid as the
 * reader (and the API server's schema) judge them, and with the effect the API defines once
 * added to a snapshot: Baseline below NetworkPolicies, Admin above them.
 */
import { describe, expect, it } from 'vitest';
import {
  type Analysis,
  type ClusterScaffoldRequest,
  clusterPolicyManifest,
  compileCluster,
  type Protocol,
  policyEffect,
  scaffoldClusterPolicy,
  withPolicies,
} from '../../src/engine/index.js';
import { readClusterPolicy } from '../../src/io/normalize/normalize-cluster-policy.js';
import { validateScaffolded } from '../../src/io/normalize/validate-scaffolded.js';
import { analyseYaml } from '../helpers/load.js';
import { flow, namespaceYaml, podYaml, policyYaml, stream } from '../helpers/scenario.js';

/** shop/lone (no NetworkPolicy), shop/api (admits every namespace on 80), two other namespaces, DNS. */
const SNAPSHOT = stream(
  namespaceYaml('shop'),
  namespaceYaml('other'),
  namespaceYaml('third'),
  namespaceYaml('kube-system'),
  podYaml('shop/lone', { labels: { app: 'lone' }, ips: ['10.0.0.1'] }),
  podYaml('shop/api', { labels: { app: 'api' }, ips: ['10.0.0.2'] }),
  podYaml('other/client', { labels: { app: 'client' }, ips: ['10.0.1.1'] }),
  podYaml('third/client', { labels: { app: 'client' }, ips: ['10.0.2.1'] }),
  podYaml('kube-system/coredns', { labels: { 'k8s-app': 'kube-dns' }, ips: ['10.0.9.1'] }),
  policyYaml(
    'shop/api-from-anywhere',
    `
    podSelector: {matchLabels: {app: api}}
    policyTypes: [Ingress]
    ingress:
    - from: [{namespaceSelector: {}}]
      ports: [{port: 80}]
    `,
  ),
);

const REQUESTS: readonly ClusterScaffoldRequest[] = [
  { kind: 'baseline-deny', namespace: 'shop', direction: 'both' },
  { kind: 'baseline-deny', namespace: 'shop', direction: 'egress', allowDns: true, priority: 7 },
  { kind: 'admin-deny', namespace: 'shop', direction: 'ingress' },
  {
    kind: 'admin-deny',
    namespace: 'shop',
    direction: 'both',
    allowDns: true,
    from: { matchLabels: { 'kubernetes.io/metadata.name': 'third' }, matchExpressions: [] },
    name: 'no-third',
  },
];

/** The snapshot with the request's policy added, compiled. */
function withRequest(request: ClusterScaffoldRequest): Analysis {
  const base = analyseYaml(SNAPSHOT);
  return compileCluster(withPolicies(base.cluster, [scaffoldClusterPolicy(request)]));
}

const verdict = (
  analysis: Analysis,
  from: string,
  to: string,
  port: number,
  protocol: Protocol = 'TCP',
) => flow(analysis, from, to, protocol, port).verdict;

describe('a scaffolded cluster policy', () => {
  it.each(REQUESTS.map((r) => [`${r.kind} ${r.direction}`, r] as const))(
    '%s: is valid and its manifest reads back as the same policy',
    (_, request) => {
      const policy = scaffoldClusterPolicy(request);
      expect(validateScaffolded(policy)).toEqual([]);
      const read = readClusterPolicy(clusterPolicyManifest(policy), policy.name, policy.kind);
      expect(read).toEqual({ policy, errors: [] });
    },
  );

  it('is named after the template, the namespace and a single direction', () => {
    expect(REQUESTS.map((r) => scaffoldClusterPolicy(r).name)).toEqual([
      'baseline-deny-shop',
      'baseline-deny-shop-egress',
      'admin-deny-shop-ingress',
      'no-third',
    ]);
  });

  it('is rejected by the validator with a priority out of 0-1000 or a bad name', () => {
    const policy = scaffoldClusterPolicy({
      kind: 'baseline-deny',
      namespace: 'shop',
      direction: 'both',
      priority: 1001,
      name: 'Not_A_Name',
    });
    expect(validateScaffolded(policy).map((e) => e.field)).toEqual([
      'metadata.name',
      'spec.priority',
    ]);
  });
});

describe('baseline-deny', () => {
  const after = withRequest(REQUESTS[0] as ClusterScaffoldRequest);

  it('denies a pod no NetworkPolicy selects, from another namespace and to anywhere', () => {
    expect(verdict(analyseYaml(SNAPSHOT), 'other/client', 'shop/lone', 80)).toBe('ALLOWED');
    expect(verdict(after, 'other/client', 'shop/lone', 80)).toBe('DENIED');
    expect(verdict(after, 'shop/lone', 'other/client', 443)).toBe('DENIED');
    expect(verdict(after, 'shop/lone', '203.0.113.9', 443)).toBe('DENIED');
    expect(verdict(after, 'shop/lone', '2001:db8::1', 443)).toBe('DENIED');
  });

  it('leaves what a NetworkPolicy allows allowed: the Baseline tier is below it', () => {
    expect(verdict(after, 'other/client', 'shop/api', 80)).toBe('ALLOWED');
    expect(verdict(after, 'other/client', 'shop/api', 81)).toBe('DENIED');
  });

  it('keeps DNS with --allow-dns: the Accept comes before the Deny', () => {
    const dns = withRequest(REQUESTS[1] as ClusterScaffoldRequest);
    expect(verdict(dns, 'shop/lone', 'kube-system/coredns', 53, 'UDP')).toBe('ALLOWED');
    expect(verdict(dns, 'shop/lone', 'kube-system/coredns', 80)).toBe('DENIED');
    expect(verdict(after, 'shop/lone', 'kube-system/coredns', 53, 'UDP')).toBe('DENIED');
  });

  it('says in its effect which pods lose DNS without --allow-dns, and none with it', () => {
    const cluster = analyseYaml(SNAPSHOT).cluster;
    const lost = (request: ClusterScaffoldRequest) =>
      policyEffect(cluster, [scaffoldClusterPolicy(request)]).dnsBlocked.flatMap((l) => l.pods);
    expect(lost(REQUESTS[0] as ClusterScaffoldRequest).sort()).toEqual(['shop/api', 'shop/lone']);
    expect(lost(REQUESTS[1] as ClusterScaffoldRequest)).toEqual([]);
  });
});

describe('admin-deny', () => {
  it('denies other namespaces what a NetworkPolicy allows: the Admin tier is above it', () => {
    const after = withRequest(REQUESTS[2] as ClusterScaffoldRequest);
    expect(verdict(after, 'other/client', 'shop/api', 80)).toBe('DENIED');
    expect(verdict(after, 'shop/lone', 'shop/api', 80)).toBe('ALLOWED');
    expect(verdict(after, 'shop/lone', 'other/client', 80)).toBe('ALLOWED');
  });

  it('denies only the namespaces given, and egress to every other namespace but DNS', () => {
    const after = withRequest(REQUESTS[3] as ClusterScaffoldRequest);
    expect(verdict(after, 'third/client', 'shop/api', 80)).toBe('DENIED');
    expect(verdict(after, 'other/client', 'shop/api', 80)).toBe('ALLOWED');
    expect(verdict(after, 'shop/lone', 'other/client', 80)).toBe('DENIED');
    expect(verdict(after, 'shop/lone', 'kube-system/coredns', 53, 'UDP')).toBe('ALLOWED');
    expect(verdict(after, 'shop/lone', '203.0.113.9', 443)).toBe('ALLOWED');
  });
});
