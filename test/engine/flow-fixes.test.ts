/** Both sides of a denied flow fixed in one go: the egress and the ingress policy together. */
import { describe, expect, it } from 'vitest';
import {
  bothSidesFix,
  checkFixes,
  checkOutcome,
  checkTargets,
  compileCluster,
  policyEffect,
  type ScaffoldRequest,
  scaffoldPolicies,
  withPolicies,
} from '../../src/engine/index.js';
import { analyseYaml } from '../helpers/load.js';
import { namespaceYaml, podYaml, policyYaml, stream } from '../helpers/scenario.js';

/** A namespace that denies everything both ways, with only the frontend's egress to DNS. */
const DENY_ALL_BOTH_WAYS = stream(
  namespaceYaml('app'),
  namespaceYaml('data'),
  podYaml('app/frontend', { labels: { app: 'frontend' }, ips: ['10.0.0.1'] }),
  podYaml('app/backend', { labels: { app: 'backend' }, ips: ['10.0.0.2'] }),
  podYaml('data/db', { labels: { app: 'db' }, ips: ['10.0.1.1'] }),
  policyYaml('app/default-deny', 'podSelector: {}\npolicyTypes: [Ingress, Egress]'),
  policyYaml('data/default-deny', 'podSelector: {}\npolicyTypes: [Ingress, Egress]'),
);

const question = (source: string, destination: string, port: string) => ({
  source,
  destination,
  port,
  namespace: 'app',
});

describe.each([
  ['the same namespace', 'app/frontend', 'app/backend'],
  ['another namespace', 'app/backend', 'data/db'],
])('a flow denied on both sides, in %s', (_, source, destination) => {
  const analysis = analyseYaml(DENY_ALL_BOTH_WAYS);
  const asked = question(source, destination, '8080');
  const checked = checkTargets(analysis, asked);
  if (!checked.ok) throw new Error(JSON.stringify(checked.error));
  const [flow] = checked.value.flows;

  it('has a fix for each side, egress first, written in each side’s namespace', () => {
    const both = bothSidesFix(flow?.diagnosis ?? []);
    expect(both?.map((r) => [r.kind, r.namespace, 'direction' in r && r.direction])).toEqual([
      ['allow', source.split('/')[0], 'egress'],
      ['allow', destination.split('/')[0], 'ingress'],
    ]);
  });

  it('both requests together make the flow ALLOWED, and each alone does not', () => {
    const both = bothSidesFix(flow?.diagnosis ?? []);
    if (!both) throw new Error('no fix for both sides');
    const outcomeWith = (requests: readonly ScaffoldRequest[]) => {
      const policies = requests.flatMap(scaffoldPolicies);
      const after = compileCluster(withPolicies(analysis.cluster, policies));
      const answer = checkTargets(after, asked);
      return answer.ok ? checkOutcome(answer.value.flows) : 'no answer';
    };
    expect(checkOutcome(checked.value.flows)).toBe('DENIED');
    expect(outcomeWith(both)).toBe('ALLOWED');
    expect(outcomeWith([both[0]])).toBe('DENIED');
    expect(outcomeWith([both[1]])).toBe('DENIED');
  });

  it('the effect of both policies opens exactly the flow, on its one port', () => {
    const policies = (bothSidesFix(flow?.diagnosis ?? []) ?? []).flatMap(scaffoldPolicies);
    const effect = policyEffect(analysis.cluster, policies);
    expect(effect.closed).toEqual([]);
    expect(effect.opened.map((c) => [c.from, c.to, c.after])).toEqual([
      [source, destination, { TCP: [[8080, 8080]], UDP: [], SCTP: [] }],
    ]);
  });

  it('checkFixes gives the same two requests', () => {
    expect(checkFixes(analysis, checked.value.flows)).toEqual({
      requests: bothSidesFix(flow?.diagnosis ?? []),
      unfixable: [],
    });
  });
});

describe('bothSidesFix', () => {
  it('is undefined when only one side denies', () => {
    const analysis = analyseYaml(
      stream(
        namespaceYaml('app'),
        podYaml('app/frontend', { labels: { app: 'frontend' }, ips: ['10.0.0.1'] }),
        podYaml('app/backend', { labels: { app: 'backend' }, ips: ['10.0.0.2'] }),
        policyYaml('app/deny-ingress', 'podSelector: {}\npolicyTypes: [Ingress]'),
      ),
    );
    const checked = checkTargets(analysis, question('app/frontend', 'app/backend', '80'));
    if (!checked.ok) throw new Error('no answer');
    const [flow] = checked.value.flows;
    expect(flow?.diagnosis?.map((d) => d.direction)).toEqual(['ingress']);
    expect(bothSidesFix(flow?.diagnosis ?? [])).toBeUndefined();
    expect(checkFixes(analysis, checked.value.flows).requests).toHaveLength(1);
  });
});

describe('checkFixes over several flows', () => {
  it('writes different fixes under different names: one per backend of a Service', () => {
    const analysis = analyseYaml(
      stream(
        DENY_ALL_BOTH_WAYS,
        podYaml('app/api', { labels: { app: 'api', tier: 'back' }, ips: ['10.0.0.3'] }),
        podYaml('app/cache', { labels: { app: 'cache', tier: 'back' }, ips: ['10.0.0.4'] }),
        'apiVersion: v1\nkind: Service\nmetadata: {name: back, namespace: app}\nspec:\n  selector: {tier: back}\n  ports: [{port: 80, targetPort: 8080}]\n',
      ),
    );
    const checked = checkTargets(analysis, question('app/frontend', 'svc/back', '80'));
    if (!checked.ok) throw new Error(JSON.stringify(checked.error));
    expect(checked.value.flows.map((f) => f.to)).toEqual(['app/api', 'app/cache']);
    const { requests } = checkFixes(analysis, checked.value.flows);
    const policies = requests.flatMap(scaffoldPolicies);
    expect(policies.map((p) => p.name)).toEqual([
      'allow-frontend-egress-to-api-8080',
      'allow-api-ingress-from-frontend-8080',
      'allow-frontend-egress-to-cache-8080',
      'allow-cache-ingress-from-frontend-8080',
    ]);
    const answer = checkTargets(
      compileCluster(withPolicies(analysis.cluster, policies)),
      question('app/frontend', 'svc/back', '80'),
    );
    expect(answer.ok && checkOutcome(answer.value.flows)).toBe('ALLOWED');
  });
});
