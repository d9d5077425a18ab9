import { describe, expect, it } from 'vitest';
import { findingMessage } from '../../../src/render/audit.js';
import { agentDaemonSetYaml } from '../../helpers/cilium-agent.js';
import { audit, ns, pod, policy } from './yaml.js';

const CALICO = agentDaemonSetYaml('calico-node', 'calico-node', 'docker.io/calico/node:v3.28.0');

const WEB = pod('shop/web-1', { app: 'web-frontend' }, '10.0.0.1');

describe('policies that select no pods', () => {
  it('is an error with the fix when a pod is a typo away, naming that pod', () => {
    const yaml = `${WEB}${policy('shop/p', '{podSelector: {matchLabels: {app: web-frontent}}, ingress: [{ports: [{port: 80}]}]}')}`;
    const [finding] = audit(yaml, 'policy-selects-no-pods');
    expect(finding).toMatchObject({
      severity: 'error',
      nearMiss: { candidate: 'shop/web-1', found: { key: 'app', value: 'web-frontend' } },
      objects: [
        { kind: 'NetworkPolicy', namespace: 'shop', name: 'p' },
        { kind: 'Pod', namespace: 'shop', name: 'web-1' },
      ],
    });
    expect(finding?.fixes[0]).toEqual({
      kind: 'set-selector',
      policy: { namespace: 'shop', name: 'p' },
      field: 'spec.podSelector',
      selector: { matchLabels: { app: 'web-frontend' }, matchExpressions: [] },
    });
  });

  it('is a warning without a fix when nothing comes close (the workload may not be deployed)', () => {
    const yaml = `${WEB}${policy('shop/p', '{podSelector: {matchLabels: {app: billing}}}')}`;
    expect(audit(yaml, 'policy-selects-no-pods')).toMatchObject([
      { severity: 'warning', fixes: [] },
    ]);
  });

  it('does not judge a namespace the input holds no pods of', () => {
    const yaml = `${WEB}${policy('other/p', '{podSelector: {matchLabels: {app: billing}}}')}`;
    expect(audit(yaml, 'policy-selects-no-pods')).toEqual([]);
  });

  it('leaves a policy selecting only host-network pods to the host-network finding', () => {
    const host = pod('shop/agent', { app: 'agent' }, '172.18.0.2', { hostNetwork: true });
    const yaml = `${WEB}${host}${policy('shop/p', '{podSelector: {matchLabels: {app: agent}}}')}`;
    expect(audit(yaml, 'policy-selects-no-pods')).toEqual([]);
    expect(audit(yaml, 'host-network-pod-selected')).toHaveLength(1);
  });
});

describe('podSelector peers that match nothing', () => {
  const API = pod('shop/api', { app: 'api' }, '10.0.0.2');
  const from = (selector: string) =>
    policy(
      'shop/api',
      `{podSelector: {matchLabels: {app: api}}, ingress: [{from: [${selector}]}]}`,
    );

  it('finds the pod carrying the wanted value under another key', () => {
    const yaml = `${API}${pod('shop/fe', { app: 'frontend' }, '10.0.0.1')}${from('{podSelector: {matchLabels: {tier: frontend}}}')}`;
    const [finding] = audit(yaml, 'pod-selector-matches-nothing');
    expect(finding).toMatchObject({
      severity: 'error',
      peer: { direction: 'ingress', ruleIndex: 0, peerIndex: 0 },
      namespaces: ['shop'],
      nearMiss: { candidate: 'shop/fe', key: 'tier', found: { key: 'app', value: 'frontend' } },
    });
    expect(finding?.fixes[0]).toMatchObject({
      field: 'spec.ingress[0].from[0].podSelector',
      selector: { matchLabels: { app: 'frontend' } },
    });
  });

  it('says when it matches only host-network pods, which selectors do not see', () => {
    const host = pod('shop/agent', { app: 'agent' }, '172.18.0.2', { hostNetwork: true });
    const yaml = `${API}${host}${from('{podSelector: {matchLabels: {app: agent}}}')}`;
    expect(audit(yaml, 'pod-selector-matches-nothing')).toMatchObject([
      { severity: 'warning', hostNetworkPods: ['shop/agent'] },
    ]);
  });

  it('says a plugin not known may match those host-network pods, and a known one does not', () => {
    const host = pod('shop/agent', { app: 'agent' }, '172.18.0.2', { hostNetwork: true });
    const yaml = `${API}${host}${from('{podSelector: {matchLabels: {app: agent}}}')}`;
    const [unknown] = audit(yaml, 'pod-selector-matches-nothing');
    expect(unknown).toMatchObject({ plugin: 'unknown' });
    const words = findingMessage(unknown as NonNullable<typeof unknown>);
    expect(words).toContain('which it matches only if the plugin applies selectors to such pods');
    expect(words).not.toContain('which selectors do not see');
    const [calico] = audit(`${yaml}---\n${CALICO}`, 'pod-selector-matches-nothing');
    expect(calico?.plugin).toBeUndefined();
    expect(findingMessage(calico as NonNullable<typeof calico>)).toContain(
      'which selectors do not see',
    );
  });

  it('looks in the namespaces the namespaceSelector picks', () => {
    const yaml = `${API}${ns('mon', { team: 'obs' })}${pod('mon/prom', { app: 'prometheus' }, '10.0.1.1')}${from('{namespaceSelector: {matchLabels: {team: obs}}, podSelector: {matchLabels: {app: promethus}}}')}`;
    expect(audit(yaml, 'pod-selector-matches-nothing')).toMatchObject([
      { severity: 'error', namespaces: ['mon'], nearMiss: { candidate: 'mon/prom' } },
    ]);
  });

  it('is quiet when a pod matches', () => {
    const yaml = `${API}${pod('shop/fe', { app: 'frontend' }, '10.0.0.1')}${from('{podSelector: {matchLabels: {app: frontend}}}')}`;
    expect(audit(yaml, 'pod-selector-matches-nothing')).toEqual([]);
  });
});

describe('namespaceSelector peers that match no namespace', () => {
  const API = pod('shop/api', { app: 'api' }, '10.0.0.2');
  const from = (peer: string) =>
    policy('shop/api', `{podSelector: {}, ingress: [{from: [${peer}], ports: [{port: 9090}]}]}`);

  it('names the namespace running the peer pods and the label it lacks (the demo mistake)', () => {
    const yaml = `${API}${ns('monitoring', { purpose: 'monitoring' })}${pod('monitoring/prom', { app: 'prometheus' }, '10.0.1.1')}${from('{namespaceSelector: {matchLabels: {team: observability}}, podSelector: {matchLabels: {app: prometheus}}}')}`;
    const [finding] = audit(yaml, 'namespace-selector-matches-nothing');
    expect(finding).toMatchObject({
      severity: 'error',
      nearMisses: [{ candidate: 'monitoring', key: 'team', because: 'peer-pods' }],
      objects: [{ kind: 'NetworkPolicy' }, { kind: 'Namespace', name: 'monitoring' }],
    });
    expect(finding?.nearMisses[0]?.found).toBeUndefined();
    expect(finding?.fixes.slice(0, 2)).toEqual([
      { kind: 'label-namespace', namespace: 'monitoring', key: 'team', value: 'observability' },
      {
        kind: 'set-selector',
        policy: { namespace: 'shop', name: 'api' },
        field: 'spec.ingress[0].from[0].namespaceSelector',
        selector: {
          matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' },
          matchExpressions: [],
        },
      },
    ]);
  });

  it('names the namespace named like the wanted value (name=frontend)', () => {
    const yaml = `${API}${ns('frontend')}${from('{namespaceSelector: {matchLabels: {name: frontend}}}')}`;
    expect(audit(yaml, 'namespace-selector-matches-nothing')).toMatchObject([
      {
        severity: 'error',
        nearMisses: [
          {
            candidate: 'frontend',
            because: 'name',
            found: { key: 'kubernetes.io/metadata.name', value: 'frontend' },
          },
        ],
      },
    ]);
  });

  it('finds a namespace name a typo away', () => {
    const yaml = `${API}${ns('ingress-nginx')}${from('{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingres-nginx}}}')}`;
    expect(audit(yaml, 'namespace-selector-matches-nothing')).toMatchObject([
      { severity: 'error', nearMisses: [{ candidate: 'ingress-nginx' }] },
    ]);
  });

  it('is a warning with advice only when no namespace comes close', () => {
    const yaml = `${API}${ns('frontend')}${from('{namespaceSelector: {matchLabels: {env: prod}}}')}`;
    expect(audit(yaml, 'namespace-selector-matches-nothing')).toMatchObject([
      { severity: 'warning', nearMisses: [], fixes: [] },
    ]);
  });
});
