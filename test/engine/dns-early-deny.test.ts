/**
 * A DNS finding's fix must work on the cluster: where a deny of a tier evaluated before
 * NetworkPolicies (an Admin ClusterNetworkPolicy, a Calico tier ordered first, a Cilium deny)
 * cuts the lookups, no allow-dns NetworkPolicy can let them through. The fix names that rule;
 * allow-dns follows only where NetworkPolicies cut the lookups too.
 */
import { describe, expect, it } from 'vitest';
import type { AuditFinding } from '../../src/engine/audit/types.js';
import { auditCluster } from '../../src/engine/index.js';
import { findingFixes } from '../../src/render/audit-fixes.js';
import { analyseYaml } from '../helpers/load.js';
import { KUBE_DNS_SERVICE, pod, policy } from './audit/yaml.js';

const WEB = pod('shop/web', { app: 'web' }, '10.0.2.7');
const COREDNS = pod('kube-system/coredns', { 'k8s-app': 'kube-dns' }, '10.0.9.1');
/** shop's NetworkPolicy isolating egress and admitting DNS to the cluster DNS pods. */
const ALLOW_DNS = policy(
  'shop/dns-out',
  '{podSelector: {}, policyTypes: [Egress], egress: [{to: [{namespaceSelector: {}, podSelector: {matchLabels: {k8s-app: kube-dns}}}], ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]}]}',
);
/** shop's NetworkPolicy isolating egress with no rule: DNS cut there too. */
const DENY_EGRESS = policy('shop/deny-out', '{podSelector: {}, policyTypes: [Egress]}');

/** A Calico tier `security` at `order`, and its GlobalNetworkPolicy denying egress to kube-system. */
const calicoDeny = (order: number) =>
  `---\napiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: security}\nspec: {order: ${order}}\n---\napiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: security.no-dns}\nspec: {tier: security, selector: all(), types: [Egress], egress: [{action: Deny, destination: {namespaceSelector: "projectcalico.org/name == 'kube-system'"}}, {action: Pass}]}\n`;
/** An Admin ClusterNetworkPolicy over every namespace denying egress to kube-system. */
const ADMIN_DENY =
  '---\napiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: {name: no-dns}\nspec: {tier: Admin, priority: 10, subject: {namespaces: {}}, egress: [{action: Deny, to: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: kube-system}}}]}]}\n';

/**
 * The DNS finding of shop's pods, with its fixes' kinds and words; the same (when it is sure)
 * without the DNS pod in the input, judged against its Service alone.
 */
function shopFinding(...yaml: string[]) {
  const seen = shopFindingOf(KUBE_DNS_SERVICE, COREDNS, WEB, ...yaml);
  const unseen = shopFindingOf(KUBE_DNS_SERVICE, WEB, ...yaml);
  expect(unseen.finding.fixes).toEqual(seen.finding.fixes);
  return seen;
}

function shopFindingOf(...yaml: string[]) {
  const findings = auditCluster(analyseYaml(...yaml)).findings;
  const shop = findings.filter(
    (f) => f.code === 'dns-blocked' && 'namespace' in f && f.namespace === 'shop',
  );
  expect(shop).toHaveLength(1);
  const finding = shop[0] as AuditFinding;
  return {
    finding,
    kinds: finding.fixes.map((fix) => (fix.kind === 'scaffold' ? fix.fix.kind : fix.kind)),
    texts: findingFixes(finding).map((fix) => fix.text),
  };
}

const DNS =
  'k8s-app=kube-dns in kube-system, behind the Service kube-system/kube-dns, on UDP and TCP 53';

describe('a Calico GlobalNetworkPolicy denying DNS in a tier before the NetworkPolicies', () => {
  it('names the Calico rule, not an allow-dns NetworkPolicy the deny would overrule', () => {
    const { finding, kinds, texts } = shopFinding(ALLOW_DNS, calicoDeny(100));
    expect(kinds).toEqual(['allow-dns-before-deny']);
    expect(finding.fixes[0]).toMatchObject({
      deny: {
        kind: 'rule',
        rule: {
          layer: 'Calico',
          policy: 'globalnetworkpolicy/security.no-dns',
          list: 'egress',
          ruleIndex: 0,
          tier: 'security',
        },
      },
    });
    expect(texts).toEqual([
      `allow DNS to ${DNS} with an Allow rule ahead of Calico (tier security) globalnetworkpolicy/security.no-dns egress rule 1 [deny] in its tier, or narrow that rule to leave DNS out: it decides before any NetworkPolicy`,
    ]);
  });

  it('where the NetworkPolicies cut DNS too, both fixes, the early one first', () => {
    const { kinds } = shopFinding(DENY_EGRESS, calicoDeny(100));
    expect(kinds).toEqual(['allow-dns-before-deny', 'allow-dns']);
  });

  it('in a tier after the default one, the NetworkPolicies decide first: allow-dns', () => {
    const { kinds } = shopFinding(DENY_EGRESS, calicoDeny(2_000_000));
    expect(kinds).toEqual(['allow-dns']);
  });
});

describe('a Calico tier before the NetworkPolicies whose policies leave DNS to its end', () => {
  it('names the tier and its policies: its default Deny cuts DNS first', () => {
    const elsewhere = `---\napiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: security}\nspec: {order: 100}\n---\napiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: security.payments-only}\nspec: {tier: security, selector: all(), types: [Egress], egress: [{action: Allow, destination: {namespaceSelector: "projectcalico.org/name == 'payments'"}}]}\n`;
    const { finding, kinds, texts } = shopFinding(ALLOW_DNS, elsewhere);
    expect(kinds).toEqual(['allow-dns-before-deny']);
    expect(finding.fixes[0]).toMatchObject({
      deny: {
        kind: 'calico-tier-end',
        tier: 'security',
        policies: ['globalnetworkpolicy/security.payments-only'],
      },
    });
    expect(texts).toEqual([
      `add an Allow rule for DNS to ${DNS} to a policy of Calico tier security (globalnetworkpolicy/security.payments-only): the tier denies what its policies leave, before any NetworkPolicy`,
    ]);
  });
});

describe('a CiliumNetworkPolicy egressDeny cutting DNS', () => {
  it('is to be narrowed: no allow overrides it', () => {
    const ciliumDeny =
      '---\napiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: no-dns, namespace: shop}\nspec: {endpointSelector: {}, egressDeny: [{toEndpoints: [{matchLabels: {k8s:io.kubernetes.pod.namespace: kube-system}}]}]}\n';
    const { finding, texts } = shopFinding(ALLOW_DNS, ciliumDeny);
    expect(finding.fixes[0]).toMatchObject({
      kind: 'allow-dns-before-deny',
      deny: { kind: 'rule', rule: { layer: 'Cilium deny', list: 'egressDeny', ruleIndex: 0 } },
    });
    expect(texts[0]).toBe(
      `narrow Cilium deny ciliumnetworkpolicy/shop/no-dns egressDeny rule 1 [deny] to leave out DNS to ${DNS}: no allow, NetworkPolicy or Cilium, overrides a Cilium deny`,
    );
  });
});

describe('an Admin ClusterNetworkPolicy denying DNS', () => {
  it('names the cluster policy rule; allow-dns only where the NetworkPolicies cut DNS too', () => {
    const allowed = shopFinding(ALLOW_DNS, ADMIN_DENY);
    expect(allowed.kinds).toEqual(['allow-dns-before-deny']);
    expect(allowed.finding.fixes[0]).toMatchObject({
      deny: { kind: 'rule', rule: { layer: 'Admin', policy: 'cnp/no-dns', ruleIndex: 0 } },
    });
    expect(allowed.texts).toEqual([
      `allow DNS to ${DNS} with an Accept rule ahead of Admin cnp/no-dns egress rule 1 [deny] in its tier, or narrow that rule to leave DNS out: it decides before any NetworkPolicy`,
    ]);
    expect(shopFinding(DENY_EGRESS, ADMIN_DENY).kinds).toEqual([
      'allow-dns-before-deny',
      'allow-dns',
    ]);
  });

  it('passing DNS on to NetworkPolicies that deny it: allow-dns, the Pass needs no change', () => {
    const pass = ADMIN_DENY.replace('action: Deny', 'action: Pass');
    expect(shopFinding(DENY_EGRESS, pass).kinds).toEqual(['allow-dns']);
  });

  it('on a pod nothing isolates: the rule named, no NetworkPolicy', () => {
    expect(shopFinding(ADMIN_DENY).kinds).toEqual(['allow-dns-before-deny']);
  });
});

describe('a Baseline ClusterNetworkPolicy denying DNS to a pod nothing isolates', () => {
  it('is after NetworkPolicies: no rule named, the advice to allow DNS ahead of it', () => {
    const baseline = ADMIN_DENY.replace('tier: Admin', 'tier: Baseline');
    const { kinds, texts } = shopFinding(baseline);
    expect(kinds).toEqual([]);
    expect(texts).toEqual([
      `in a tier before the rule that denies it (kubectl netpol check names it), allow DNS to ${DNS}`,
    ]);
  });
});

describe('NetworkPolicies alone cutting DNS', () => {
  it('keep the allow-dns fix', () => {
    const { kinds, texts } = shopFinding(DENY_EGRESS);
    expect(kinds).toEqual(['allow-dns']);
    expect(texts[0]).toBe(
      'allow DNS egress from the pods of shop (preview; add --apply to create it)',
    );
  });
});
