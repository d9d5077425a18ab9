import { describe, expect, it } from 'vitest';
import { fixActionData } from '../../../src/render/scaffold-command.js';
import { audit, pod, policy } from './yaml.js';

const COREDNS = pod('kube-system/coredns-1', { 'k8s-app': 'kube-dns' }, '10.0.9.1', {
  ports: '[{name: dns, containerPort: 53, protocol: UDP}]',
});
const APP = pod('shop/app', { app: 'app' }, '10.0.0.1');
const DENY_EGRESS = policy('shop/deny', '{podSelector: {}, policyTypes: [Egress]}');
const ALLOW_DNS = policy(
  'shop/dns',
  '{podSelector: {}, policyTypes: [Egress], egress: [{to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}], ports: [{protocol: UDP, port: 53}]}]}',
);

describe('egress-isolated pods that cannot resolve names', () => {
  it('is an error, fixed by allow-dns for the namespace', () => {
    const findings = audit(`${COREDNS}${APP}${DENY_EGRESS}`, 'dns-blocked');
    expect(findings.map((f) => ({ ...f, fixes: f.fixes.map(fixActionData) }))).toEqual([
      expect.objectContaining({
        severity: 'error',
        namespace: 'shop',
        blockedBy: 'egress',
        pods: ['shop/app'],
        dnsPods: ['kube-system/coredns-1'],
        fixes: [{ kind: 'scaffold', fix: { namespace: 'shop', args: { template: 'allow-dns' } } }],
      }),
    ]);
  });

  it('is quiet once DNS egress is allowed, and for pods whose egress is not isolated', () => {
    expect(audit(`${COREDNS}${APP}${DENY_EGRESS}${ALLOW_DNS}`, 'dns-blocked')).toEqual([]);
    expect(audit(`${COREDNS}${APP}`, 'dns-blocked')).toEqual([]);
  });

  it("blames the DNS pods' ingress when kube-system denies it", () => {
    const deny = policy('kube-system/deny', '{podSelector: {}, policyTypes: [Ingress]}');
    const [finding] = audit(`${COREDNS}${APP}${DENY_EGRESS}${ALLOW_DNS}${deny}`, 'dns-blocked');
    expect(finding).toMatchObject({ blockedBy: 'dns-ingress' });
    expect(finding?.fixes.map(fixActionData)).toEqual([
      {
        kind: 'scaffold',
        fix: {
          namespace: 'kube-system',
          args: {
            template: 'allow',
            name: 'allow-dns-ingress',
            to: 'k8s-app=kube-dns',
            port: ['53/UDP', '53/TCP'],
          },
        },
      },
    ]);
  });

  it('without DNS pods in the input, asks that some egress rule admit UDP 53', () => {
    expect(audit(`${APP}${DENY_EGRESS}`, 'dns-blocked')).toMatchObject([
      { blockedBy: 'no-port-53' },
    ]);
    const udp53 = policy(
      'shop/any-dns',
      '{podSelector: {}, egress: [{ports: [{protocol: UDP, port: 53}]}]}',
    );
    expect(audit(`${APP}${DENY_EGRESS}${udp53}`, 'dns-blocked')).toEqual([]);
  });
});

describe('DNS of pods other layers isolate', () => {
  it('reports a pod whose Cilium egress policy leaves out DNS', () => {
    const coredns = pod('kube-system/coredns', { 'k8s-app': 'kube-dns' }, '10.0.9.1', {
      ports: '[{containerPort: 53, protocol: UDP}, {containerPort: 53, protocol: TCP}]',
    });
    const cilium = `---\napiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web-out, namespace: shop}\nspec: {endpointSelector: {}, egress: [{toPorts: [{ports: [{port: "443", protocol: TCP}]}]}]}\n`;
    const yaml = `${coredns}${pod('shop/web', { app: 'web' }, '10.0.0.1')}${cilium}`;
    expect(audit(yaml, 'dns-blocked')).toMatchObject([
      { namespace: 'shop', pods: ['shop/web'], blockedBy: 'egress' },
    ]);
  });
});
