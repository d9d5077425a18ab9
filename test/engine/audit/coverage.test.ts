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

  it('leaves out kube-system and namespaces of host-network agents only', () => {
    const yaml = `${pod('kube-system/coredns', { 'k8s-app': 'kube-dns' }, '10.0.0.9')}${pod('kube-flannel/flannel-x', { app: 'flannel' }, '172.18.0.2', { hostNetwork: true })}`;
    expect(audit(yaml, 'unisolated-pods')).toEqual([]);
    expect(audit(yaml, 'no-default-deny')).toEqual([]);
  });
});
