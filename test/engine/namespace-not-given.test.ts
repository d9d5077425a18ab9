/**
 * A namespace the input names (a pod lives there) but does not hold: of its labels only
 * kubernetes.io/metadata.name is sure (the API server sets it), so a namespaceSelector needing
 * any other label may or may not select it. check, the matrix and reachable answer UNKNOWN then,
 * naming the namespace; selectors that need only the name, or nothing, stay decided.
 */
import { describe, expect, it } from 'vitest';
import { reachablePods } from '../../src/engine/evaluate/reachable.js';
import { type Analysis, computeMatrix } from '../../src/engine/index.js';
import { undecidedLayerText } from '../../src/render/completeness.js';
import { analyseYaml } from '../helpers/load.js';
import { cnpYaml, flow, namespaceYaml, podYaml, policyYaml, stream } from '../helpers/scenario.js';

/** The server in namespace `srv` (given) admits TCP 80 from `from`; the client is in `d`. */
function clusterWith(from: string, options: { givenD?: Record<string, string> } = {}): Analysis {
  return analyseYaml(
    stream(
      namespaceYaml('srv'),
      ...(options.givenD ? [namespaceYaml('d', options.givenD)] : []),
      podYaml('srv/server', { labels: { app: 'server' }, ips: ['10.244.9.9'] }),
      podYaml('d/client', { labels: { app: 'client' }, ips: ['10.244.1.5'] }),
      policyYaml(
        'srv/from-d',
        `
        podSelector: {matchLabels: {app: server}}
        ingress:
          - from: [${from}]
            ports: [{port: 80}]`,
      ),
    ),
  );
}

const ENV_PROD = '{namespaceSelector: {matchLabels: {env: prod}}}';
const check = (analysis: Analysis) => flow(analysis, 'd/client', 'srv/server', 'TCP', 80);

describe('a namespaceSelector against a namespace not in the input', () => {
  it('is UNKNOWN when it needs a label other than the name, naming the namespace', () => {
    const verdict = check(clusterWith(ENV_PROD));
    expect(verdict.verdict).toBe('UNKNOWN');
    expect(verdict.ingress.undecided).toEqual([
      {
        kind: 'namespace-not-given',
        namespace: 'd',
        selectors: [{ matchLabels: { env: 'prod' }, matchExpressions: [] }],
      },
    ]);
    const [layer] = verdict.ingress.undecided ?? [];
    if (!layer) throw new Error('the layer should be there');
    const text = undecidedLayerText(layer);
    expect(text).toContain('namespace d is not in the input');
    expect(text).toContain('env=prod');
    expect(text).toContain('add its Namespace manifest, or read the live cluster');
  });

  it('is UNKNOWN for a selector that the name label alone satisfies (NotIn, DoesNotExist)', () => {
    const notIn = check(
      clusterWith(
        '{namespaceSelector: {matchExpressions: [{key: env, operator: NotIn, values: [dev]}]}}',
      ),
    );
    expect(notIn.verdict).toBe('UNKNOWN');
    expect(notIn.ingress.undecided).toMatchObject([{ kind: 'namespace-not-given' }]);
  });

  it('stays decided when the selector needs only the name label, or nothing', () => {
    const byName = (name: string) =>
      `{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ${name}}}}`;
    expect(check(clusterWith(byName('d'))).verdict).toBe('ALLOWED');
    expect(check(clusterWith(byName('other'))).verdict).toBe('DENIED');
    expect(check(clusterWith('{namespaceSelector: {}}')).verdict).toBe('ALLOWED');
    const exists = check(
      clusterWith(
        '{namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: Exists}]}}',
      ),
    );
    expect(exists.verdict).toBe('ALLOWED');
  });

  it('stays DENIED when the name label already rules the namespace out', () => {
    const verdict = check(
      clusterWith(
        '{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: x, env: prod}}}',
      ),
    );
    expect(verdict.verdict).toBe('DENIED');
    expect(verdict.ingress.undecided).toBeUndefined();
  });

  it('is decided once the Namespace is in the input', () => {
    expect(check(clusterWith(ENV_PROD, { givenD: { env: 'prod' } })).verdict).toBe('ALLOWED');
    const denied = check(clusterWith(ENV_PROD, { givenD: {} }));
    expect(denied.verdict).toBe('DENIED');
    expect(denied.ingress.undecided).toBeUndefined();
  });

  it('marks the matrix pair and the reachable pod undecided, as check does', () => {
    const analysis = clusterWith(ENV_PROD);
    const matrix = computeMatrix(analysis);
    const [client, server] = ['d/client', 'srv/server'].map((id) =>
      matrix.podIdxs.indexOf(analysis.podIndex.get(id) ?? -1),
    ) as [number, number];
    expect(matrix.undecided(client, server)).toBe(true);
    const serverIdx = analysis.podIndex.get('srv/server') as number;
    const reached = reachablePods(analysis, serverIdx, 'ingress');
    expect(reached).toMatchObject([{ pod: 'd/client', undecided: true }]);
    // Given, the namespace decides: no pair left undecided, and no pod reaches the server.
    const given = clusterWith(ENV_PROD, { givenD: {} });
    const givenMatrix = computeMatrix(given);
    expect(givenMatrix.undecided(client, server)).toBe(false);
    expect(reachablePods(given, given.podIndex.get('srv/server') as number, 'ingress')).toEqual([]);
  });

  it('is UNKNOWN when a Deny rule may match it, in check and in the matrix', () => {
    const analysis = analyseYaml(
      stream(
        namespaceYaml('srv'),
        podYaml('srv/server', { labels: { app: 'server' }, ips: ['10.244.9.9'] }),
        podYaml('d/client', { ips: ['10.244.1.5'] }),
        cnpYaml(
          'deny-prod',
          `
          tier: Admin
          priority: 1
          subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: srv}}}
          ingress:
          - {action: Deny, from: [{namespaces: {matchLabels: {env: prod}}}]}
          `,
        ),
      ),
    );
    const verdict = check(analysis);
    expect(verdict.verdict).toBe('UNKNOWN');
    expect(verdict.ingress.undecided).toMatchObject([{ kind: 'namespace-not-given' }]);
    const matrix = computeMatrix(analysis);
    const [client, server] = ['d/client', 'srv/server'].map((id) =>
      matrix.podIdxs.indexOf(analysis.podIndex.get(id) ?? -1),
    ) as [number, number];
    expect(matrix.undecided(client, server)).toBe(true);
  });
});
