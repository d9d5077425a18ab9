/**
 * With the cluster DNS Service in the input but not its pods, an egress rule admits lookups only
 * if its peers can hold the pods the Service sends them to: pods of its namespace carrying its
 * selector's labels (maybe more), at an IP the input does not tell. A rule surely holding them
 * lets lookups through, a rule that cannot does not, and one whose match hangs on what the input
 * does not tell leaves DNS UNKNOWN, never a confident answer.
 */
import { describe, expect, it } from 'vitest';
import type { AuditFinding } from '../../src/engine/audit/types.js';
import { auditCluster } from '../../src/engine/index.js';
import { findingMessage } from '../../src/render/audit.js';
import { findingFixes } from '../../src/render/audit-fixes.js';
import { runCli } from '../helpers/cli.js';
import { analyseYaml, fixture } from '../helpers/load.js';
import { corednsService, KUBE_DNS_SERVICE as KUBE_DNS, pod, policy } from './audit/yaml.js';

/** A pod of shop. */
const WEB = pod('shop/web', { app: 'web' }, '10.0.2.7');
/** kube-system/kube-dns (selector k8s-app=kube-dns, port 53), without its pods, and shop/web. */
const KUBE_DNS_SERVICE = `${KUBE_DNS}${WEB}`;
/** kube-system's Namespace, labelled. */
const KUBE_SYSTEM = `---
apiVersion: v1
kind: Namespace
metadata: {name: kube-system, labels: {kubernetes.io/metadata.name: kube-system, tier: platform}}
`;

/** shop's egress policy `name` with `rules` (YAML). */
const egress = (rules: string, name = 'dns-out') =>
  policy(`shop/${name}`, `{podSelector: {}, policyTypes: [Egress], egress: ${rules}}`);
/** UDP and TCP 53, as policy ports. */
const ON_53 = '[{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]';
/** shop's egress to `peers` (YAML) on UDP and TCP 53. */
const egressTo = (peers: string, name?: string) =>
  egress(`[{to: ${peers}, ports: ${ON_53}}]`, name);

/** The DNS findings an audit of some manifests makes. */
function dnsFindings(...yaml: string[]): AuditFinding[] {
  return auditCluster(analyseYaml(...yaml)).findings.filter((f) => f.code.startsWith('dns-'));
}

/** The one DNS finding an audit of some manifests makes. */
function onlyDnsFinding(...yaml: string[]): AuditFinding {
  const findings = dnsFindings(...yaml);
  expect(findings).toHaveLength(1);
  return findings[0] as AuditFinding;
}

const UNKNOWN = { code: 'dns-server-unknown', severity: 'warning', protocol: 'UDP' };
const PEERS_UNDECIDED = { ...UNKNOWN, serverUnknown: 'peers-undecided', blockedBy: 'egress' };

describe('egress rules whose peers cannot hold the DNS pods do not admit lookups', () => {
  it('a podSelector alone looks in shop only: lookups are blocked at egress, an error', () => {
    const finding = onlyDnsFinding(KUBE_DNS_SERVICE, KUBE_SYSTEM, egressTo('[{podSelector: {}}]'));
    expect(finding).toMatchObject({ code: 'dns-blocked', severity: 'error', blockedBy: 'egress' });
    expect(findingMessage(finding)).toBe(
      '1 pod in shop cannot resolve names: egress to UDP 53 of the cluster DNS pods (k8s-app=kube-dns in kube-system, behind the Service kube-system/kube-dns, known by name) is not allowed: web',
    );
    expect(findingFixes(finding)[0]?.command).toContain(
      'kubectl netpol scaffold allow-dns -n shop',
    );
  });

  it("a namespaceSelector kube-system's labels do not meet, or a pod label the Service's pods cannot have", () => {
    const otherNamespaces = egressTo('[{namespaceSelector: {matchLabels: {tier: apps}}}]');
    expect(onlyDnsFinding(KUBE_DNS_SERVICE, KUBE_SYSTEM, otherNamespaces)).toMatchObject({
      code: 'dns-blocked',
      blockedBy: 'egress',
    });
    const otherPods = egressTo(
      '[{namespaceSelector: {}, podSelector: {matchExpressions: [{key: k8s-app, operator: NotIn, values: [kube-dns]}]}}]',
    );
    expect(onlyDnsFinding(KUBE_DNS_SERVICE, KUBE_SYSTEM, otherPods)).toMatchObject({
      code: 'dns-blocked',
      blockedBy: 'egress',
    });
  });

  it('a port admitted to nobody stays no-port-53, now with its protocol in the finding', () => {
    const tcpOnly = egress('[{ports: [{protocol: TCP, port: 53}]}]');
    expect(onlyDnsFinding(KUBE_DNS_SERVICE, KUBE_SYSTEM, tcpOnly)).toMatchObject({
      code: 'dns-blocked',
      blockedBy: 'no-port-53',
      protocol: 'UDP',
      ports: [53],
    });
  });
});

describe('egress rules whose peers surely hold the DNS pods admit lookups', () => {
  it("kube-system by its name and the Service's selector, or every pod of every namespace", () => {
    const exact = egressTo(
      '[{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]',
    );
    // kube-system's own Namespace need not be in the input: its name label is always set.
    expect(dnsFindings(KUBE_DNS_SERVICE, exact)).toEqual([]);
    expect(dnsFindings(KUBE_DNS_SERVICE, egressTo('[{namespaceSelector: {}}]'))).toEqual([]);
    const byLabel = egressTo('[{namespaceSelector: {matchLabels: {tier: platform}}}]');
    expect(dnsFindings(KUBE_DNS_SERVICE, KUBE_SYSTEM, byLabel)).toEqual([]);
  });

  it('one rule surely holding them is enough, whatever the others leave open', () => {
    const sure = egressTo(
      '[{namespaceSelector: {}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]',
    );
    const undecided = egressTo('[{ipBlock: {cidr: 10.0.0.0/8}}]', 'to-ten');
    expect(dnsFindings(KUBE_DNS_SERVICE, KUBE_SYSTEM, sure, undecided)).toEqual([]);
  });
});

describe('egress rules whose match hangs on what the input does not tell leave DNS UNKNOWN', () => {
  it('a podSelector needing a label beyond the Service selector: the pods may carry it or not', () => {
    const extra = egressTo(
      '[{namespaceSelector: {}, podSelector: {matchLabels: {k8s-app: kube-dns, version: v1}}}]',
    );
    const finding = onlyDnsFinding(KUBE_DNS_SERVICE, KUBE_SYSTEM, extra);
    expect(finding).toMatchObject(PEERS_UNDECIDED);
    expect(findingMessage(finding)).toBe(
      "1 pod in shop may be unable to resolve names: UNKNOWN: the input holds no cluster DNS pods, and whether the peers of the egress rules admitting their port select the cluster DNS pods (k8s-app=kube-dns in kube-system, behind the Service kube-system/kube-dns, known by name) hangs on what it does not tell: their labels beyond their Service's selector, their namespace's labels or their IPs; no egress rule whose peers surely select them admits UDP 53: web",
    );
    expect(findingFixes(finding).map((fix) => fix.text)).toContain(
      'give the cluster DNS Service and its pods in the input (-f), or read them from the cluster',
    );
  });

  it('NotIn and DoesNotExist on a label the Service selector does not set', () => {
    for (const operator of ['NotIn, values: [canary]', 'DoesNotExist']) {
      const peers = `[{namespaceSelector: {}, podSelector: {matchExpressions: [{key: track, operator: ${operator}}]}}]`;
      expect(onlyDnsFinding(KUBE_DNS_SERVICE, KUBE_SYSTEM, egressTo(peers))).toMatchObject(
        PEERS_UNDECIDED,
      );
    }
  });

  it("a namespaceSelector on labels of kube-system's Namespace when the input lacks it", () => {
    const byLabel = egressTo('[{namespaceSelector: {matchLabels: {tier: platform}}}]');
    expect(onlyDnsFinding(KUBE_DNS_SERVICE, byLabel)).toMatchObject(PEERS_UNDECIDED);
  });

  it('not where such rules admit none of the protocol: the answer stays what the sure rules give', () => {
    const byName = egress(
      '[{to: [{namespaceSelector: {}, podSelector: {matchLabels: {k8s-app: kube-dns}}}], ports: [{protocol: UDP, port: dns}, {protocol: TCP, port: dns-tcp}]}]',
    );
    const grpc = egress(
      '[{to: [{namespaceSelector: {matchLabels: {env: prod}}}], ports: [{protocol: TCP, port: grpc}]}]',
      'grpc-out',
    );
    // The UDP port the name stands for on the DNS pods is what the input does not tell.
    expect(onlyDnsFinding(KUBE_DNS_SERVICE, byName, grpc)).toMatchObject({
      ...UNKNOWN,
      serverUnknown: 'no-dns-pods',
    });
  });

  it('an ipBlock covering part of where the pod ranges may lie', () => {
    const block = egressTo('[{ipBlock: {cidr: 10.0.0.0/8}}]');
    expect(onlyDnsFinding(KUBE_DNS_SERVICE, KUBE_SYSTEM, block)).toMatchObject(PEERS_UNDECIDED);
  });
});

describe('ipBlocks of an address family the lookups cannot take', () => {
  /** kube-system/kube-dns as KUBE_DNS_SERVICE, its address families as `spec` (YAML lines) says. */
  const dnsService = (spec: string) =>
    KUBE_DNS_SERVICE.replace('  clusterIP: 10.96.0.10\n', spec).replace(WEB, '');
  const IPV6_SERVICE = dnsService('  clusterIPs: [fd00:96::a]\n  ipFamilies: [IPv6]\n');
  /** The same Service with neither ClusterIPs nor families written. */
  const UNWRITTEN = dnsService('');
  const WEB_V6 = pod('shop/web', { app: 'web' }, 'fd00:10::7');
  const toEveryV4 = egressTo('[{ipBlock: {cidr: 0.0.0.0/0}}]');
  const toEveryV6 = egressTo('[{ipBlock: {cidr: "::/0"}}]');

  it('an IPv6 Service: 0.0.0.0/0 holds none of its pods, so lookups are blocked, an error', () => {
    const finding = onlyDnsFinding(IPV6_SERVICE, KUBE_SYSTEM, WEB_V6, toEveryV4);
    expect(finding).toMatchObject({ code: 'dns-blocked', severity: 'error', blockedBy: 'egress' });
    expect(dnsFindings(IPV6_SERVICE, KUBE_SYSTEM, WEB_V6, toEveryV6)).toEqual([]);
  });

  it('a Service naming no family, in a cluster whose pods are all IPv6-only: the same', () => {
    expect(onlyDnsFinding(UNWRITTEN, KUBE_SYSTEM, WEB_V6, toEveryV4)).toMatchObject({
      code: 'dns-blocked',
      blockedBy: 'egress',
    });
    expect(dnsFindings(UNWRITTEN, KUBE_SYSTEM, WEB_V6, toEveryV6)).toEqual([]);
  });

  it('a dual-stack Service: lookups may take either family, so one family alone is UNKNOWN', () => {
    const dualStack = dnsService(
      '  clusterIPs: [10.96.0.10, fd00:96::a]\n  ipFamilies: [IPv4, IPv6]\n',
    );
    const webDual = WEB.replace(
      'status: {podIP: 10.0.2.7}',
      'status: {podIP: 10.0.2.7, podIPs: [{ip: 10.0.2.7}, {ip: "fd00:10::7"}]}',
    );
    expect(onlyDnsFinding(dualStack, KUBE_SYSTEM, webDual, toEveryV4)).toMatchObject(
      PEERS_UNDECIDED,
    );
  });

  it('where nothing tells the family, a /0 of either still holds them, as before', () => {
    const unaddressed = pod('shop/web', { app: 'web' });
    expect(dnsFindings(UNWRITTEN, KUBE_SYSTEM, unaddressed, toEveryV4)).toEqual([]);
    expect(dnsFindings(UNWRITTEN, KUBE_SYSTEM, unaddressed, toEveryV6)).toEqual([]);
    const partOfV4 = egressTo('[{ipBlock: {cidr: 10.0.0.0/8}}]');
    expect(onlyDnsFinding(UNWRITTEN, KUBE_SYSTEM, unaddressed, partOfV4)).toMatchObject(
      PEERS_UNDECIDED,
    );
  });
});

describe('several DNS Services without their pods', () => {
  it('one surely cut off and one maybe reached: UNKNOWN whichever the input lists first', () => {
    const toA = egressTo(
      '[{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: dns-a}}, podSelector: {matchLabels: {app: coredns, version: v1}}}]',
    );
    for (const services of [
      corednsService('dns-a') + corednsService('dns-b'),
      corednsService('dns-b') + corednsService('dns-a'),
    ]) {
      expect(onlyDnsFinding(WEB, services, toA)).toMatchObject(PEERS_UNDECIDED);
    }
  });
});

describe('a DNS Service port 53 mapped to a named targetPort nothing resolves', () => {
  it('a finding over UDP names the UDP targetPort only', () => {
    const udpOn53 = egress(
      '[{ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: dns-tcp}]}]',
    );
    const finding = onlyDnsFinding(fixture('dns/named-port-unresolved/cluster.yaml'), udpOn53);
    expect(finding).toMatchObject({ ...UNKNOWN, serverUnknown: 'target-port-unresolved' });
    const message = findingMessage(finding);
    expect(message).toContain('maps port 53 to the named targetPort dns for UDP, which no');
    expect(message).not.toContain('dns-tcp');
  });
});

describe('audit -o json', () => {
  it("no-port-53 findings carry the protocol of their ports, the DNS pods' port behind 53", async () => {
    const on53 = egress(`[{ports: ${ON_53}}]`);
    const input = `${fixture('dns/target-port-5353/cluster.yaml')}${on53}`;
    const run = await runCli(['audit', '-f', '-', '-o', 'json'], input);
    const findings = JSON.parse(run.stdout).findings.filter(
      (f: { code: string }) => f.code === 'dns-blocked',
    );
    expect(findings).toMatchObject([{ blockedBy: 'no-port-53', protocol: 'UDP', ports: [5353] }]);
  });
});
