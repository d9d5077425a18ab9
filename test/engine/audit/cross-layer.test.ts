import { describe, expect, it } from 'vitest';
import { audit, ns, pod } from './yaml.js';

const PODS = `${ns('shop')}${pod('shop/api', { app: 'api' }, '10.0.0.2', { ports: '[{containerPort: 8080}]' })}${pod('shop/web', { app: 'web' }, '10.0.0.1')}`;

/** A CiliumNetworkPolicy selecting api, with one rule of `list` from web on `port`. */
function cilium(name: string, list: 'ingress' | 'ingressDeny', port: number, l7 = false): string {
  const rules = l7 ? ', rules: {http: [{method: GET}]}' : '';
  return `---\napiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: ${name}, namespace: shop}\nspec: {endpointSelector: {matchLabels: {app: api}}, ${list}: [{fromEndpoints: [{matchLabels: {app: web}}], toPorts: [{ports: [{port: "${port}", protocol: TCP}]${rules}}]}]}\n`;
}

const calicoTier = `---\napiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: security}\nspec: {order: 100}\n`;

/** A Calico policy selecting api, with one ingress rule from web. */
function calico(kind: string, name: string, rule: string, tier = ''): string {
  const namespace = kind === 'NetworkPolicy' ? ', namespace: shop' : '';
  return `---\napiVersion: projectcalico.org/v3\nkind: ${kind}\nmetadata: {name: ${name}${namespace}}\nspec: {${tier}selector: app == 'api', types: [Ingress], ingress: [{${rule}, source: {selector: app == 'web'}}]}\n`;
}

describe('rules another layer decides first', () => {
  it('warns about a Calico allow that a higher tier denies for all it matches, naming both', () => {
    const yaml = `${PODS}${calicoTier}${calico('GlobalNetworkPolicy', 'security.no-web', 'action: Deny', 'tier: security, ')}${calico('NetworkPolicy', 'api-from-web', 'action: Allow, protocol: TCP, destination: {ports: [8080]}')}`;
    expect(audit(yaml, 'rule-shadowed-across-layers')).toMatchObject([
      {
        severity: 'warning',
        namespace: 'shop',
        rule: {
          layer: 'Calico',
          policy: 'networkpolicy.projectcalico.org/shop/api-from-web',
          tier: 'default',
          action: 'accept',
        },
        by: [
          {
            layer: 'Calico',
            policy: 'globalnetworkpolicy/security.no-web',
            tier: 'security',
            action: 'deny',
          },
        ],
        objects: [
          { kind: 'NetworkPolicy', namespace: 'shop', name: 'api-from-web' },
          { kind: 'GlobalNetworkPolicy', name: 'security.no-web' },
        ],
      },
    ]);
  });

  it('says nothing when the higher tier passes the traffic on', () => {
    const yaml = `${PODS}${calicoTier}${calico('GlobalNetworkPolicy', 'security.pass-web', 'action: Pass', 'tier: security, ')}${calico('NetworkPolicy', 'api-from-web', 'action: Allow, protocol: TCP, destination: {ports: [8080]}')}`;
    expect(audit(yaml, 'rule-shadowed-across-layers')).toEqual([]);
  });

  it('says nothing when the deny covers only some of the ports the allow admits', () => {
    const allow = cilium('web-in', 'ingress', 8080).replace(
      'port: "8080"',
      'port: "8080", endPort: 8090',
    );
    expect(
      audit(
        `${PODS}${allow}${cilium('no-web', 'ingressDeny', 8080)}`,
        'rule-shadowed-across-layers',
      ),
    ).toEqual([]);
  });

  it('notes an allow the same-action rule of a higher tier always decides', () => {
    const yaml = `${PODS}${calicoTier}${calico('GlobalNetworkPolicy', 'security.web', 'action: Allow', 'tier: security, ')}${calico('NetworkPolicy', 'api-from-web', 'action: Allow, protocol: TCP, destination: {ports: [8080]}')}`;
    expect(audit(yaml, 'rule-shadowed-across-layers').map((f) => f.severity)).toEqual(['info']);
  });
});

describe('Cilium L7 rules that never apply', () => {
  it('warns when a deny rule refuses every peer and port of the L7 rule', () => {
    const yaml = `${PODS}${cilium('api-l7', 'ingress', 8080, true)}${cilium('no-web', 'ingressDeny', 8080)}`;
    expect(audit(yaml, 'cilium-l7-never-applies')).toMatchObject([
      {
        severity: 'warning',
        reason: 'refused',
        rule: { layer: 'Cilium', policy: 'ciliumnetworkpolicy/shop/api-l7', list: 'ingress' },
        by: [{ layer: 'Cilium deny', list: 'ingressDeny' }],
      },
    ]);
    expect(audit(yaml, 'rule-shadowed-across-layers')).toEqual([]);
  });

  it('is not a duplicate of an L4 allow of the same flows: the L7 rule filters them', () => {
    const np = `---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: api, namespace: shop}\nspec: {podSelector: {matchLabels: {app: api}}, ingress: [{from: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: 8080}]}]}\n`;
    expect(
      audit(`${PODS}${np}${cilium('api-l7', 'ingress', 8080, true)}`, 'duplicate-across-layers'),
    ).toEqual([]);
    expect(
      audit(`${PODS}${np}${cilium('api-l4', 'ingress', 8080)}`, 'duplicate-across-layers'),
    ).toMatchObject([
      { rule: { layer: 'Cilium' }, same: { layer: 'NetworkPolicy', policy: 'shop/api' } },
    ]);
  });
});

describe('what stays within one layer', () => {
  it('leaves one NetworkPolicy shadowing another in Calico default tier to shadowed-rule', () => {
    const np = (name: string, port: string) =>
      `---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${name}, namespace: shop}\nspec: {podSelector: {matchLabels: {app: api}}, ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]${port}}]}\n`;
    const pass = calico('GlobalNetworkPolicy', 'security.pass', 'action: Pass', 'tier: security, ');
    const yaml = `${PODS}${calicoTier}${pass}${np('a-any-port', '')}${np('b-8080', ', ports: [{port: 8080}]')}`;
    expect(audit(yaml, 'rule-shadowed-across-layers')).toEqual([]);
    expect(audit(yaml, 'shadowed-rule')).toMatchObject([{ rule: { policy: { name: 'b-8080' } } }]);
  });
});
