/**
 * Near-miss diagnosis of denied flows: which rule came closest, what differs, the edit when a
 * mistake is likelier than a missing policy, and a scaffold that allows the flow.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type DirectionDiagnosis,
  deniedByClusterTier,
  diagnoseFlow,
} from '../../src/engine/diagnose/flow-diagnosis.js';
import type { Cluster, Pod, Protocol, Suggestion } from '../../src/engine/index.js';
import {
  type Analysis,
  compileCluster,
  identifyingLabels,
  type ScaffoldRequest,
  scaffoldPolicies,
  validateNetworkPolicy,
  withPolicies,
} from '../../src/engine/index.js';
import { likelyTypo, selectorDifferences } from '../../src/engine/primitives/label-difference.js';
import { loadDemo } from '../../src/io/load-input.js';
import { diagnosisFixData } from '../../src/render/scaffold-command.js';
import { parseSelector as readSelector } from '../../src/syntax/selector-syntax.js';
import { analyseYaml, fixture } from '../helpers/load.js';
import { throwing } from '../helpers/parsed.js';
import { endpoint, flow, namespaceYaml, podYaml, policyYaml, stream } from '../helpers/scenario.js';

const parseSelector = throwing(readSelector);

/** A fix as check's JSON output gives it: the namespace and the template's arguments. */
const fixData = (fix: ScaffoldRequest | undefined) => fix && diagnosisFixData(fix);

/** Namespaces web (team=web) and ops (purpose=monitoring); a default-deny on web's ingress. */
const BASE = stream(
  namespaceYaml('web', { team: 'web' }),
  namespaceYaml('ops', { purpose: 'monitoring' }),
  podYaml('web/frontend', {
    labels: { app: 'frontend', 'pod-template-hash': '5d9f' },
    ips: ['10.0.0.1'],
  }),
  podYaml('web/api', {
    labels: { app: 'api', tier: 'backend' },
    ips: ['10.0.0.2'],
    ports: [{ name: 'http', port: 8080 }],
  }),
  podYaml('ops/prometheus', { labels: { app: 'prometheus' }, ips: ['10.0.1.1'] }),
  policyYaml('web/default-deny', 'podSelector: {}\npolicyTypes: [Ingress]'),
);

const cluster = (...policies: string[]): Analysis => analyseYaml(BASE, ...policies);

/** Ingress to web/api on a port, from a pod or address. */
const allowApi = (name: string, rule: string) =>
  policyYaml(
    `web/${name}`,
    `podSelector:\n  matchLabels: {app: api}\npolicyTypes: [Ingress]\ningress:\n${rule}`,
  );

function diagnose(
  analysis: Analysis,
  from: string,
  to: string,
  port: number,
  protocol: Protocol = 'TCP',
): DirectionDiagnosis[] {
  const verdict = flow(analysis, from, to, protocol, port);
  expect(verdict.allowed).toBe(false);
  return diagnoseFlow(analysis, endpoint(analysis, from), endpoint(analysis, to), verdict);
}

function only(diagnoses: DirectionDiagnosis[]): DirectionDiagnosis {
  expect(diagnoses).toHaveLength(1);
  return diagnoses[0] as DirectionDiagnosis;
}

/** The policies a diagnosis' fixes write, each checked as the API server would. */
function fixPolicies(diagnoses: readonly DirectionDiagnosis[]) {
  return diagnoses.flatMap((d) => {
    if (!d.fix) return [];
    const policies = scaffoldPolicies(d.fix);
    for (const policy of policies) {
      expect(validateNetworkPolicy(policy, { strictCidrs: true })).toEqual([]);
    }
    return policies;
  });
}

/** The cluster with the fixes of every diagnosed direction applied. */
function withFixes(analysis: Analysis, diagnoses: readonly DirectionDiagnosis[]): Analysis {
  return compileCluster(withPolicies(analysis.cluster, fixPolicies(diagnoses)));
}

/** The cluster with suggested edits made: selector terms rewritten, namespaces labelled. */
function withSuggestions(cluster: Cluster, suggestions: readonly Suggestion[]): Cluster {
  let edited = cluster;
  for (const s of suggestions) {
    if (s.kind === 'label-namespace') {
      edited = {
        ...edited,
        namespaces: edited.namespaces.map((ns) =>
          ns.name === s.namespace
            ? { ...ns, labels: { ...ns.labels, [s.label.key]: s.label.value } }
            : ns,
        ),
      };
      continue;
    }
    const rewrite = (matchLabels: Record<string, string>) => {
      const { [s.wanted.key]: _, ...rest } = matchLabels;
      return { ...rest, [s.actual.key]: s.actual.value };
    };
    const path =
      /^spec\.(ingress|egress)\[(\d+)\]\.(?:from|to)\[(\d+)\]\.(podSelector|namespaceSelector)$/.exec(
        s.field,
      );
    edited = {
      ...edited,
      policies: edited.policies.map((p) => {
        if (p.namespace !== s.policy.namespace || p.name !== s.policy.name) return p;
        if (!path)
          return {
            ...p,
            podSelector: { ...p.podSelector, matchLabels: rewrite(p.podSelector.matchLabels) },
          };
        const [, direction, rule, peer, selector] = path as unknown as [
          string,
          'ingress' | 'egress',
          string,
          string,
          'podSelector' | 'namespaceSelector',
        ];
        return {
          ...p,
          [direction]: p[direction].map((r, i) =>
            i !== Number(rule)
              ? r
              : {
                  ...r,
                  peers: r.peers.map((q, j) => {
                    const old = q[selector];
                    return j !== Number(peer) || !old
                      ? q
                      : { ...q, [selector]: { ...old, matchLabels: rewrite(old.matchLabels) } };
                  }),
                },
          ),
        };
      }),
    };
  }
  return edited;
}

describe('what differs, and how close', () => {
  it('a peer podSelector with another label: wanted tier=frontend, the source has app=frontend', () => {
    const analysis = cluster(
      allowApi('from-frontend', '- from:\n  - podSelector: {matchLabels: {tier: frontend}}'),
    );
    const [miss] = only(diagnose(analysis, 'web/frontend', 'web/api', 8080)).closest;
    expect(miss).toMatchObject({
      direction: 'ingress',
      policy: { namespace: 'web', name: 'from-frontend' },
      ruleIndex: 0,
      peerIndex: 0,
      differences: [
        {
          kind: 'pod-selector-matches-nothing',
          subject: 'web/frontend',
          labels: [
            {
              requirement: { key: 'tier', operator: 'In', values: ['frontend'] },
              actual: { key: 'app', value: 'frontend' },
              likelyTypo: false,
            },
          ],
        },
      ],
    });
  });

  it('a peer that matches with a port that does not is closer than a namespace that does not match', () => {
    const analysis = cluster(
      allowApi(
        'from-monitoring',
        '- from:\n  - namespaceSelector: {matchLabels: {team: observability}}\n  ports: [{port: 8081}]',
      ),
      allowApi('from-web-8080', '- from:\n  - podSelector: {}\n  ports: [{port: 8080}]'),
    );
    const { closest } = only(diagnose(analysis, 'web/frontend', 'web/api', 8081));
    expect(closest.map((m) => m.policy.name)).toEqual(['from-web-8080', 'from-monitoring']);
    expect(closest[0]?.differences).toEqual([
      { kind: 'port', portIndex: 0, protocol: 'TCP', from: 8080, to: 8080 },
    ]);
  });

  it('fewer failing terms is closer, and a typo is closer than another value', () => {
    const analysis = cluster(
      allowApi('two-terms', '- from:\n  - podSelector: {matchLabels: {app: web, tier: web}}'),
      allowApi('other-value', '- from:\n  - podSelector: {matchLabels: {app: backend}}'),
      allowApi('typo', '- from:\n  - podSelector: {matchLabels: {app: frontent}}'),
    );
    const { closest } = only(diagnose(analysis, 'web/frontend', 'web/api', 8080));
    expect(closest.map((m) => [m.policy.name, m.distance])).toEqual([
      ['typo', 1],
      ['other-value', 2],
      ['two-terms', 4],
    ]);
  });

  it('a namespace without the label, when other namespaces have it', () => {
    const analysis = cluster(
      allowApi('from-web-team', '- from:\n  - namespaceSelector: {matchLabels: {team: web}}'),
    );
    const [miss] = only(diagnose(analysis, 'ops/prometheus', 'web/api', 8080)).closest;
    expect(miss?.differences).toEqual([
      {
        kind: 'namespace-label-mismatch',
        subject: 'ops',
        selector: parseSelector('team=web'),
        labels: [
          {
            requirement: { key: 'team', operator: 'In', values: ['web'] },
            fromMatchLabels: true,
            likelyTypo: false,
          },
        ],
      },
    ]);
  });

  it('a namespaceSelector that matches no namespace: the namespace lacks the label', () => {
    const analysis = cluster(
      allowApi(
        'from-monitoring',
        '- from:\n  - namespaceSelector: {matchLabels: {purpose: observability}}\n    podSelector: {matchLabels: {app: prometheus}}',
      ),
    );
    const diagnosis = only(diagnose(analysis, 'ops/prometheus', 'web/api', 8080));
    expect(diagnosis.closest[0]?.differences).toMatchObject([
      {
        kind: 'namespace-selector-matches-nothing',
        subject: 'ops',
        labels: [{ actual: { key: 'purpose', value: 'monitoring' }, likelyTypo: false }],
      },
    ]);
    // The namespace has purpose=monitoring: relabelling it would break other selectors.
    expect(diagnosis.suggestions).toEqual([]);
  });

  it('every failing term of both selectors of a peer, not just the first', () => {
    const analysis = cluster(
      allowApi(
        'strict',
        '- from:\n  - namespaceSelector: {matchLabels: {team: ops}}\n    podSelector: {matchLabels: {app: grafana, role: scraper}}',
      ),
    );
    const [miss] = only(diagnose(analysis, 'ops/prometheus', 'web/api', 8080)).closest;
    expect(miss?.differences.map((d) => [d.kind, 'labels' in d ? d.labels.length : 0])).toEqual([
      ['namespace-selector-matches-nothing', 1],
      ['label-mismatch', 2],
    ]);
  });

  it('ports: another protocol, a named port the destination lacks, a named port elsewhere', () => {
    const analysis = cluster(
      allowApi('udp', '- ports: [{protocol: UDP, port: 8080}]'),
      allowApi('metrics', '- ports: [{port: metrics}]'),
      allowApi('http', '- ports: [{port: http}]'),
    );
    const { closest } = only(diagnose(analysis, 'web/frontend', 'web/api', 9090));
    expect(closest.map((m) => m.differences)).toEqual([
      [{ kind: 'named-port-missing', portIndex: 0, name: 'metrics', protocol: 'TCP' }],
      [{ kind: 'named-port-other', portIndex: 0, name: 'http', protocol: 'TCP', resolved: 8080 }],
      [{ kind: 'protocol', portIndex: 0, expected: 'UDP' }],
    ]);
  });

  it('a podSelector-only peer looks in its own namespace', () => {
    const analysis = cluster(
      allowApi('same-ns', '- from:\n  - podSelector: {matchLabels: {app: prometheus}}'),
    );
    const [miss] = only(diagnose(analysis, 'ops/prometheus', 'web/api', 8080)).closest;
    expect(miss?.differences).toEqual([
      { kind: 'other-namespace', peerIndex: 0, policyNamespace: 'web', namespace: 'ops' },
    ]);
  });

  it('addresses: outside the block, excepted, and a selector peer for an address', () => {
    const analysis = cluster(
      allowApi('cidr', '- from:\n  - ipBlock: {cidr: 192.0.2.0/24, except: [192.0.2.128/25]}'),
      allowApi('pods', '- from:\n  - podSelector: {}'),
    );
    expect(
      only(diagnose(analysis, '192.0.2.200', 'web/api', 8080)).closest[0]?.differences,
    ).toEqual([{ kind: 'excepted', peerIndex: 0, cidr: '192.0.2.0/24', except: '192.0.2.128/25' }]);
    const outside = only(diagnose(analysis, '198.51.100.1', 'web/api', 8080));
    expect(outside.closest.map((m) => m.differences[0]?.kind)).toEqual([
      'outside-cidr',
      'not-a-pod',
    ]);
    expect(fixData(outside.fix)?.args).toMatchObject({ fromCidr: '198.51.100.1/32' });
  });

  it('a policy whose podSelector is a typo away from the pod: fix the selector', () => {
    const analysis = cluster(
      policyYaml(
        'web/allow-to-api',
        'podSelector:\n  matchLabels: {tier: backnd}\ningress:\n- from:\n  - podSelector: {}',
      ),
    );
    const diagnosis = only(diagnose(analysis, 'web/frontend', 'web/api', 8080));
    expect(diagnosis.kind).toBe('no-rules');
    expect(diagnosis.closest[0]?.differences).toMatchObject([
      {
        kind: 'policy-selects-nothing',
        labels: [{ actual: { key: 'tier', value: 'backend' }, likelyTypo: true }],
      },
    ]);
    expect(diagnosis.suggestions).toEqual([
      {
        kind: 'edit-selector',
        policy: { namespace: 'web', name: 'allow-to-api' },
        field: 'spec.podSelector',
        wanted: { key: 'tier', value: 'backnd' },
        actual: { key: 'tier', value: 'backend' },
        // The typo may be the pod's: relabelling it is offered too (issue 13).
        pod: { kind: 'Pod', namespace: 'web', name: 'api' },
      },
    ]);
  });

  it('a policy for other pods is no near miss, unless the pod label is a typo of its selector', () => {
    const analysis = cluster(
      podYaml('web/frontend-2', { labels: { app: 'frontent' }, ips: ['10.0.0.3'] }),
      policyYaml(
        'web/allow-to-frontend',
        'podSelector:\n  matchLabels: {app: frontend}\ningress:\n- from:\n  - podSelector: {}',
      ),
    );
    expect(only(diagnose(analysis, 'web/frontend', 'web/api', 8080)).closest).toEqual([]);
    const typo = only(diagnose(analysis, 'web/api', 'web/frontend-2', 8080));
    expect(typo.closest[0]?.differences).toMatchObject([
      {
        kind: 'policy-selects-other-pods',
        labels: [{ actual: { key: 'app', value: 'frontent' }, likelyTypo: true }],
      },
    ]);
    // The selector is right for web/frontend: the pod's label is what to fix, not the policy.
    expect(typo.suggestions).toEqual([]);
  });

  it('only a default-deny: no rules, nothing close, and a fix', () => {
    const diagnosis = only(diagnose(cluster(), 'web/frontend', 'web/api', 8080));
    expect(diagnosis).toMatchObject({
      kind: 'no-rules',
      pod: 'web/api',
      closest: [],
      suggestions: [],
    });
    expect(fixData(diagnosis.fix)).toEqual({
      namespace: 'web',
      args: { template: 'allow', to: 'app=api', from: 'app=frontend', port: '8080/TCP' },
    });
  });
});

describe('DNS', () => {
  const DNS = stream(
    namespaceYaml('kube-system'),
    podYaml('kube-system/coredns-1', { labels: { 'k8s-app': 'kube-dns' }, ips: ['10.0.9.9'] }),
    podYaml('kube-system/nginx', {
      labels: { app: 'nginx' },
      ips: ['10.0.9.10'],
      ports: [{ port: 53, protocol: 'UDP' }],
    }),
    policyYaml('web/default-deny-egress', 'podSelector: {}\npolicyTypes: [Egress]'),
  );

  it('egress isolated without a rule to the cluster DNS: allow-dns in the source namespace', () => {
    const analysis = analyseYaml(BASE, DNS);
    const diagnosis = only(diagnose(analysis, 'web/frontend', 'kube-system/coredns-1', 53, 'UDP'));
    expect({ ...diagnosis, fix: fixData(diagnosis.fix) }).toMatchObject({
      direction: 'egress',
      kind: 'dns-egress-blocked',
      pod: 'web/frontend',
      fix: { namespace: 'web', args: { template: 'allow-dns' } },
    });
    expect(
      flow(withFixes(analysis, [diagnosis]), 'web/frontend', 'kube-system/coredns-1', 'UDP', 53)
        .allowed,
    ).toBe(true);
  });

  it('port 53 to a pod that is not the cluster DNS is an ordinary egress denial', () => {
    const analysis = analyseYaml(BASE, DNS);
    const diagnosis = only(diagnose(analysis, 'web/frontend', 'kube-system/nginx', 53, 'UDP'));
    expect(diagnosis.kind).toBe('no-rules');
    expect(fixData(diagnosis.fix)?.args).toMatchObject({
      template: 'allow',
      direction: 'egress',
      to: 'app=nginx',
    });
  });

  it('a taken default name gets a name of its own', () => {
    const analysis = analyseYaml(
      BASE,
      DNS,
      policyYaml(
        'web/allow-dns-egress',
        'podSelector: {matchLabels: {app: nothing}}\npolicyTypes: [Egress]',
      ),
    );
    const diagnosis = only(diagnose(analysis, 'web/frontend', 'kube-system/coredns-1', 53, 'UDP'));
    expect(fixData(diagnosis.fix)?.args).toEqual({
      template: 'allow-dns',
      name: 'allow-dns-egress-2',
    });
  });
});

describe('the demo cluster mistakes', () => {
  const demo = compileCluster(loadDemo().cluster);
  const NGINX = 'ingress-nginx/ingress-nginx-controller-6f79748cff-k8z2w';
  const FRONTEND = 'staging/web-frontend-7c8d9f6b5-kp4xz';
  const PROMETHEUS = 'monitoring/prometheus-k8s-0';
  const API = 'staging/api-6d5c8b7f9-fz2rq';

  it('app=web-frontent: the policy selects nothing; fix the selector, or scaffold an allow', () => {
    const diagnoses = diagnose(demo, NGINX, FRONTEND, 8080);
    const diagnosis = only(diagnoses);
    const policy = { namespace: 'staging', name: 'allow-ingress-controller-to-web-frontend' };
    expect(diagnosis.closest[0]).toMatchObject({ policy, ruleIndex: 0, distance: 2 });
    expect(diagnosis.suggestions).toEqual([
      {
        kind: 'edit-selector',
        policy,
        field: 'spec.podSelector',
        wanted: { key: 'app', value: 'web-frontent' },
        actual: { key: 'app', value: 'web-frontend' },
      },
    ]);
    expect(fixData(diagnosis.fix)).toEqual({
      namespace: 'staging',
      args: {
        template: 'allow',
        to: 'app.kubernetes.io/name=web-frontend',
        from: 'app.kubernetes.io/name=ingress-nginx',
        fromNamespace: 'ingress-nginx',
        port: '8080/TCP',
      },
    });
    const edited = compileCluster(withSuggestions(demo.cluster, diagnosis.suggestions));
    expect(flow(edited, NGINX, FRONTEND, 'TCP', 8080).allowed).toBe(true);
    expect(flow(withFixes(demo, diagnoses), NGINX, FRONTEND, 'TCP', 8080).allowed).toBe(true);
  });

  it('team=observability matches no namespace; label monitoring, or scaffold an allow', () => {
    const diagnoses = diagnose(demo, PROMETHEUS, API, 9090);
    const diagnosis = only(diagnoses);
    expect(diagnosis.closest[0]).toMatchObject({
      policy: { namespace: 'staging', name: 'allow-prometheus-scrape' },
      peerIndex: 0,
      differences: [{ kind: 'namespace-selector-matches-nothing', subject: 'monitoring' }],
    });
    expect(diagnosis.suggestions).toEqual([
      {
        kind: 'label-namespace',
        namespace: 'monitoring',
        label: { key: 'team', value: 'observability' },
      },
    ]);
    expect(fixData(diagnosis.fix)?.args).toEqual({
      template: 'allow',
      to: 'app.kubernetes.io/name=api',
      from: 'app.kubernetes.io/name=prometheus',
      fromNamespace: 'monitoring',
      port: '9090/TCP',
    });
    const edited = compileCluster(withSuggestions(demo.cluster, diagnosis.suggestions));
    expect(flow(edited, PROMETHEUS, API, 'TCP', 9090).allowed).toBe(true);
    expect(flow(withFixes(demo, diagnoses), PROMETHEUS, API, 'TCP', 9090).allowed).toBe(true);
  });
});

describe('a namespaceSelector value that spells the peer namespace’s name', () => {
  const nsName = (name: string, labels: Record<string, string> = {}) =>
    namespaceYaml(name, { 'kubernetes.io/metadata.name': name, ...labels });
  const analysis = analyseYaml(
    stream(
      nsName('namespace-a'),
      nsName('namespace-b', { ns: 'namespaceb' }),
      podYaml('namespace-a/nginx', { labels: { app: 'nginx' }, ips: ['10.0.0.106'] }),
      podYaml('namespace-b/nginx', { labels: { app: 'nginx' }, ips: ['10.0.0.165'] }),
      policyYaml(
        'namespace-b/nginx-ingress',
        'podSelector: {}\npolicyTypes: [Ingress]\ningress:\n- from:\n  - namespaceSelector:\n      matchLabels: {ns: namespacea}',
      ),
    ),
  );

  it('offers selecting it by kubernetes.io/metadata.name beside labelling it; each allows the flow', () => {
    const [suggestion] = only(
      diagnose(analysis, 'namespace-a/nginx', 'namespace-b/nginx', 80),
    ).suggestions;
    expect(suggestion).toEqual({
      kind: 'label-namespace',
      namespace: 'namespace-a',
      label: { key: 'ns', value: 'namespacea' },
      byName: {
        policy: { namespace: 'namespace-b', name: 'nginx-ingress' },
        field: 'spec.ingress[0].from[0].namespaceSelector',
        label: { key: 'kubernetes.io/metadata.name', value: 'namespace-a' },
      },
    });
    if (suggestion?.kind !== 'label-namespace' || !suggestion.byName) return;
    const labelled = compileCluster(withSuggestions(analysis.cluster, [suggestion]));
    expect(flow(labelled, 'namespace-a/nginx', 'namespace-b/nginx', 'TCP', 80).allowed).toBe(true);
    const { policy, field, label } = suggestion.byName;
    const byName: Suggestion = {
      kind: 'edit-selector',
      policy,
      field,
      wanted: suggestion.label,
      actual: label,
    };
    const selected = compileCluster(withSuggestions(analysis.cluster, [byName]));
    expect(flow(selected, 'namespace-a/nginx', 'namespace-b/nginx', 'TCP', 80).allowed).toBe(true);
  });

  it('offers no such selector when the wanted value names no namespace', () => {
    const team = analyseYaml(
      stream(
        nsName('ops'),
        podYaml('ops/prom', { ips: ['10.0.1.1'] }),
        podYaml('web/api', { ips: ['10.0.0.2'] }),
      ),
      policyYaml(
        'web/scrape',
        'podSelector: {}\npolicyTypes: [Ingress]\ningress:\n- from:\n  - namespaceSelector:\n      matchLabels: {team: observability}',
      ),
    );
    const [suggestion] = only(diagnose(team, 'ops/prom', 'web/api', 80)).suggestions;
    expect(suggestion).toEqual({
      kind: 'label-namespace',
      namespace: 'ops',
      label: { key: 'team', value: 'observability' },
    });
  });
});

describe('identifyingLabels', () => {
  const pod = (labels: Record<string, string>): Pod => ({
    id: 'ns/p',
    namespace: 'ns',
    name: 'p',
    kind: 'Pod',
    labels,
    ips: [],
    hostNetwork: false,
    ports: [],
  });

  it('prefers the application name label', () => {
    expect(
      identifyingLabels(pod({ app: 'web', 'app.kubernetes.io/name': 'shop-web', tier: 'x' })),
    ).toEqual({
      'app.kubernetes.io/name': 'shop-web',
    });
    expect(identifyingLabels(pod({ 'k8s-app': 'kube-dns', 'pod-template-hash': 'abc' }))).toEqual({
      'k8s-app': 'kube-dns',
    });
  });

  it('else every label but those controllers add per revision or replica', () => {
    expect(
      identifyingLabels(
        pod({
          role: 'db',
          'controller-revision-hash': 'db-7c9',
          'statefulset.kubernetes.io/pod-name': 'db-0',
        }),
      ),
    ).toEqual({ role: 'db' });
    expect(identifyingLabels(pod({ 'pod-template-hash': 'abc' }))).toEqual({});
  });
});

describe('typos', () => {
  it.each([
    ['web-frontent', 'web-frontend', true],
    ['frontend', 'Frontend', true],
    ['prometheus', 'promehteus', true],
    ['api', 'app', false],
    ['backend', 'frontend', false],
    ['observability', 'monitoring', false],
    // Names whose lengths differ by as many characters as the edits allowed, and by one more.
    ['metrics', 'metric', true],
    ['postgres', 'postgresql', true],
    ['postgres', 'postgresqlx', false],
    ['mysql', 'mysql-x', false],
  ])('%s / %s: %s', (a, b, expected) => {
    expect(likelyTypo(a, b)).toBe(expected);
  });

  it('a key a typo away with the wanted value is the label meant', () => {
    expect(selectorDifferences(parseSelector('tier=frontend'), { teir: 'frontend' })).toEqual([
      {
        requirement: { key: 'tier', operator: 'In', values: ['frontend'] },
        fromMatchLabels: true,
        actual: { key: 'teir', value: 'frontend' },
        likelyTypo: true,
      },
    ]);
  });
});

/** Every ordered pod pair, on the destination's first port (else 80), and a few addresses. */
function probes(analysis: Analysis): [string, string, Protocol, number][] {
  const ids = analysis.pods.map((p) => p.id);
  const portOf = (id: string) => {
    const first = analysis.pods[analysis.podIndex.get(id) ?? -1]?.ports[0];
    return first ? ([first.protocol, first.port] as const) : (['TCP', 80] as const);
  };
  return [
    ...ids.flatMap((from) =>
      ids.map((to): [string, string, Protocol, number] => [from, to, ...portOf(to)]),
    ),
    ...ids.flatMap((id): [string, string, Protocol, number][] => [
      ['192.0.2.1', id, ...portOf(id)],
      [id, '192.0.2.1', 'TCP', 443],
    ]),
  ];
}

const directions = ['egress', 'ingress'] as const;

describe('every fix makes its flow allowed (demo, shop, each upstream case)', () => {
  const clusters: [string, Analysis][] = [
    ['demo', compileCluster(loadDemo().cluster)],
    [
      'shop',
      analyseYaml(
        ...['namespaces.yaml', 'pods.yaml', 'workloads.yaml', 'policies.json'].map((f) =>
          fixture(`manifests/shop/${f}`),
        ),
      ),
    ],
    ...readdirSync(new URL('../fixtures/conformance/upstream-e2e/', import.meta.url))
      .filter((entry) => /^\d{3}-/.test(entry))
      .map((entry): [string, Analysis] => [
        `upstream ${entry}`,
        analyseYaml(
          fixture('conformance/upstream-e2e/model.yaml'),
          fixture(`conformance/upstream-e2e/${entry}/policies.yaml`),
        ),
      ]),
  ];

  const denied = new Map<string, number>();

  it.each(clusters)('%s', (name, analysis) => {
    denied.set(name, 0);
    for (const [from, to, protocol, port] of probes(analysis)) {
      const verdict = flow(analysis, from, to, protocol, port);
      if (verdict.allowed) continue;
      // The Admin tier decides before any NetworkPolicy: no policy written can allow that side.
      if (directions.some((d) => deniedByClusterTier(verdict[d], 'Admin'))) continue;
      denied.set(name, (denied.get(name) ?? 0) + 1);
      const diagnoses = diagnoseFlow(
        analysis,
        endpoint(analysis, from),
        endpoint(analysis, to),
        verdict,
      );
      expect(diagnoses.map((d) => d.direction)).toEqual(
        // A NetworkPolicy allowing the flow takes precedence over the Baseline tier.
        directions.filter(
          (d) => verdict[d].kind === 'denied' || deniedByClusterTier(verdict[d], 'Baseline'),
        ),
      );
      const fixed = withFixes(analysis, diagnoses);
      expect(
        flow(fixed, from, to, protocol, port).allowed,
        `${from} -> ${to} ${protocol} ${port}`,
      ).toBe(true);
      const suggestions = diagnoses.flatMap((d) => d.suggestions);
      if (suggestions.length > 0 && diagnoses.every((d) => d.suggestions.length > 0)) {
        const edited = compileCluster(withSuggestions(analysis.cluster, suggestions));
        expect(flow(edited, from, to, protocol, port).allowed).toBe(true);
      }
    }
  });

  it('probed many denied flows, in each corpus', () => {
    const count = (prefix: string) =>
      [...denied].filter(([name]) => name.startsWith(prefix)).reduce((sum, [, n]) => sum + n, 0);
    for (const prefix of ['demo', 'shop', 'upstream']) expect(count(prefix)).toBeGreaterThan(20);
  });
});
