/**
 * ClusterNetworkPolicy tiers as the API defines them: the Admin tier by priority before
 * NetworkPolicies (first matching rule decides, Pass moves on), NetworkPolicies as ever, the
 * Baseline tier only for what NetworkPolicies did not decide, then the default allow. What
 * objects cannot decide (DNS names, unseen nodes, equal priorities) is UNKNOWN.
 */
import { describe, expect, it } from 'vitest';
import { computeMatrix, explainPod, isFullPortSet, portSetAllows } from '../../src/engine/index.js';
import { analyseYaml } from '../helpers/load.js';
import { cnpYaml, flow, namespaceYaml, podYaml, policyYaml, stream } from '../helpers/scenario.js';

/** a/client and a/web, b/api; node n1 runs a/agent on the host network at 192.168.0.1. */
const PODS = [
  namespaceYaml('a', { team: 'a' }),
  namespaceYaml('b'),
  podYaml('a/client', { labels: { app: 'client' }, ips: ['10.0.0.1'] }),
  podYaml('a/web', {
    labels: { app: 'web' },
    ips: ['10.0.0.2'],
    ports: [{ name: 'http', port: 8080 }],
  }),
  podYaml('b/api', { labels: { app: 'api' }, ips: ['10.0.1.1'] }),
  podYaml('a/agent', { labels: { app: 'agent' }, ips: ['192.168.0.1'], hostNetwork: true }),
];
const NODE = `apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n  labels: {role: worker}\nstatus:\n  addresses: [{type: InternalIP, address: 192.168.0.1}]\n`;

const API_INGRESS_FROM_A = (action: string, priority = 10, tier = 'Admin', name = 'p') =>
  cnpYaml(
    name,
    `
    tier: ${tier}
    priority: ${priority}
    subject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: api}}}}
    ingress:
    - action: ${action}
      from: [{namespaces: {matchLabels: {team: a}}}]
    `,
  );

/** b/api admits nothing but a/web on 80 (so a/client is denied by NetworkPolicy). */
const NP_API_FROM_WEB = policyYaml(
  'b/api-from-web',
  `
  podSelector: {matchLabels: {app: api}}
  ingress:
  - from: [{namespaceSelector: {}, podSelector: {matchLabels: {app: web}}}]
    ports: [{port: 80}]
  `,
);

const verdict = (docs: string[], from: string, to: string, port = 80, protocol = 'TCP' as const) =>
  flow(analyseYaml(stream(...docs)), from, to, protocol, port).verdict;

describe('the Admin tier', () => {
  it('denies what a NetworkPolicy allows', () => {
    const docs = [...PODS, NP_API_FROM_WEB, API_INGRESS_FROM_A('Deny')];
    const answer = flow(analyseYaml(stream(...docs)), 'a/web', 'b/api', 'TCP', 80);
    expect(answer.verdict).toBe('DENIED');
    expect(answer.ingress).toMatchObject({
      kind: 'cluster-policy',
      match: { policy: 'cnp/p', tier: 'Admin', priority: 10, action: 'Deny', ruleIndex: 0 },
    });
  });

  it('accepts what a NetworkPolicy denies', () => {
    expect(verdict([...PODS, NP_API_FROM_WEB], 'a/client', 'b/api')).toBe('DENIED');
    expect(
      verdict([...PODS, NP_API_FROM_WEB, API_INGRESS_FROM_A('Accept')], 'a/client', 'b/api'),
    ).toBe('ALLOWED');
  });

  it('passes to NetworkPolicies, which then decide', () => {
    const docs = [
      ...PODS,
      NP_API_FROM_WEB,
      API_INGRESS_FROM_A('Pass'),
      API_INGRESS_FROM_A('Deny', 20, 'Admin', 'q'),
    ];
    const answer = flow(analyseYaml(stream(...docs)), 'a/web', 'b/api', 'TCP', 80);
    expect(answer.verdict).toBe('ALLOWED');
    expect(answer.ingress.clusterTiers).toEqual([
      { tier: 'Admin', match: expect.objectContaining({ policy: 'cnp/p', action: 'Pass' }) },
    ]);
    expect(verdict(docs, 'a/client', 'b/api')).toBe('DENIED');
  });

  it('applies the lower priority value first, whatever the order of the input', () => {
    const deny = API_INGRESS_FROM_A('Deny', 5, 'Admin', 'z-deny');
    const accept = API_INGRESS_FROM_A('Accept', 6, 'Admin', 'a-accept');
    expect(verdict([...PODS, accept, deny], 'a/web', 'b/api')).toBe('DENIED');
    const early = API_INGRESS_FROM_A('Accept', 4, 'Admin', 'a-accept');
    expect(verdict([...PODS, deny, early], 'a/web', 'b/api')).toBe('ALLOWED');
  });

  it('lets the first matching rule of a policy decide', () => {
    const policy = cnpYaml(
      'ordered',
      `
      tier: Admin
      priority: 1
      subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: b}}}
      ingress:
      - {action: Accept, from: [{pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: web}}}}]}
      - {action: Deny, from: [{namespaces: {}}]}
      `,
    );
    expect(verdict([...PODS, policy], 'a/web', 'b/api')).toBe('ALLOWED');
    expect(verdict([...PODS, policy], 'a/client', 'b/api')).toBe('DENIED');
  });

  it('is UNKNOWN when two policies of one priority both match with different actions, naming both', () => {
    const docs = [
      ...PODS,
      API_INGRESS_FROM_A('Accept', 7, 'Admin', 'one'),
      API_INGRESS_FROM_A('Deny', 7, 'Admin', 'two'),
    ];
    const answer = flow(analyseYaml(stream(...docs)), 'a/web', 'b/api', 'TCP', 80);
    expect(answer.verdict).toBe('UNKNOWN');
    expect(answer.ingress.undecided).toEqual([
      { kind: 'equal-priority', tier: 'Admin', priority: 7, policies: ['cnp/one', 'cnp/two'] },
    ]);
    const disjoint = [
      ...PODS,
      API_INGRESS_FROM_A('Accept', 7, 'Admin', 'one'),
      cnpYaml(
        'two',
        `
        tier: Admin
        priority: 7
        subject: {namespaces: {}}
        ingress: [{action: Deny, from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: b}}}]}]
        `,
      ),
    ];
    expect(verdict(disjoint, 'a/web', 'b/api')).toBe('ALLOWED');
    const alike = [
      ...PODS,
      API_INGRESS_FROM_A('Deny', 7, 'Admin', 'one'),
      API_INGRESS_FROM_A('Deny', 7, 'Admin', 'two'),
    ];
    expect(verdict(alike, 'a/web', 'b/api')).toBe('DENIED');
  });
});

describe('the Baseline tier', () => {
  const BASELINE_DENY = API_INGRESS_FROM_A('Deny', 10, 'Baseline', 'base');

  it('denies only where no NetworkPolicy selects the pod', () => {
    expect(verdict([...PODS, BASELINE_DENY], 'a/web', 'b/api')).toBe('DENIED');
    expect(verdict([...PODS, NP_API_FROM_WEB, BASELINE_DENY], 'a/web', 'b/api')).toBe('ALLOWED');
  });

  it('treats Pass as no match, leaving the default allow', () => {
    const pass = API_INGRESS_FROM_A('Pass', 1, 'Baseline', 'first');
    expect(verdict([...PODS, pass, BASELINE_DENY], 'a/web', 'b/api')).toBe('ALLOWED');
  });

  it('comes after an Admin Pass and NetworkPolicies that do not select the pod', () => {
    const docs = [...PODS, API_INGRESS_FROM_A('Pass', 1), BASELINE_DENY];
    const answer = flow(analyseYaml(stream(...docs)), 'a/web', 'b/api', 'TCP', 80);
    expect(answer.verdict).toBe('DENIED');
    expect(answer.ingress.clusterTiers?.map((step) => [step.tier, step.match?.action])).toEqual([
      ['Admin', 'Pass'],
      ['Baseline', 'Deny'],
    ]);
  });
});

describe('ports', () => {
  const portRule = (protocols: string) =>
    cnpYaml(
      'ports',
      `
      tier: Admin
      priority: 1
      subject: {namespaces: {matchLabels: {team: a}}}
      ingress:
      - action: Deny
        from: [{namespaces: {}}]
        protocols: ${protocols}
      `,
    );

  it('resolves a named port on the destination, whatever its protocol', () => {
    const docs = [...PODS, portRule('[{destinationNamedPort: http}]')];
    expect(verdict(docs, 'b/api', 'a/web', 8080)).toBe('DENIED');
    expect(verdict(docs, 'b/api', 'a/web', 80)).toBe('ALLOWED');
    expect(verdict(docs, 'b/api', 'a/client', 8080)).toBe('ALLOWED');
  });

  it('matches a range inclusively, on its protocol only', () => {
    const docs = [
      ...PODS,
      portRule('[{tcp: {destinationPort: {range: {start: 8000, end: 8100}}}}]'),
    ];
    expect(verdict(docs, 'b/api', 'a/web', 8000)).toBe('DENIED');
    expect(verdict(docs, 'b/api', 'a/web', 8100)).toBe('DENIED');
    expect(verdict(docs, 'b/api', 'a/web', 8101)).toBe('ALLOWED');
    expect(verdict(docs, 'b/api', 'a/web', 8000, 'UDP' as 'TCP')).toBe('ALLOWED');
  });
});

describe('egress peers', () => {
  const egress = (to: string, action = 'Deny') =>
    cnpYaml(
      'egress',
      `
      tier: Admin
      priority: 1
      subject: {namespaces: {matchLabels: {team: a}}}
      egress:
      - action: ${action}
        to: [${to}]
      `,
    );

  it('networks match pods by address, and addresses outside the cluster', () => {
    const docs = [...PODS, egress('{networks: [10.0.1.0/24, 203.0.113.0/24]}')];
    expect(verdict(docs, 'a/client', 'b/api')).toBe('DENIED');
    expect(verdict(docs, 'a/client', '203.0.113.9')).toBe('DENIED');
    expect(verdict(docs, 'a/client', 'a/web')).toBe('ALLOWED');
  });

  it('nodes match the addresses of the nodes the selector selects', () => {
    const docs = [...PODS, NODE, egress('{nodes: {matchLabels: {role: worker}}}')];
    expect(verdict(docs, 'a/client', '192.168.0.1')).toBe('DENIED');
    expect(verdict(docs, 'a/client', 'a/agent')).toBe('DENIED');
    expect(verdict(docs, 'a/client', 'b/api')).toBe('ALLOWED');
    const other = [...PODS, NODE, egress('{nodes: {matchLabels: {role: control-plane}}}')];
    expect(verdict(other, 'a/client', '192.168.0.1')).toBe('ALLOWED');
  });

  it('nodes peers are UNKNOWN when the input has no Node objects', () => {
    const answer = flow(
      analyseYaml(stream(...PODS, egress('{nodes: {}}'))),
      'a/client',
      'b/api',
      'TCP',
      80,
    );
    expect(answer.verdict).toBe('UNKNOWN');
    expect(answer.egress.undecided).toEqual([{ kind: 'nodes-not-given', policy: 'cnp/egress' }]);
  });

  it('domainNames make UNKNOWN only what no earlier rule decides: DNS may give any address', () => {
    const policy = cnpYaml(
      'allowlist',
      `
      tier: Admin
      priority: 1
      subject: {namespaces: {matchLabels: {team: a}}}
      egress:
      - {action: Deny, to: [{networks: [169.254.169.254/32]}]}
      - {action: Pass, to: [{namespaces: {}}]}
      - {action: Accept, to: [{domainNames: ["*.example.com"]}]}
      - {action: Deny, to: [{networks: [0.0.0.0/0]}]}
      `,
    );
    const analysis = analyseYaml(stream(...PODS, policy));
    const outside = flow(analysis, 'a/client', '203.0.113.9', 'TCP', 443);
    expect(outside.verdict).toBe('UNKNOWN');
    expect(outside.egress.undecided).toEqual([
      { kind: 'domain-names', policy: 'cnp/allowlist', ruleIndex: 2 },
    ]);
    expect(flow(analysis, 'a/client', '169.254.169.254', 'TCP', 80).verdict).toBe('DENIED');
    expect(flow(analysis, 'a/client', 'b/api', 'TCP', 80).verdict).toBe('ALLOWED');
  });
});

describe('the matrix', () => {
  it('gives the same answers as check', () => {
    const docs = [
      ...PODS,
      NP_API_FROM_WEB,
      API_INGRESS_FROM_A('Accept', 3),
      API_INGRESS_FROM_A('Deny', 10, 'Baseline', 'base'),
    ];
    const analysis = analyseYaml(stream(...docs));
    const matrix = computeMatrix(analysis);
    const position = (id: string) => matrix.podIdxs.indexOf(analysis.podIndex.get(id) as number);
    for (const from of ['a/client', 'a/web']) {
      for (const to of ['b/api', 'a/web', 'a/client']) {
        const allowed = portSetAllows(matrix.connections(position(from), position(to)), 'TCP', 80);
        expect([from, to, allowed]).toEqual([
          from,
          to,
          flow(analysis, from, to, 'TCP', 80).allowed,
        ]);
      }
    }
  });

  it('marks UNKNOWN exactly the pairs check finds UNKNOWN when readings disagree', () => {
    const docs = [
      ...PODS,
      API_INGRESS_FROM_A('Accept', 7, 'Admin', 'one'),
      API_INGRESS_FROM_A('Deny', 7, 'Admin', 'two'),
      cnpYaml(
        'names',
        `
        tier: Admin
        priority: 9
        subject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: client}}}}
        egress:
        - {action: Accept, to: [{domainNames: [example.com]}]}
        - {action: Deny, to: [{namespaces: {matchLabels: {team: a}}}]}
        `,
      ),
    ];
    const analysis = analyseYaml(stream(...docs));
    const matrix = computeMatrix(analysis);
    const position = (id: string) => matrix.podIdxs.indexOf(analysis.podIndex.get(id) as number);
    const pods = ['a/client', 'a/web', 'b/api'];
    const unknown = pods.flatMap((from) =>
      pods.flatMap((to) =>
        from !== to && matrix.undecided(position(from), position(to)) ? [`${from}>${to}`] : [],
      ),
    );
    expect(unknown).toEqual(['a/client>a/web', 'a/client>b/api', 'a/web>b/api']);
    for (const from of pods) {
      for (const to of pods.filter((pod) => pod !== from)) {
        const answer = flow(analysis, from, to, 'TCP', 80).verdict;
        expect([from, to, answer === 'UNKNOWN']).toEqual([
          from,
          to,
          unknown.includes(`${from}>${to}`),
        ]);
      }
    }
    // explain's reachable pods (computed without the matrix) agree too.
    const client = explainPod(analysis, analysis.podIndex.get('a/client') as number);
    expect(client.egress.pods.filter((p) => p.undecided).map((p) => p.pod)).toEqual([
      'a/web',
      'b/api',
    ]);
  });

  it('explain lists as UNKNOWN only the ports readings disagree on, as the matrix does', () => {
    const denyOn80 = cnpYaml(
      'deny-80',
      `
      tier: Admin
      priority: 7
      subject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: api}}}}
      ingress:
      - action: Deny
        from: [{namespaces: {matchLabels: {team: a}}}]
        protocols: [{tcp: {destinationPort: {number: 80}}}]
      `,
    );
    const docs = [...PODS, API_INGRESS_FROM_A('Accept', 7, 'Admin', 'accept'), denyOn80];
    const analysis = analyseYaml(stream(...docs));
    const api = explainPod(analysis, analysis.podIndex.get('b/api') as number);
    const client = api.ingress.pods.find((p) => p.pod === 'a/client');
    expect(client?.undecided).toBe(true);
    expect(client?.unknown).toEqual({ TCP: [[80, 80]], UDP: [], SCTP: [] });
    expect(client && isFullPortSet(client.connections)).toBe(true);
    expect(flow(analysis, 'a/client', 'b/api', 'TCP', 8080).verdict).toBe('ALLOWED');
    expect(flow(analysis, 'a/client', 'b/api', 'TCP', 80).verdict).toBe('UNKNOWN');
  });
});
