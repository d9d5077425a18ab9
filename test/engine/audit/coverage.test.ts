import { describe, expect, it } from 'vitest';
import { fixActionData } from '../../../src/render/scaffold-command.js';
import { audit, pod, policy } from './yaml.js';

const WEB = pod('shop/web', { app: 'web' }, '10.0.0.1');
const API = pod('shop/api', { app: 'api' }, '10.0.0.2');

describe('pods selected by no policy, and namespaces without a default deny', () => {
  it('reports open pods per direction: ingress as a warning, egress as a note', () => {
    const yaml = `${WEB}${API}${policy('shop/api', '{podSelector: {matchLabels: {app: api}}, ingress: [{from: [{podSelector: {}}]}]}')}`;
    const findings = audit(yaml, 'unisolated-pods');
    expect(findings.map((f) => [f.direction, f.severity, f.pods])).toEqual([
      ['ingress', 'warning', ['shop/web']],
      ['egress', 'info', ['shop/web', 'shop/api']],
    ]);
  });

  it('fixes with a default deny, allowing DNS along with an egress one', () => {
    const findings = audit(`${WEB}`, 'unisolated-pods');
    expect(findings.map((f) => f.fixes.map(fixActionData))).toEqual([
      [
        {
          kind: 'scaffold',
          fix: { namespace: 'shop', args: { template: 'default-deny', direction: 'ingress' } },
        },
      ],
      [
        {
          kind: 'scaffold',
          fix: {
            namespace: 'shop',
            args: { template: 'default-deny', direction: 'egress', allowDns: true },
            // The input shows no cluster DNS: the fix says what its DNS rule assumes.
            dnsAssumption: {
              assumed: 'not-found',
              servers: [
                {
                  namespace: 'kube-system',
                  podLabels: { 'k8s-app': 'kube-dns' },
                  ports: [
                    { protocol: 'UDP', port: 53 },
                    { protocol: 'TCP', port: 53 },
                  ],
                },
              ],
              policy: { namespace: 'shop', name: 'allow-dns-egress' },
            },
          },
        },
      ],
    ]);
  });

  it('notes a namespace whose pods are all isolated by narrower policies', () => {
    const yaml = `${WEB}${policy('shop/web', '{podSelector: {matchLabels: {app: web}}, policyTypes: [Ingress]}')}`;
    expect(audit(yaml, 'no-default-deny')).toMatchObject([
      { severity: 'info', namespace: 'shop', direction: 'ingress' },
    ]);
  });

  it('does not take a policy for all pods that admits everything for a default deny', () => {
    const yaml = `${WEB}${policy('shop/all', '{podSelector: {}, policyTypes: [Ingress], ingress: [{}]}')}`;
    expect(audit(yaml, 'no-default-deny').map((f) => f.direction)).toEqual(['ingress']);
  });

  describe('takes a default deny from every enforced layer', () => {
    const ciliumPolicy = (name: string, selector: string) =>
      `---\napiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: ${name}, namespace: shop}\nspec: {endpointSelector: ${selector}, ingress: [{fromEndpoints: [{matchLabels: {app: api}}]}]}\n`;
    const narrow = policy(
      'shop/web',
      '{podSelector: {matchLabels: {app: web}}, policyTypes: [Ingress]}',
    );
    const ingressNotes = (yaml: string) =>
      audit(yaml, 'no-default-deny').filter((f) => f.direction === 'ingress');

    it('a Cilium policy selecting every endpoint of the namespace', () => {
      expect(ingressNotes(`${WEB}${narrow}${ciliumPolicy('all', '{}')}`)).toEqual([]);
    });

    it('but not a Cilium policy selecting some endpoints only', () => {
      const yaml = `${WEB}${ciliumPolicy('web', '{matchLabels: {app: web}}')}`;
      expect(ingressNotes(yaml)).toMatchObject([{ namespace: 'shop' }]);
    });

    it('a Calico tier whose policy applies to every pod and ends in Deny', () => {
      const tier = `---\napiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: security}\nspec: {order: 100}\n---\napiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: security.lockdown}\nspec: {tier: security, selector: all(), types: [Ingress]}\n`;
      expect(ingressNotes(`${WEB}${narrow}${tier}`)).toEqual([]);
    });

    it('an Admin deny-all for the namespace, but not an Admin deny of one port', () => {
      const admin = (extra: string) =>
        `---\napiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: {name: lockdown}\nspec: {tier: Admin, priority: 10, subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: shop}}}, ingress: [{action: Deny, from: [{namespaces: {}}]${extra}}]}\n`;
      expect(ingressNotes(`${WEB}${narrow}${admin('')}`)).toEqual([]);
      const onePort = admin(', protocols: [{tcp: {destinationPort: {number: 22}}}]');
      expect(ingressNotes(`${WEB}${narrow}${onePort}`)).toMatchObject([{ namespace: 'shop' }]);
    });
  });

  describe('takes a pod that some layer closes to every peer for protected, not open', () => {
    const openDirections = (yaml: string) =>
      audit(yaml, 'unisolated-pods').map((f) => [f.direction, f.pods]);
    const clusterPolicy = (tier: string, extra = '') =>
      `---\napiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: {name: deny-all}\nspec: {tier: ${tier}, priority: 10, subject: {namespaces: {}}, ingress: [{action: Deny, from: [{namespaces: {}}]${extra}}]}\n`;

    it.each(['Admin', 'Baseline'])('a %s ClusterNetworkPolicy denying all ingress', (tier) => {
      // Still open for egress, which no layer closes.
      expect(openDirections(`${WEB}${clusterPolicy(tier)}`)).toEqual([['egress', ['shop/web']]]);
      expect(audit(`${WEB}${clusterPolicy(tier)}`, 'no-default-deny')).toEqual([]);
    });

    it('but not a deny of one port, which leaves the others open: the finding names what denies it', () => {
      const onePort = clusterPolicy(
        'Admin',
        ', protocols: [{tcp: {destinationPort: {number: 22}}}]',
      );
      expect(openDirections(`${WEB}${onePort}`)).toEqual([
        ['ingress', ['shop/web']],
        ['egress', ['shop/web']],
      ]);
      // Only pods the input does not list can reach the deny: web's own traffic is allowed.
      expect(audit(`${WEB}${onePort}`, 'unisolated-pods').map((f) => f.restrictedBy)).toEqual([
        [{ tier: 'admin', policies: ['cnp/deny-all'], doubts: ['pods-not-in-input'] }],
        undefined,
      ]);
      const withApi = audit(`${WEB}${API}${onePort}`, 'unisolated-pods');
      expect(withApi.map((f) => f.restrictedBy)).toEqual([
        [{ tier: 'admin', policies: ['cnp/deny-all'] }],
        undefined,
      ]);
    });

    it('a Calico tier denying one address before a final Pass restricts the egress it leaves open', () => {
      const tier = `---\napiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: security}\nspec: {order: 100}\n---\napiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: security.no-metadata}\nspec: {tier: security, selector: all(), types: [Egress], egress: [{action: Deny, destination: {nets: [169.254.169.254/32]}}, {action: Pass}]}\n`;
      expect(
        audit(`${WEB}${tier}`, 'unisolated-pods').map((f) => [f.direction, f.restrictedBy]),
      ).toEqual([
        ['ingress', undefined],
        [
          'egress',
          [{ tier: 'calico:security', policies: ['globalnetworkpolicy/security.no-metadata'] }],
        ],
      ]);
    });

    it('a Calico Deny of all ingress in a tier that passes what it leaves', () => {
      const tier = `---\napiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: security}\nspec: {order: 100, defaultAction: Pass}\n---\napiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: security.no-ingress}\nspec: {tier: security, selector: all(), types: [Ingress], ingress: [{action: Deny}]}\n`;
      expect(openDirections(`${WEB}${tier}`)).toEqual([['egress', ['shop/web']]]);
    });
  });

  it('leaves out kube-system and namespaces of host-network agents only', () => {
    const yaml = `${pod('kube-system/coredns', { 'k8s-app': 'kube-dns' }, '10.0.0.9')}${pod('kube-flannel/flannel-x', { app: 'flannel' }, '172.18.0.2', { hostNetwork: true })}`;
    expect(audit(yaml, 'unisolated-pods')).toEqual([]);
    expect(audit(yaml, 'no-default-deny')).toEqual([]);
  });
});
