/** Near misses that are no typos, and fixes on the side of the pod or namespace. */
import { describe, expect, it } from 'vitest';
import { audit, diagnoseFirst, ns, pod, policy } from './yaml.js';

/** namespace-b admits ns=namespacea; only namespace-b and namespace-c carry their ns label. */
const TUTORIAL = `${ns('namespace-a')}${ns('namespace-b', { ns: 'namespaceb' })}${ns('namespace-c', { ns: 'namespacec' })}${pod('namespace-a/nginx', { app: 'nginx' }, '10.0.0.1')}${pod('namespace-b/nginx', { app: 'nginx' }, '10.0.0.2')}${pod('namespace-c/nginx', { app: 'nginx' }, '10.0.0.3')}${policy('namespace-b/allow-a', '{podSelector: {}, ingress: [{from: [{namespaceSelector: {matchLabels: {ns: namespacea}}}]}]}')}`;

describe('a namespace lacking the label a namespaceSelector wants', () => {
  it('labels the namespace whose name the wanted value spells, not a sibling a typo away', () => {
    const [finding] = audit(TUTORIAL, 'namespace-selector-matches-nothing');
    expect(finding?.nearMisses).toEqual([
      {
        candidate: 'namespace-a',
        key: 'ns',
        values: ['namespacea'],
        likely: true,
        because: 'name',
      },
    ]);
    expect(finding?.fixes[0]).toEqual({
      kind: 'label-namespace',
      namespace: 'namespace-a',
      key: 'ns',
      value: 'namespacea',
    });
    expect(JSON.stringify(finding?.fixes)).not.toContain('namespaceb');
  });

  it('still takes a real typo of a label for one (ns=namespacaa on the namespace meant)', () => {
    const yaml = TUTORIAL.replace(
      '{name: namespace-a, labels: {}}',
      '{name: namespace-a, labels: {"ns": "namespacaa"}}',
    );
    const [finding] = audit(yaml, 'namespace-selector-matches-nothing');
    expect(finding?.nearMisses[0]).toMatchObject({
      candidate: 'namespace-a',
      found: { key: 'ns', value: 'namespacaa' },
      likely: true,
    });
  });

  it('check does not call ns=namespacec on namespace-c a typo of ns=namespacea', () => {
    const diagnosis = diagnoseFirst(TUTORIAL, 'namespace-c/nginx', 'namespace-b/nginx', 'TCP', 80);
    expect(diagnosis?.closest[0]?.differences).toMatchObject([
      {
        kind: 'namespace-selector-matches-nothing',
        labels: [{ actual: { key: 'ns', value: 'namespacec' }, likelyTypo: false }],
      },
    ]);
    expect(diagnosis?.suggestions).toEqual([]);
  });
});

describe('a typo that may be the pod’s', () => {
  it('offers labelling the pod after editing the policy', () => {
    const yaml = `${pod('shop/web-1', { app: 'web-frontend' }, '10.0.0.1')}${policy('shop/p', '{podSelector: {matchLabels: {app: web-frontent}}}')}`;
    const [finding] = audit(yaml, 'policy-selects-no-pods');
    expect(finding?.fixes.map((f) => f.kind)).toEqual(['set-selector', 'label-pod']);
    expect(finding?.fixes.at(-1)).toEqual({
      kind: 'label-pod',
      pod: { kind: 'Pod', namespace: 'shop', name: 'web-1' },
      key: 'app',
      value: 'web-frontent',
    });
  });

  it('does not relabel a pod that merely lacks the label', () => {
    const yaml = `${pod('shop/api', { app: 'api' }, '10.0.0.2')}${pod('shop/web', { app: 'web' }, '10.0.0.1')}${policy('shop/p', '{podSelector: {}, ingress: [{from: [{podSelector: {matchLabels: {app: web, tier: front}}}]}]}')}`;
    const [finding] = audit(yaml, 'pod-selector-matches-nothing');
    expect(finding?.fixes.map((f) => f.kind)).not.toContain('label-pod');
  });
});

describe('a pod whose name bears its label out', () => {
  it('is not offered a relabel: the selector has the typo', () => {
    const yaml = `${pod('shop/web-frontend-7c8d9-kp4xz', { app: 'web-frontend' }, '10.0.0.1')}${policy('shop/p', '{podSelector: {matchLabels: {app: web-frontent}}}')}`;
    const [finding] = audit(yaml, 'policy-selects-no-pods');
    expect(finding?.fixes.map((f) => f.kind)).toEqual(['set-selector']);
  });
});
