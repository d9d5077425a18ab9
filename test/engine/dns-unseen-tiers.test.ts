/**
 * With the cluster DNS Service in the input but not its pods, every policy tier governing a
 * pod's egress is judged as with the pods there: a Calico, Cilium or cluster policy rule that
 * surely meets the Service's pods decides, and one whose match hangs on what the input does not
 * tell leaves DNS UNKNOWN, never a confident answer.
 */
import { describe, expect, it } from 'vitest';
import type { AuditFinding } from '../../src/engine/audit/types.js';
import { auditCluster } from '../../src/engine/index.js';
import { findingMessage } from '../../src/render/audit.js';
import { findingFixes } from '../../src/render/audit-fixes.js';
import { analyseYaml } from '../helpers/load.js';
import { KUBE_DNS_SERVICE, ns, pod, policy } from './audit/yaml.js';

const WEB = pod('shop/web', { app: 'web' }, '10.0.2.7');
/** A pod of the Service. */
const COREDNS = pod('kube-system/coredns', { 'k8s-app': 'kube-dns' }, '10.0.9.1');
/** UDP and TCP 53, as NetworkPolicy ports. */
const ON_53 = '[{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]';
/** shop's NetworkPolicy admitting DNS to the Service's pods, in any namespace. */
const ALLOW_DNS = policy(
  'shop/dns-out',
  `{podSelector: {}, policyTypes: [Egress], egress: [{to: [{namespaceSelector: {}, podSelector: {matchLabels: {k8s-app: kube-dns}}}], ports: ${ON_53}}]}`,
);

/** The DNS findings an audit of some manifests makes. */
function findingsOf(...yaml: string[]): AuditFinding[] {
  const analysis = analyseYaml(...yaml);
  return auditCluster(analysis).findings.filter((f) => f.code.startsWith('dns-'));
}

/**
 * The DNS findings an audit makes of some manifests with the Service and shop/web; where they
 * are sure (none, or a block), the same as with a pod of the Service in the input.
 */
function dnsFindings(...yaml: string[]): AuditFinding[] {
  const unseen = findingsOf(KUBE_DNS_SERVICE, WEB, ...yaml);
  if (unseen.every((finding) => finding.code !== 'dns-server-unknown')) {
    // The DNS pod's own lookups aside: only shop's pods are asked about.
    const seen = findingsOf(KUBE_DNS_SERVICE, COREDNS, WEB, ...yaml).filter(
      (f) => 'namespace' in f && f.namespace === 'shop',
    );
    const shape = (f: AuditFinding) => [f.code, 'blockedBy' in f ? f.blockedBy : undefined];
    expect(seen.map(shape)).toEqual(unseen.map(shape));
  }
  return unseen;
}

const BLOCKED = { code: 'dns-blocked', severity: 'error', blockedBy: 'egress' };
/** UNKNOWN, as an egress rule admitting the lookups may or may not meet the DNS pods. */
const UNDECIDED = {
  code: 'dns-server-unknown',
  severity: 'warning',
  blockedBy: 'egress',
  serverUnknown: 'peers-undecided',
};
/** UNKNOWN, as an egress rule denying or passing traffic may or may not meet them. */
const DENY_UNDECIDED = { ...UNDECIDED, serverUnknown: 'deny-undecided' };

describe('a Calico policy in a tier before the NetworkPolicies', () => {
  /** A GlobalNetworkPolicy of tier security denying egress to `destination`, passing the rest. */
  const calicoDeny = (destination: string) =>
    `---\napiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: security}\nspec: {order: 100}\n---\napiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: security.no-dns}\nspec: {tier: security, selector: all(), types: [Egress], egress: [{action: Deny, destination: ${destination}}, {action: Pass}]}\n`;

  it("denying kube-system or the Service's pod labels: lookups are blocked", () => {
    const byNamespace = calicoDeny(
      `{namespaceSelector: "projectcalico.org/name == 'kube-system'"}`,
    );
    expect(dnsFindings(ALLOW_DNS, byNamespace)).toMatchObject([BLOCKED]);
    const byLabel = calicoDeny(`{selector: "k8s-app == 'kube-dns'"}`);
    expect(dnsFindings(ALLOW_DNS, byLabel)).toMatchObject([BLOCKED]);
  });

  it('denying another namespace: the NetworkPolicy decides, and admits them', () => {
    const elsewhere = calicoDeny(`{namespaceSelector: "projectcalico.org/name == 'payments'"}`);
    expect(dnsFindings(ALLOW_DNS, elsewhere)).toEqual([]);
  });

  it('denying nets that hold every pod address, or service accounts the input does not tell', () => {
    expect(dnsFindings(ALLOW_DNS, calicoDeny('{nets: [0.0.0.0/0]}'))).toMatchObject([BLOCKED]);
    // The pod ranges are not known: a narrower net may or may not hold the DNS pods.
    expect(dnsFindings(ALLOW_DNS, calicoDeny('{nets: [10.0.0.0/8]}'))).toMatchObject([
      DENY_UNDECIDED,
    ]);
    const accounts = calicoDeny('{serviceAccounts: {names: [coredns]}}');
    expect(dnsFindings(ALLOW_DNS, accounts)).toMatchObject([DENY_UNDECIDED]);
    // Not where another condition of the side surely misses them.
    const elsewhere = calicoDeny(
      `{serviceAccounts: {names: [coredns]}, namespaceSelector: "projectcalico.org/name == 'payments'"}`,
    );
    expect(dnsFindings(ALLOW_DNS, elsewhere)).toEqual([]);
  });

  it('denying a label beyond the Service selector: UNKNOWN', () => {
    const version = calicoDeny(`{selector: "version == 'v1'"}`);
    const [finding] = dnsFindings(ALLOW_DNS, version);
    expect(finding).toMatchObject(DENY_UNDECIDED);
    expect(findingMessage(finding as AuditFinding)).toBe(
      "1 pod in shop may be unable to resolve names: UNKNOWN: the input holds no cluster DNS pods, and whether egress rules that deny or pass traffic before those admitting their port select the cluster DNS pods (k8s-app=kube-dns in kube-system, behind the Service kube-system/kube-dns, known by name) hangs on what it does not tell: their labels beyond their Service's selector, their service account, their namespace's labels or their IPs; where they do, egress to UDP 53 of them may be cut off: web",
    );
  });

  it('with no DNS Service in the input either, a deny to kube-system: UNKNOWN, no longer passing', () => {
    const kubeSystem = calicoDeny(`{namespaceSelector: "projectcalico.org/name == 'kube-system'"}`);
    const anyPeer = policy(
      'shop/dns-out',
      `{podSelector: {}, policyTypes: [Egress], egress: [{ports: ${ON_53}}]}`,
    );
    const [finding, ...others] = findingsOf(WEB, anyPeer, kubeSystem);
    expect(others).toEqual([]);
    expect(finding).toMatchObject(DENY_UNDECIDED);
    expect(findingMessage(finding as AuditFinding)).toContain(
      'whether egress rules that deny or pass traffic before those admitting their port select them is not known: nothing in it tells where they run or their labels',
    );
    // Without the deny, a rule admitting 53 to anyone passes, as before.
    expect(findingsOf(WEB, anyPeer)).toEqual([]);
  });
});

describe('an Admin ClusterNetworkPolicy', () => {
  /** An Admin cluster policy over every namespace denying egress to namespaces `namespaces`. */
  const adminDeny = (namespaces: string) =>
    `---\napiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: {name: no-dns}\nspec: {tier: Admin, priority: 10, subject: {namespaces: {}}, egress: [{action: Deny, to: [{namespaces: ${namespaces}}]}]}\n`;

  it('denying kube-system by its name: lookups are blocked', () => {
    const kubeSystem = adminDeny('{matchLabels: {kubernetes.io/metadata.name: kube-system}}');
    expect(dnsFindings(ALLOW_DNS, kubeSystem)).toMatchObject([BLOCKED]);
  });

  it('on a pod nothing isolates: blocked, fixed at the deny it names, not by a NetworkPolicy', () => {
    const kubeSystem = adminDeny('{matchLabels: {kubernetes.io/metadata.name: kube-system}}');
    const [finding, ...others] = dnsFindings(kubeSystem);
    expect(others).toEqual([]);
    expect(finding).toMatchObject({
      ...BLOCKED,
      fixes: [{ kind: 'allow-dns-before-deny', deny: { rule: { policy: 'cnp/no-dns' } } }],
    });
    expect(findingFixes(finding as AuditFinding).map((fix) => fix.text)).toEqual([
      'allow DNS to k8s-app=kube-dns in kube-system, behind the Service kube-system/kube-dns, on UDP and TCP 53 with an Accept rule ahead of Admin cnp/no-dns egress rule 1 [deny] in its tier, or narrow that rule to leave DNS out: it decides before any NetworkPolicy',
    ]);
  });

  it("denying namespaces by a label of kube-system's Namespace, not given: UNKNOWN", () => {
    const platform = adminDeny('{matchLabels: {tier: platform}}');
    expect(dnsFindings(ALLOW_DNS, platform)).toMatchObject([DENY_UNDECIDED]);
    // Given, kube-system's labels decide.
    const given = ns('kube-system', { tier: 'platform' });
    expect(dnsFindings(ALLOW_DNS, platform, given)).toMatchObject([BLOCKED]);
    expect(dnsFindings(ALLOW_DNS, platform, ns('kube-system'))).toEqual([]);
  });
});

describe('a CiliumNetworkPolicy isolating the pod without any NetworkPolicy', () => {
  /** shop's Cilium policy over every endpoint allowing egress to `peer` on UDP and TCP 53. */
  const ciliumTo = (peer: string) =>
    `---\napiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: out, namespace: shop}\nspec: {endpointSelector: {}, egress: [{toEndpoints: [${peer}], toPorts: [{ports: [{port: "53", protocol: UDP}, {port: "53", protocol: TCP}]}]}]}\n`;

  it('allowing endpoints of its own namespace only: lookups are blocked', () => {
    expect(dnsFindings(ciliumTo('{matchLabels: {k8s-app: kube-dns}}'))).toMatchObject([BLOCKED]);
  });

  it("allowing kube-system's endpoints with the Service's labels: lookups pass", () => {
    const kubeDns =
      '{matchLabels: {k8s:io.kubernetes.pod.namespace: kube-system, k8s-app: kube-dns}}';
    expect(dnsFindings(ciliumTo(kubeDns))).toEqual([]);
  });

  it('allowing the cluster entity, but not the world', () => {
    /** shop's Cilium policy allowing egress to entities `entities` on any port. */
    const toEntities = (entities: string) =>
      `---\napiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: out, namespace: shop}\nspec: {endpointSelector: {}, egress: [{toEntities: [${entities}]}]}\n`;
    expect(dnsFindings(toEntities('cluster'))).toEqual([]);
    expect(dnsFindings(toEntities('world'))).toMatchObject([BLOCKED]);
  });

  it('allowing them only with a label beyond the Service selector: UNKNOWN', () => {
    const version =
      '{matchLabels: {k8s:io.kubernetes.pod.namespace: kube-system, k8s-app: kube-dns, version: v1}}';
    expect(dnsFindings(ciliumTo(version))).toMatchObject([UNDECIDED]);
  });
});
