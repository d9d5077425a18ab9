import { describe, expect, it } from 'vitest';
import { audit, ns, pod, policy } from './yaml.js';

/** A ClusterNetworkPolicy manifest: `cnp('name', 'Admin', 10, subject, {ingress, egress})`. */
function cnp(
  name: string,
  tier: 'Admin' | 'Baseline',
  priority: number,
  subject: string,
  rules: { ingress?: string; egress?: string },
): string {
  const ingress = rules.ingress ? `, ingress: ${rules.ingress}` : '';
  const egress = rules.egress ? `, egress: ${rules.egress}` : '';
  return `---\napiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: {name: ${name}}\nspec: {tier: ${tier}, priority: ${priority}, subject: ${subject}${ingress}${egress}}\n`;
}

const SHOP = '{namespaces: {matchLabels: {kubernetes.io/metadata.name: shop}}}';
const FROM_ALL = 'from: [{namespaces: {}}]';
const tcp = (ports: string) => `protocols: [{tcp: {destinationPort: ${ports}}}]`;
const rule = (action: string, extra = '') =>
  `{action: ${action}, ${FROM_ALL}${extra ? `, ${extra}` : ''}}`;

const PODS = `${ns('shop')}${ns('web')}${pod('shop/api', { app: 'api' }, '10.0.0.2')}${pod('web/ui', { app: 'ui' }, '10.0.1.1')}`;

describe('shadowed cluster policy rules', () => {
  it('notes a rule an earlier rule of the same action decides entirely, with a removal', () => {
    const yaml = `${PODS}${cnp('a', 'Admin', 10, SHOP, { ingress: `[${rule('Deny')}]` })}${cnp('b', 'Admin', 20, SHOP, { ingress: `[${rule('Deny', tcp('{number: 80}'))}]` })}`;
    expect(audit(yaml, 'shadowed-cluster-rule')).toMatchObject([
      {
        severity: 'info',
        rule: { policy: 'cnp/b', tier: 'Admin', priority: 20, direction: 'ingress', ruleIndex: 0 },
        by: [{ policy: 'cnp/a', priority: 10, ruleIndex: 0, action: 'Deny' }],
        objects: [
          { kind: 'ClusterNetworkPolicy', name: 'b' },
          { kind: 'ClusterNetworkPolicy', name: 'a' },
        ],
        fixes: [{ kind: 'remove-cluster-rule', rule: { policy: 'cnp/b', ruleIndex: 0 } }],
      },
    ]);
  });

  it('warns when the earlier rule acts otherwise, within one policy too', () => {
    const yaml = `${PODS}${cnp('a', 'Admin', 10, SHOP, { ingress: `[${rule('Accept', tcp('{range: {start: 80, end: 90}}'))}, ${rule('Deny', tcp('{number: 85}'))}]` })}`;
    expect(audit(yaml, 'shadowed-cluster-rule')).toMatchObject([
      {
        severity: 'warning',
        rule: { policy: 'cnp/a', ruleIndex: 1, action: 'Deny' },
        by: [{ policy: 'cnp/a', ruleIndex: 0, action: 'Accept' }],
      },
    ]);
  });

  it('is exact about ports: a rule on 80-90 is not shadowed by one on 80', () => {
    const yaml = `${PODS}${cnp('a', 'Admin', 10, SHOP, { ingress: `[${rule('Deny', tcp('{number: 80}'))}, ${rule('Deny', tcp('{range: {start: 80, end: 90}}'))}]` })}`;
    expect(audit(yaml, 'shadowed-cluster-rule')).toEqual([]);
  });

  it('is exact about peers: a rule for every namespace is not shadowed by one for one namespace', () => {
    const fromWeb = `{action: Deny, from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: web}}}]}`;
    const yaml = `${PODS}${cnp('a', 'Admin', 10, SHOP, { ingress: `[${fromWeb}, ${rule('Deny')}]` })}`;
    expect(audit(yaml, 'shadowed-cluster-rule')).toEqual([]);
  });

  it('compares networks by the addresses they hold: /8 after /0 is shadowed, /0 after /8 is not', () => {
    const to = (cidr: string) => `{action: Deny, to: [{networks: [${cidr}]}]}`;
    const narrowLast = `${PODS}${cnp('a', 'Admin', 10, SHOP, { egress: `[${to('0.0.0.0/0')}, ${to('10.0.0.0/8')}]` })}`;
    expect(audit(narrowLast, 'shadowed-cluster-rule')).toMatchObject([
      { rule: { policy: 'cnp/a', direction: 'egress', ruleIndex: 1 }, by: [{ ruleIndex: 0 }] },
    ]);
    const broadLast = `${PODS}${cnp('a', 'Admin', 10, SHOP, { egress: `[${to('10.0.0.0/8')}, ${to('0.0.0.0/0')}]` })}`;
    expect(audit(broadLast, 'shadowed-cluster-rule')).toEqual([]);
  });

  it('resolves named ports on the destination: "http" declared as 80 shadows a rule on 80', () => {
    const web = pod('shop/web', { app: 'web' }, '10.0.0.4', {
      ports: '[{name: http, containerPort: 80}]',
    });
    const named = `{action: Deny, ${FROM_ALL}, protocols: [{destinationNamedPort: http}]}`;
    const subject = '{pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: web}}}}';
    const yaml = `${PODS}${web}${cnp('a', 'Admin', 10, subject, { ingress: `[${named}, ${rule('Deny', tcp('{number: 80}'))}]` })}`;
    expect(audit(yaml, 'shadowed-cluster-rule')).toMatchObject([
      { rule: { policy: 'cnp/a', ruleIndex: 1 }, by: [{ ruleIndex: 0 }] },
    ]);
  });

  it('reports a Baseline rule that an Admin Accept or Deny decides entirely', () => {
    const yaml = `${PODS}${cnp('admin', 'Admin', 10, SHOP, { ingress: `[${rule('Accept')}]` })}${cnp('base', 'Baseline', 10, SHOP, { ingress: `[${rule('Deny')}]` })}`;
    expect(audit(yaml, 'shadowed-cluster-rule')).toMatchObject([
      {
        severity: 'warning',
        rule: { policy: 'cnp/base', tier: 'Baseline' },
        by: [{ policy: 'cnp/admin' }],
      },
    ]);
  });
});

describe('Pass rules with nothing after them', () => {
  it('warns that an Admin Pass no NetworkPolicy or Baseline rule decides is a default allow', () => {
    const yaml = `${PODS}${cnp('a', 'Admin', 10, SHOP, { ingress: `[${rule('Pass')}]` })}`;
    expect(audit(yaml, 'cluster-pass-falls-through')).toMatchObject([
      { severity: 'warning', rule: { policy: 'cnp/a', tier: 'Admin', action: 'Pass' } },
    ]);
  });

  it('says nothing when a NetworkPolicy isolates the pods, or a Baseline rule decides', () => {
    const pass = cnp('a', 'Admin', 10, SHOP, { ingress: `[${rule('Pass')}]` });
    const isolated = `${PODS}${pass}${policy('shop/deny', '{podSelector: {}, policyTypes: [Ingress]}')}`;
    expect(audit(isolated, 'cluster-pass-falls-through')).toEqual([]);
    const baseline = `${PODS}${pass}${cnp('b', 'Baseline', 10, SHOP, { ingress: `[${rule('Deny')}]` })}`;
    expect(audit(baseline, 'cluster-pass-falls-through')).toEqual([]);
  });

  it('notes a Baseline Pass that no later Baseline rule overlaps, but not one that one does', () => {
    const noOp = `${PODS}${cnp('b', 'Baseline', 10, SHOP, { ingress: `[${rule('Pass', tcp('{number: 80}'))}, ${rule('Deny', tcp('{number: 443}'))}]` })}`;
    expect(audit(noOp, 'cluster-pass-falls-through')).toMatchObject([
      { severity: 'info', rule: { policy: 'cnp/b', tier: 'Baseline', ruleIndex: 0 } },
    ]);
    const carveOut = `${PODS}${cnp('b', 'Baseline', 10, SHOP, { ingress: `[${rule('Pass', tcp('{number: 80}'))}, ${rule('Deny')}]` })}`;
    expect(audit(carveOut, 'cluster-pass-falls-through')).toEqual([]);
  });
});

describe('equal-priority conflicts', () => {
  it('is an error naming both policies, an example flow and a new priority', () => {
    const yaml = `${PODS}${cnp('a', 'Admin', 10, SHOP, { ingress: `[${rule('Deny')}]` })}${cnp('b', 'Admin', 10, SHOP, { ingress: `[${rule('Accept', tcp('{number: 80}'))}]` })}`;
    expect(audit(yaml, 'equal-priority-conflict')).toMatchObject([
      {
        severity: 'error',
        tier: 'Admin',
        priority: 10,
        policies: ['cnp/a', 'cnp/b'],
        example: { direction: 'ingress', subject: 'shop/api', protocol: 'TCP', port: 80 },
        fixes: [{ kind: 'set-priority', policy: 'cnp/b', priority: 11 }],
      },
    ]);
  });

  it('is no conflict when the actions agree, or the rules match different traffic', () => {
    const same = `${PODS}${cnp('a', 'Admin', 10, SHOP, { ingress: `[${rule('Deny')}]` })}${cnp('b', 'Admin', 10, SHOP, { ingress: `[${rule('Deny', tcp('{number: 80}'))}]` })}`;
    expect(audit(same, 'equal-priority-conflict')).toEqual([]);
    const apart = `${PODS}${cnp('a', 'Admin', 10, SHOP, { ingress: `[${rule('Deny', tcp('{number: 81}'))}]` })}${cnp('b', 'Admin', 10, SHOP, { ingress: `[${rule('Accept', tcp('{number: 80}'))}]` })}`;
    expect(audit(apart, 'equal-priority-conflict')).toEqual([]);
  });
});

describe('NetworkPolicies the Admin tier overrules', () => {
  const allowWeb =
    '{podSelector: {}, policyTypes: [Ingress], ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: web}}}], ports: [{port: 80}]}]}';

  it('warns when the Admin tier decides every connection of the pods a policy selects', () => {
    const yaml = `${PODS}${policy('shop/allow-web', allowWeb)}${cnp('lock', 'Admin', 10, SHOP, { ingress: `[${rule('Deny')}]` })}`;
    expect(audit(yaml, 'policy-overruled-by-admin')).toMatchObject([
      {
        severity: 'warning',
        namespace: 'shop',
        policy: { namespace: 'shop', name: 'allow-web' },
        direction: 'ingress',
        by: [{ policy: 'cnp/lock', action: 'Deny' }],
      },
    ]);
    expect(audit(yaml, 'rule-overruled-by-admin')).toEqual([]);
  });

  it('warns per rule when only that rule is overruled by an Admin Deny', () => {
    const fromWeb = `{action: Deny, from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: web}}}]}`;
    const yaml = `${PODS}${policy('shop/allow-web', allowWeb)}${cnp('no-web', 'Admin', 10, SHOP, { ingress: `[${fromWeb}]` })}`;
    expect(audit(yaml, 'rule-overruled-by-admin')).toMatchObject([
      {
        severity: 'warning',
        rule: {
          policy: { namespace: 'shop', name: 'allow-web' },
          direction: 'ingress',
          ruleIndex: 0,
        },
        by: [{ policy: 'cnp/no-web', priority: 10, ruleIndex: 0, action: 'Deny' }],
      },
    ]);
    expect(audit(yaml, 'policy-overruled-by-admin')).toEqual([]);
  });

  it('says nothing when the rule decides for pods the cluster policy does not govern', () => {
    const fromWeb = `{action: Deny, from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: web}}}]}`;
    const apiOnly =
      '{pods: {namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}, podSelector: {matchLabels: {app: api}}}}';
    const yaml = `${PODS}${pod('shop/db', { app: 'db' }, '10.0.0.3')}${policy('shop/allow-web', allowWeb)}${cnp('no-web', 'Admin', 10, apiOnly, { ingress: `[${fromWeb}]` })}`;
    expect(audit(yaml, 'rule-overruled-by-admin')).toEqual([]);
    expect(audit(yaml, 'policy-overruled-by-admin')).toEqual([]);
  });

  it('says nothing when the Admin tier leaves part of the rule to it', () => {
    const narrow = `{action: Deny, from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: web}}}], ${tcp('{number: 81}')}}`;
    const yaml = `${PODS}${policy('shop/allow-web', allowWeb)}${cnp('no-web', 'Admin', 10, SHOP, { ingress: `[${narrow}]` })}`;
    expect(audit(yaml, 'rule-overruled-by-admin')).toEqual([]);
    expect(audit(yaml, 'policy-overruled-by-admin')).toEqual([]);
  });
});

describe('Baseline rules NetworkPolicies keep from being consulted', () => {
  const base = cnp('base', 'Baseline', 100, SHOP, { ingress: `[${rule('Deny')}]` });

  it('notes a Baseline rule whose every subject pod NetworkPolicies isolate', () => {
    const yaml = `${PODS}${base}${policy('shop/deny', '{podSelector: {}, policyTypes: [Ingress]}')}`;
    expect(audit(yaml, 'baseline-rule-unreachable')).toMatchObject([
      {
        severity: 'info',
        rule: { policy: 'cnp/base', tier: 'Baseline', direction: 'ingress', ruleIndex: 0 },
        isolatedBy: [{ namespace: 'shop', name: 'deny' }],
      },
    ]);
  });

  it('takes isolation from every layer: a Cilium policy selecting the pod isolates it too', () => {
    const cilium = `---\napiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: api-in, namespace: shop}\nspec: {endpointSelector: {}, ingress: [{fromEndpoints: [{matchLabels: {app: api}}]}]}\n`;
    expect(audit(`${PODS}${base}${cilium}`, 'baseline-rule-unreachable')).toMatchObject([
      {
        rule: { policy: 'cnp/base', tier: 'Baseline', direction: 'ingress' },
        isolatedBy: [],
        isolatedByPlugin: ['ciliumnetworkpolicy/shop/api-in'],
        objects: [
          { kind: 'ClusterNetworkPolicy', name: 'base' },
          { kind: 'CiliumNetworkPolicy', namespace: 'shop', name: 'api-in' },
        ],
      },
    ]);
  });

  it('says nothing while some pod it governs is not isolated', () => {
    const other = pod('shop/db', { app: 'db' }, '10.0.0.3');
    const yaml = `${PODS}${other}${base}${policy('shop/api', '{podSelector: {matchLabels: {app: api}}, policyTypes: [Ingress]}')}`;
    expect(audit(yaml, 'baseline-rule-unreachable')).toEqual([]);
  });
});
