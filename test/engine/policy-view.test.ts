import { describe, expect, it } from 'vitest';
import {
  clusterPolicyView,
  compileCluster,
  findClusterPolicy,
  findPolicy,
  isFullPortSet,
  policyView,
  portSetAllows,
} from '../../src/engine/index.js';
import { loadDemo } from '../../src/io/load-input.js';
import { analyseYaml } from '../helpers/load.js';
import { cnpYaml, namespaceYaml, podYaml, policyYaml, stream } from '../helpers/scenario.js';

const PODS = [
  namespaceYaml('app'),
  podYaml('app/web', { labels: { role: 'web' }, ips: ['10.0.0.1'] }),
  podYaml('app/api', { labels: { role: 'api' }, ips: ['10.0.0.2'] }),
  podYaml('app/db', { labels: { role: 'db' }, ips: ['10.0.0.3'] }),
];

const DENY_ALL_INGRESS = policyYaml(
  'app/deny-all',
  `
  podSelector: {}
  policyTypes: [Ingress]
  `,
);

const WEB_TO_API = policyYaml(
  'app/web-to-api',
  `
  podSelector:
    matchLabels: {role: api}
  ingress:
  - from:
    - podSelector:
        matchLabels: {role: web}
    ports:
    - port: 8080
  `,
);

const ALL_TO_API = policyYaml(
  'app/all-to-api',
  `
  podSelector:
    matchLabels: {role: api}
  ingress:
  - {}
  `,
);

/** The view of the named policy in a snapshot made of the given manifests. */
function viewOf(name: string, ...documents: string[]) {
  const analysis = analyseYaml(stream(...PODS, ...documents));
  const found = findPolicy(analysis.cluster, 'app', name);
  if (!found.ok) throw new Error(`no policy ${name}`);
  return policyView(analysis, found.policy);
}

const pairs = (flows: readonly { from: string; to: string }[]) =>
  flows.map((f) => `${f.from}->${f.to}`).sort();

describe('policyView', () => {
  it('lists what a policy selects and what each peer matches now', () => {
    const view = viewOf('web-to-api', WEB_TO_API);
    expect(view.selected).toEqual({ count: 1, first: ['app/api'] });
    expect(view.isolates).toEqual(['ingress']);
    expect(view.rules).toHaveLength(1);
    expect(view.rules[0]?.peers[0]?.pods).toEqual({ count: 1, first: ['app/web'] });
    expect(view.rules[0]?.peers[0]?.namespaces).toEqual(['app']);
  });

  it('finds the flows only this policy allows: removing it closes them', () => {
    const view = viewOf('web-to-api', DENY_ALL_INGRESS, WEB_TO_API);
    expect(pairs(view.effect.opened)).toEqual(['app/web->app/api']);
    expect(view.effect.closed).toEqual([]);
  });

  it('finds nothing it alone allows when another policy allows more', () => {
    const view = viewOf('web-to-api', DENY_ALL_INGRESS, WEB_TO_API, ALL_TO_API);
    expect(view.effect.opened).toEqual([]);
    expect(view.effect.closed).toEqual([]);
  });

  it('finds the flows a deny-all blocks: allowed without it, denied with it', () => {
    const view = viewOf('deny-all', DENY_ALL_INGRESS, ALL_TO_API);
    expect(view.selected.count).toBe(3);
    expect(view.rules).toEqual([]);
    expect(pairs(view.effect.closed)).toEqual([
      'app/api->app/db',
      'app/api->app/web',
      'app/db->app/web',
      'app/web->app/db',
    ]);
    expect(view.effect.opened).toEqual([]);
  });

  it('suggests the closest names for a policy that is absent', () => {
    const analysis = analyseYaml(stream(...PODS, WEB_TO_API));
    const found = findPolicy(analysis.cluster, 'app', 'web-to-apj');
    expect(found).toEqual({
      ok: false,
      missing: { namespace: 'app', name: 'web-to-apj', suggestions: ['web-to-api'] },
    });
  });

  it('finds the flows a Baseline deny blocks: only those no NetworkPolicy allows', () => {
    const analysis = compileCluster(loadDemo().cluster);
    const found = findClusterPolicy(analysis.cluster, 'cnp/legacy-default-deny');
    if (!found.ok) throw new Error('no cnp/legacy-default-deny in the demo');
    const view = clusterPolicyView(analysis, found.policy);
    expect(view.selected.count).toBe(3);
    expect(view.effect.opened).toEqual([]);
    expect(view.effect.closed.every((f) => f.to.startsWith('legacy/'))).toBe(true);
    expect(pairs(view.effect.closed)).toContain(
      'kube-system/coredns-5d78c9869d-4xq7m->legacy/mysql-0',
    );
  });

  it('lists the flows each rule of a cluster policy decides, self pairs apart', () => {
    const cnp = cnpYaml(
      'guard',
      `
      tier: Admin
      priority: 5
      subject: {namespaces: {}}
      ingress:
      - action: Pass
        from: [{pods: {namespaceSelector: {}, podSelector: {matchLabels: {role: web}}}}]
        protocols: [{tcp: {destinationPort: {number: 8080}}}]
      - action: Deny
        from: [{namespaces: {}}]
      `,
    );
    const analysis = analyseYaml(stream(...PODS, cnp));
    const found = findClusterPolicy(analysis.cluster, 'cnp/guard');
    if (!found.ok) throw new Error('no cnp/guard');
    const [pass, deny] = clusterPolicyView(analysis, found.policy).rules;
    const flowPairs = (flows: NonNullable<typeof pass>['flows']) =>
      flows.map((f) => `${f.from}->${f.to}${f.itself ? ' (itself)' : ''}`).sort();
    expect(flowPairs(pass?.flows ?? [])).toEqual([
      'app/web->app/api',
      'app/web->app/db',
      'app/web->app/web (itself)',
    ]);
    expect(pass?.flows.every((f) => portSetAllows(f.ports, 'TCP', 8080))).toBe(true);
    // The Deny decides what the Pass before it left: from web every port but TCP 8080.
    expect(flowPairs(deny?.flows ?? [])).toEqual([
      'app/api->app/api (itself)',
      'app/api->app/db',
      'app/api->app/web',
      'app/db->app/api',
      'app/db->app/db (itself)',
      'app/db->app/web',
      'app/web->app/api',
      'app/web->app/db',
      'app/web->app/web (itself)',
    ]);
    const fromWeb = deny?.flows.find((f) => f.from === 'app/web' && f.to === 'app/api');
    expect(fromWeb && portSetAllows(fromWeb.ports, 'TCP', 8080)).toBe(false);
    expect(fromWeb && portSetAllows(fromWeb.ports, 'TCP', 8081)).toBe(true);
    const fromApi = deny?.flows.find((f) => f.from === 'app/api' && f.to === 'app/db');
    expect(fromApi && isFullPortSet(fromApi.ports)).toBe(true);
  });
});
