import { describe, expect, it } from 'vitest';
import { audit, pod } from './yaml.js';

const PODS = `${pod('kube-system/coredns', { 'k8s-app': 'kube-dns' }, '10.0.9.1', { ports: '[{containerPort: 53, protocol: UDP}, {containerPort: 53, protocol: TCP}]' })}${pod('shop/web', { app: 'web' }, '10.0.0.1')}`;

/** A Calico policy of shop for every pod's egress: `kind`, name, extra spec, egress rules. */
function calico(kind: string, name: string, egress: string, extra = ''): string {
  return `---\napiVersion: projectcalico.org/v3\nkind: ${kind}\nmetadata: {name: ${name}, namespace: shop}\nspec: {${extra}selector: all(), types: [Egress], egress: [${egress}]}\n`;
}

const DNS_UDP =
  "{action: Allow, protocol: UDP, destination: {namespaceSelector: kubernetes.io/metadata.name == 'kube-system', ports: [53]}}";
const DNS_TCP = DNS_UDP.replace('UDP', 'TCP');
const HTTPS = '{action: Allow, protocol: TCP, destination: {ports: [443]}}';

describe('staged Calico policies that would cut DNS', () => {
  it('warns about a staged policy keeping only UDP: TCP lookups would fail', () => {
    const yaml = `${PODS}${calico('StagedNetworkPolicy', 'default.lockdown', DNS_UDP, 'stagedAction: Set, ')}`;
    expect(audit(yaml, 'staged-policy-cuts-dns')).toMatchObject([
      {
        severity: 'warning',
        namespace: 'shop',
        policy: 'stagednetworkpolicy/shop/default.lockdown',
        protocol: 'TCP',
        pods: ['shop/web'],
        objects: [
          { kind: 'StagedNetworkPolicy', namespace: 'shop', name: 'default.lockdown' },
          { kind: 'Pod', namespace: 'shop', name: 'web' },
        ],
      },
    ]);
  });

  it('warns about a staged Delete of the policy that allows DNS beside an enforced lockdown', () => {
    const enforced = `${calico('NetworkPolicy', 'default.dns', `${DNS_UDP}, ${DNS_TCP}`, 'order: 10, ')}${calico('GlobalNetworkPolicy', 'default.https', HTTPS, 'order: 20, ').replace(', namespace: shop', '')}`;
    const deletion = `---\napiVersion: projectcalico.org/v3\nkind: StagedNetworkPolicy\nmetadata: {name: default.dns, namespace: shop}\nspec: {stagedAction: Delete}\n`;
    expect(audit(`${PODS}${enforced}${deletion}`, 'staged-policy-cuts-dns')).toMatchObject([
      { policy: 'stagednetworkpolicy/shop/default.dns', protocol: 'UDP', pods: ['shop/web'] },
    ]);
  });

  it('says nothing about pods that cannot resolve names today', () => {
    const yaml = `${PODS}${calico('NetworkPolicy', 'default.https', HTTPS)}${calico('StagedNetworkPolicy', 'default.lockdown', HTTPS, 'stagedAction: Set, ')}`;
    expect(audit(yaml, 'staged-policy-cuts-dns')).toEqual([]);
  });
});
