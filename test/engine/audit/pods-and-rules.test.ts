import { describe, expect, it } from 'vitest';
import { findingMessage } from '../../../src/render/audit.js';
import { agentDaemonSetYaml } from '../../helpers/cilium-agent.js';
import { audit, pod, policy } from './yaml.js';

const WEB = pod('shop/web', { app: 'web' }, '10.0.0.1');
const API = pod('shop/api', { app: 'api', tier: 'backend' }, '10.0.0.2');
const AGENT = pod('shop/agent', { app: 'agent' }, '172.18.0.2', { hostNetwork: true });
const CALICO = agentDaemonSetYaml('calico-node', 'calico-node', 'docker.io/calico/node:v3.28.0');

describe('pods policies cannot govern', () => {
  it('warns when a policy selects host-network pods, naming pods and policies', () => {
    const yaml = `${WEB}${AGENT}${policy('shop/all', '{podSelector: {}}')}`;
    expect(audit(yaml, 'host-network-pod-selected')).toMatchObject([
      {
        severity: 'warning',
        pods: ['shop/agent'],
        policies: [{ namespace: 'shop', name: 'all' }],
        objects: [
          { kind: 'Pod', name: 'agent' },
          { kind: 'NetworkPolicy', name: 'all' },
        ],
      },
    ]);
    expect(audit(yaml, 'host-network-pods')).toEqual([]);
  });

  it('says the policy isolates host-network pods only if the plugin applies selectors to them', () => {
    const yaml = `${WEB}${AGENT}${policy('shop/all', '{podSelector: {}}')}`;
    const [unknown] = audit(yaml, 'host-network-pod-selected');
    expect(unknown).toMatchObject({ plugin: 'unknown' });
    const words = findingMessage(unknown as NonNullable<typeof unknown>);
    expect(words).toContain('only if the plugin applies selectors to them');
    expect(words).toContain('the network plugin is not known');
    const [calico] = audit(`${yaml}---\n${CALICO}`, 'host-network-pod-selected');
    expect(calico?.plugin).toBeUndefined();
    expect(findingMessage(calico as NonNullable<typeof calico>)).toContain(
      'policies do not apply to pods on the host network',
    );
  });

  it('notes host-network pods beside ordinary ones that no policy selects', () => {
    expect(audit(`${WEB}${AGENT}`, 'host-network-pods')).toMatchObject([
      { severity: 'info', pods: ['shop/agent'] },
    ]);
  });

  it('notes pods without an address, but not workload templates (they never have one)', () => {
    const deployment =
      '---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: shop}\nspec: {template: {metadata: {labels: {app: api}}, spec: {containers: [{name: api, image: api}]}}}\n';
    const yaml = `${pod('shop/pending', { app: 'p' })}${deployment}`;
    expect(audit(yaml, 'pods-without-ip')).toMatchObject([
      { severity: 'info', pods: ['shop/pending'] },
    ]);
  });
});

describe('duplicate and shadowed rules', () => {
  const fromWeb = (port: string) =>
    `{from: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: ${port}}]}`;

  it('reports the later of two identical rules as a duplicate, with a removal', () => {
    const yaml = `${WEB}${API}${policy('shop/a', `{podSelector: {matchLabels: {app: api}}, ingress: [${fromWeb('8080')}]}`)}${policy('shop/b', `{podSelector: {matchLabels: {app: api}}, ingress: [${fromWeb('8080')}]}`)}`;
    expect(audit(yaml, 'duplicate-rule')).toEqual([
      expect.objectContaining({
        severity: 'info',
        rule: { policy: { namespace: 'shop', name: 'b' }, direction: 'ingress', ruleIndex: 0 },
        same: { policy: { namespace: 'shop', name: 'a' }, direction: 'ingress', ruleIndex: 0 },
        fixes: [
          {
            kind: 'remove-rule',
            rule: { policy: { namespace: 'shop', name: 'b' }, direction: 'ingress', ruleIndex: 0 },
          },
        ],
      }),
    ]);
  });

  it('finds a rule shadowed by a broader one of a policy selecting more pods', () => {
    const broad = policy(
      'shop/same-ns',
      '{podSelector: {}, ingress: [{from: [{podSelector: {}}]}]}',
    );
    const narrow = policy(
      'shop/api',
      `{podSelector: {matchLabels: {app: api, tier: backend}}, ingress: [${fromWeb('8000, endPort: 8100')}]}`,
    );
    expect(audit(`${WEB}${API}${broad}${narrow}`, 'shadowed-rule')).toMatchObject([
      { rule: { policy: { name: 'api' } }, by: { policy: { name: 'same-ns' } } },
    ]);
  });

  it('does not call a rule shadowed by one whose policy selects fewer pods', () => {
    const broad = policy(
      'shop/api-only',
      '{podSelector: {matchLabels: {app: api}}, ingress: [{}]}',
    );
    const wide = policy('shop/all', `{podSelector: {}, ingress: [${fromWeb('8080')}]}`);
    expect(audit(`${WEB}${API}${broad}${wide}`, 'shadowed-rule')).toEqual([]);
  });

  it('compares ports, ranges and address blocks', () => {
    // The rules (by index) that add nothing, whether shadowed or duplicates.
    const rules = (a: string, b: string) =>
      audit(`${WEB}${API}${policy('shop/p', `{podSelector: {}, egress: [${a}, ${b}]}`)}`)
        .flatMap((f) => (f.code === 'shadowed-rule' || f.code === 'duplicate-rule' ? [f] : []))
        .map((f) => f.rule.ruleIndex);
    expect(rules('{ports: [{port: 8080}]}', '{ports: [{port: 8000, endPort: 9000}]}')).toEqual([0]);
    expect(rules('{ports: [{port: 8080}]}', '{ports: [{protocol: UDP}]}')).toEqual([]);
    expect(
      rules(
        '{to: [{ipBlock: {cidr: 10.1.0.0/16}}]}',
        '{to: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.2.0.0/16]}}]}',
      ),
    ).toEqual([0]);
    expect(
      rules(
        '{to: [{ipBlock: {cidr: 10.2.0.0/16}}]}',
        '{to: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.2.0.0/24]}}]}',
      ),
    ).toEqual([]);
  });
});

describe('rules that admit everything', () => {
  const ingress = (rule: string) =>
    `${WEB}${API}${policy('shop/p', `{podSelector: {matchLabels: {app: api}}, ingress: [${rule}]}`)}`;

  it.each([
    ['{}', 'no-peers', null],
    ['{from: [{namespaceSelector: {}}]}', 'all-pods', 0],
    [
      '{from: [{podSelector: {matchLabels: {app: web}}}, {ipBlock: {cidr: "::/0"}}]}',
      'all-addresses',
      1,
    ],
  ])('warns about %s on every port', (rule, form, peerIndex) => {
    expect(audit(ingress(rule), 'rule-allows-everything')).toMatchObject([
      { severity: 'warning', form, peerIndex },
    ]);
  });

  it('notes every pod of the cluster on some ports, but not a plain "anyone on port 80"', () => {
    expect(
      audit(
        ingress('{from: [{namespaceSelector: {}}], ports: [{port: 80}]}'),
        'rule-allows-any-peer',
      ),
    ).toMatchObject([{ severity: 'info', form: 'all-pods', ports: [{ port: 80 }] }]);
    expect(audit(ingress('{ports: [{port: 80}]}'), 'rule-allows-any-peer')).toEqual([]);
  });

  it('warns about rules for a direction policyTypes leaves out, proposing to add it', () => {
    const yaml = `${WEB}${API}${policy('shop/p', '{podSelector: {}, policyTypes: [Ingress], egress: [{ports: [{port: 443}]}]}')}`;
    expect(audit(yaml, 'rules-ignored-by-policy-types')).toMatchObject([
      {
        severity: 'warning',
        direction: 'egress',
        rules: 1,
        fixes: [{ kind: 'add-policy-type', type: 'Egress' }],
      },
    ]);
  });
});
