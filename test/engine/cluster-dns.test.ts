/**
 * The cluster DNS is found as the cluster finds it: the Service pods query (by the name its
 * distribution gives it, else by DNS labels), then the pods it selects on the ports it maps 53
 * to; where the input cannot tell, DNS verdicts say UNKNOWN rather than works or blocked.
 */
import { describe, expect, it } from 'vitest';
import type { AuditFinding } from '../../src/engine/audit/types.js';
import {
  auditCluster,
  dnsAssumption,
  type NetworkPolicy,
  scaffoldTemplate,
  withClusterDns,
} from '../../src/engine/index.js';
import { findingMessage } from '../../src/render/audit.js';
import { findingFixes } from '../../src/render/audit-fixes.js';
import { dnsAssumptionText } from '../../src/render/dns.js';
import { analyseYaml, fixture } from '../helpers/load.js';
import { corednsService, pod, policy } from './audit/yaml.js';

const RKE2 = fixture('dns/rke2/cluster.yaml');
const OPENSHIFT = fixture('dns/openshift/cluster.yaml');
const TARGET_PORT_5353 = fixture('dns/target-port-5353/cluster.yaml');
const NAMED_PORT_UNRESOLVED = fixture('dns/named-port-unresolved/cluster.yaml');

/** The DNS findings an audit of some manifests makes. */
function dnsFindings(...yaml: string[]): AuditFinding[] {
  return auditCluster(analyseYaml(...yaml)).findings.filter((f) => f.code.startsWith('dns-'));
}

/** The one DNS finding an audit of some manifests makes, and its words. */
function onlyDnsFinding(...yaml: string[]): { finding: AuditFinding; message: string } {
  const findings = dnsFindings(...yaml);
  expect(findings).toHaveLength(1);
  const finding = findings[0] as AuditFinding;
  return { finding, message: findingMessage(finding) };
}

/** shop's egress to the pods `podLabels` select in `namespace`, on UDP and TCP `port`. */
const egressTo = (namespace: string, podLabels: string, port: number) =>
  policy(
    'shop/allow-dns-egress',
    `{podSelector: {}, policyTypes: [Egress], egress: [{to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ${namespace}}}, podSelector: {matchLabels: ${podLabels}}}], ports: [{protocol: UDP, port: ${port}}, {protocol: TCP, port: ${port}}]}]}`,
  );

describe('DNS verdicts on OpenShift (DNS pods on 5353 behind Service port 53)', () => {
  it('egress to the DNS pods on 5353 resolves names', () => {
    expect(dnsFindings(OPENSHIFT)).toEqual([]);
  });

  it('egress on 53 only does not: policies see the pod port, and the words name where DNS runs', () => {
    const on53 = OPENSHIFT.replace(/port: 5353\}/g, 'port: 53}');
    const [finding, ...others] = dnsFindings(on53);
    expect(others).toEqual([]);
    expect(finding).toMatchObject({ code: 'dns-blocked', blockedBy: 'egress', ports: [5353] });
    expect(findingMessage(finding as AuditFinding)).toBe(
      '1 pod in shop cannot resolve names: egress to UDP 5353 of the cluster DNS pods (dns.operator.openshift.io/daemonset-dns=default in openshift-dns, behind the Service openshift-dns/dns-default, known by name) is not allowed: web-7d4b9c8f6-k2xvp',
    );
  });

  it('allow-dns scaffolded from the snapshot selects the OpenShift DNS pods on 5353', () => {
    const { cluster } = analyseYaml(OPENSHIFT);
    const request = { kind: 'allow-dns', namespace: 'shop' } as const;
    const [written] = scaffoldTemplate(withClusterDns(request, cluster)) as NetworkPolicy[];
    expect(written?.egress).toEqual([
      {
        peers: [
          {
            namespaceSelector: {
              matchLabels: { 'kubernetes.io/metadata.name': 'openshift-dns' },
              matchExpressions: [],
            },
            podSelector: {
              matchLabels: { 'dns.operator.openshift.io/daemonset-dns': 'default' },
              matchExpressions: [],
            },
          },
        ],
        ports: [
          { protocol: 'UDP', port: 5353 },
          { protocol: 'TCP', port: 5353 },
        ],
      },
    ]);
  });
});

describe('DNS verdicts on RKE2', () => {
  it("follows the RKE2 DNS Service's internalTrafficPolicy Local: no DNS pod on the pod's node", () => {
    const local = RKE2.replace(
      '  clusterIP: 10.43.0.10\n',
      '  clusterIP: 10.43.0.10\n  internalTrafficPolicy: Local\n',
    );
    expect(dnsFindings(RKE2)).toEqual([]);
    const [finding] = dnsFindings(local);
    expect(finding).toMatchObject({ code: 'dns-blocked', blockedBy: 'no-local-dns' });
    expect(findingMessage(finding as AuditFinding)).toContain(
      'the cluster DNS Service kube-system/rke2-coredns-rke2-coredns has internalTrafficPolicy Local',
    );
    expect(findingFixes(finding as AuditFinding).map((fix) => fix.text)).toEqual([
      'run a DNS pod on every node (a DaemonSet, or NodeLocal DNSCache), or set internalTrafficPolicy: Cluster on kube-system/rke2-coredns-rke2-coredns',
    ]);
  });

  it('allow-dns scaffolded from the snapshot selects the pods the RKE2 Service selects', () => {
    const { cluster } = analyseYaml(RKE2);
    const request = { kind: 'allow-dns', namespace: 'shop' } as const;
    const [written] = scaffoldTemplate(withClusterDns(request, cluster)) as NetworkPolicy[];
    expect(written?.egress[0]?.peers[0]?.podSelector?.matchLabels).toEqual({
      'app.kubernetes.io/instance': 'rke2-coredns',
      'app.kubernetes.io/name': 'rke2-coredns',
      'k8s-app': 'kube-dns',
    });
  });
});

describe('where the input cannot tell the cluster DNS', () => {
  /** A Service labelled CoreDNS in `namespace`, and its pod. */
  const coredns = (namespace: string, ip: string) =>
    `${corednsService(namespace)}${pod(`${namespace}/coredns-1`, { app: 'coredns' }, ip)}`;
  const APP = `${pod('shop/web', { app: 'web' }, '10.0.0.1')}`;
  const TWO = `${coredns('dns-a', '10.0.9.1')}${coredns('dns-b', '10.0.9.2')}${APP}`;

  it('two DNS Services make lookups UNKNOWN when they answer differently, not blocked or fine', () => {
    const [finding, ...others] = dnsFindings(TWO, egressTo('dns-a', '{app: coredns}', 53));
    expect(others).toEqual([]);
    expect(finding).toMatchObject({
      code: 'dns-server-unknown',
      serverUnknown: 'dns-services-disagree',
      protocol: 'UDP',
      blockedBy: 'egress',
    });
    expect(findingMessage(finding as AuditFinding)).toBe(
      "1 pod in shop may be unable to resolve names: UNKNOWN: several Services look like the cluster DNS and select different pods, (app=coredns in dns-a, behind the Service dns-a/coredns, on UDP and TCP 53), (app=coredns in dns-b, behind the Service dns-b/coredns, on UDP and TCP 53); which of them the kubelet's clusterDNS address names is not in the API, and they answer differently; at some of them, egress over UDP to the cluster DNS pods is not allowed: web",
    );
    // When both answer, which one the pods query does not matter.
    const both = policy(
      'shop/allow-dns-egress',
      '{podSelector: {}, policyTypes: [Egress], egress: [{to: [{namespaceSelector: {}, podSelector: {matchLabels: {app: coredns}}}], ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]}]}',
    );
    expect(dnsFindings(TWO, both)).toEqual([]);
  });

  it('no DNS pods and egress on 5353 only: UNKNOWN, as a Service may map 53 to 5353', () => {
    const [finding] = dnsFindings(fixture('audit/dns-server-unknown/triggers.yaml'));
    expect(finding).toMatchObject({ code: 'dns-server-unknown', serverUnknown: 'no-dns-pods' });
    expect(findingMessage(finding as AuditFinding)).toBe(
      "1 pod in shop may be unable to resolve names: UNKNOWN: the input holds no cluster DNS pods, so the port they take lookups on is not known: 53, or another their Service maps 53 to (OpenShift's take 5353); no egress rule admits UDP port 53, but some admit other UDP ports: web",
    );
  });
});

describe('DNS Service in the input, its pods not: judged on the port it sends lookups to', () => {
  /** shop's egress on `ports` (policy ports, YAML) to anyone. */
  const egressOn = (ports: string) =>
    policy('shop/dns-out', `{podSelector: {}, policyTypes: [Egress], egress: [{ports: ${ports}}]}`);
  const ON_53 = egressOn('[{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]');

  it('egress on 53 does not let lookups through to a numeric targetPort 5353', () => {
    const { finding, message } = onlyDnsFinding(TARGET_PORT_5353, ON_53);
    expect(finding).toMatchObject({ code: 'dns-blocked', blockedBy: 'no-port-53', ports: [5353] });
    expect(message).toBe(
      "1 pod in shop cannot resolve names: no egress rule admits UDP 5353, the DNS pods' port behind port 53 of the cluster DNS Service kube-system/kube-dns (the input holds no cluster DNS pods to check against): web-7d4b9c8f6-k2xvp",
    );
    const on5353 = egressOn('[{protocol: UDP, port: 5353}, {protocol: TCP, port: 5353}]');
    expect(dnsFindings(TARGET_PORT_5353, on5353)).toEqual([]);
  });

  it('takes the port from its EndpointSlices when the targetPort is a name', () => {
    const slice = `---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: dns-default-x8k2p, namespace: openshift-dns, labels: {kubernetes.io/service-name: dns-default}}
addressType: IPv4
endpoints: [{addresses: [10.128.0.12]}]
ports: [{name: dns, port: 5353, protocol: UDP}, {name: dns-tcp, port: 5353, protocol: TCP}]
`;
    expect(dnsFindings(NAMED_PORT_UNRESOLVED, slice, ON_53)).toMatchObject([
      { code: 'dns-blocked', blockedBy: 'no-port-53', ports: [5353] },
    ]);
  });

  it('a named targetPort nothing resolves makes egress on 53 UNKNOWN, not fine', () => {
    const { finding, message } = onlyDnsFinding(NAMED_PORT_UNRESOLVED, ON_53);
    const unknown = { code: 'dns-server-unknown', serverUnknown: 'target-port-unresolved' };
    expect(finding).toMatchObject({ ...unknown, severity: 'warning', protocol: 'UDP' });
    expect(message).toBe(
      '1 pod in shop may be unable to resolve names: UNKNOWN: the input holds no cluster DNS pods, and the cluster DNS Service openshift-dns/dns-default maps port 53 to the named targetPort dns for UDP, which no EndpointSlice in the input resolves to a number, so the port they take lookups on is not known; egress admits some UDP ports, but neither every one nor the named port: web-7d4b9c8f6-k2xvp',
    );
    // Egress admitting no UDP port at all surely blocks lookups, whatever the name stands for.
    const tcpOnly = egressOn('[{protocol: TCP, port: 443}]');
    expect(dnsFindings(NAMED_PORT_UNRESOLVED, tcpOnly)).toMatchObject([
      { code: 'dns-blocked', severity: 'error', blockedBy: 'no-port-53' },
    ]);
  });

  it('egress naming the targetPort, or admitting every port, resolves names whatever its number', () => {
    const byName = egressOn('[{protocol: UDP, port: dns}, {protocol: TCP, port: dns-tcp}]');
    expect(dnsFindings(NAMED_PORT_UNRESOLVED, byName)).toEqual([]);
    const anyPort = egressOn('[{protocol: UDP}, {protocol: TCP}]');
    expect(dnsFindings(NAMED_PORT_UNRESOLVED, anyPort)).toEqual([]);
  });
});

describe('DNS pods lacking the named targetPort get no lookups (kube-proxy lists no port for them)', () => {
  /** A second OpenShift DNS pod whose containers declare no ports at all. */
  const PORTLESS = `---
apiVersion: v1
kind: Pod
metadata:
  name: dns-default-portless
  namespace: openshift-dns
  labels: {dns.operator.openshift.io/daemonset-dns: default}
spec:
  nodeName: node-a
  containers: [{name: dns, image: quay.io/openshift-release-dev/ocp-v4.0-art-dev:coredns}]
status:
  podIP: 10.128.0.13
`;

  it('egress on 53 reaches no DNS pod: the portless one is no backend, not one on 53', () => {
    const on53 = OPENSHIFT.replace(/port: 5353\}/g, 'port: 53}');
    expect(dnsFindings(on53, PORTLESS)).toMatchObject([
      { code: 'dns-blocked', blockedBy: 'egress', ports: [5353] },
    ]);
  });

  it('allow-dns admits only the ports lookups reach, and says which pods take none', () => {
    const { cluster } = analyseYaml(OPENSHIFT, PORTLESS);
    const request = { kind: 'allow-dns', namespace: 'shop' } as const;
    const asked = withClusterDns(request, cluster);
    const [written] = scaffoldTemplate(asked) as NetworkPolicy[];
    expect(written?.egress[0]?.ports).toEqual([
      { protocol: 'UDP', port: 5353 },
      { protocol: 'TCP', port: 5353 },
    ]);
    const assumption = dnsAssumption(asked);
    expect(assumption && dnsAssumptionText(assumption)).toBe(
      "cluster DNS pods without its port (kube-proxy sends no lookups to pods that lack the named port dns for UDP, dns-tcp for TCP: openshift-dns/dns-default-portless): assumed the pods dns.operator.openshift.io/daemonset-dns=default in openshift-dns, behind the Service openshift-dns/dns-default, on UDP and TCP 5353 (the DNS pods' port behind Service port 53); check it",
    );
  });
});
