/**
 * A compiled cluster builds a pod's rule chains when a question first needs them: a check of
 * two pods among many builds theirs alone, and the views that walk every pod (matrix, audit)
 * still get every chain, answering as an analysis that built them all.
 */
import { describe, expect, it } from 'vitest';
import { checkTargets, computeMatrix, unknownNamedPortFindings } from '../../src/engine/index.js';
import { analyseYaml } from '../helpers/load.js';
import { namespaceYaml, podYaml, policyYaml, stream } from '../helpers/scenario.js';

const APPS = ['web', 'api', 'db', 'cache', 'queue'];

/** The named container ports the policies name. */
const PORTS = [
  { port: 8080, name: 'http' },
  { port: 5672, name: 'amqp' },
];

/** Two namespaces of five apps, two pods each; each app's pods isolated by a policy of their own. */
const CLUSTER = stream(
  ...['shop', 'ops'].flatMap((namespace) => [
    namespaceYaml(namespace, { team: namespace }),
    ...APPS.flatMap((app) => [
      podYaml(`${namespace}/${app}-1`, { labels: { app }, ports: PORTS }),
      podYaml(`${namespace}/${app}-2`, { labels: { app }, ports: PORTS }),
      policyYaml(
        `${namespace}/${app}`,
        `
  podSelector: {matchLabels: {app: ${app}}}
  ingress:
  - from:
    - podSelector: {matchLabels: {app: web}}
    ports: [{port: http}]
  egress:
  - to:
    - namespaceSelector: {matchLabels: {team: ops}}
      podSelector: {matchLabels: {app: queue}}
    ports: [{port: amqp}]
  `,
      ),
    ]),
  ]),
);

const POD_COUNT = 2 * APPS.length * 2;

describe('rule chains built when asked for', () => {
  it('a check builds the chains of its two pods only, named-port warnings none', () => {
    const analysis = analyseYaml(CLUSTER);
    expect(analysis.pods).toHaveLength(POD_COUNT);
    expect(analysis.chains.built).toBe(0);
    unknownNamedPortFindings(analysis);
    expect(analysis.chains.built).toBe(0);
    const checked = checkTargets(analysis, {
      source: 'shop/web-1',
      destination: 'shop/api-1',
      port: '8080',
      namespace: 'shop',
    });
    expect(checked.ok).toBe(true);
    // The source's egress chain and the destination's ingress chain.
    expect(analysis.chains.built).toBe(2);
  });

  it('the matrix builds every chain and answers as from chains built all at once', () => {
    const lazy = analyseYaml(CLUSTER);
    const eager = analyseYaml(CLUSTER);
    for (const direction of ['ingress', 'egress'] as const) eager.chains.all(direction);
    const lazyMatrix = computeMatrix(lazy);
    expect(lazy.chains.built).toBe(2 * POD_COUNT);
    const eagerMatrix = computeMatrix(eager);
    expect(lazyMatrix.classOf).toEqual(eagerMatrix.classOf);
    for (let from = 0; from < POD_COUNT; from++) {
      for (let to = 0; to < POD_COUNT; to++) {
        expect(lazyMatrix.portSet(lazyMatrix.connectionId(from, to))).toEqual(
          eagerMatrix.portSet(eagerMatrix.connectionId(from, to)),
        );
      }
    }
  });

  it('pods governed alike share one chain, whichever is asked for first', () => {
    const analysis = analyseYaml(CLUSTER);
    const index = (id: string) => analysis.podIndex.get(id) as number;
    const second = analysis.chains.of('ingress', index('ops/db-2'));
    expect(analysis.chains.of('ingress', index('ops/db-1'))).toBe(second);
    expect(analysis.chains.of('ingress', index('ops/api-1'))).not.toBe(second);
  });
});
