import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import {
  compileCluster,
  isClusterPolicy,
  scaffoldedManifest,
  validateNetworkPolicy,
} from '../../src/engine/index.js';
import { loadDemo } from '../../src/io/load-input.js';
import { readNetworkPolicy } from '../../src/io/normalize/normalize-policy.js';
import { WIZARD_TEMPLATES, type WizardState, wizardPolicies } from '../../src/ui/wizard.js';
import {
  type WizardStart,
  wizardForCheck,
  wizardForNamespace,
  wizardForPod,
} from '../../src/ui/wizard-prefill.js';
import type { CliRun } from '../helpers/cli.js';
import { spawnCollected } from '../helpers/spawn-collected.js';
import { describeOnCluster, type TestCluster } from './test-cluster.js';

/** The namespace the dry runs and the validation table use. */
const NS = 'scaffold';
/** The namespace of the live apply scenario. */
const LIVE = 'scaffold-live';

/** Template invocations (everything after `kubectl netpol scaffold`), each with its policy names. */
const TEMPLATE_CASES: [string, string[], string[]][] = [
  ['default-deny (both)', ['default-deny'], ['default-deny-all']],
  ['default-deny ingress', ['default-deny', '--direction', 'ingress'], ['default-deny-ingress']],
  ['default-deny egress', ['default-deny', '--direction', 'egress'], ['default-deny-egress']],
  [
    'default-deny both --allow-dns',
    ['default-deny', '--direction', 'both', '--allow-dns'],
    ['default-deny-all', 'allow-dns-egress'],
  ],
  [
    'default-deny egress --allow-dns',
    ['default-deny', '--direction', 'egress', '--allow-dns'],
    ['default-deny-egress', 'allow-dns-egress'],
  ],
  [
    'allow ingress, pod peer, numbered port',
    ['allow', '--to', 'app=api', '--from', 'app=web', '--port', '8080/TCP'],
    ['allow-api-ingress-from-web-8080'],
  ],
  [
    'allow ingress from anyone on every port',
    ['allow', '--to', 'app=api', '--name', 'allow-anyone'],
    ['allow-anyone'],
  ],
  [
    'allow egress to a CIDR with excepts',
    [
      'allow',
      '--direction',
      'egress',
      '--from',
      'app=api',
      '--to-cidr',
      '10.0.0.0/8',
      '--except',
      '10.1.0.0/16',
      '--except',
      '10.2.3.0/24',
      '--port',
      '443',
    ],
    ['allow-api-egress-to-10.0.0.0-8-443'],
  ],
  [
    'allow ingress from an IPv6 CIDR with an except',
    ['allow', '--to', 'app=api', '--from-cidr', '2001:db8::/32', '--except', '2001:db8:1::/48'],
    ['allow-api-ingress-from-2001-db8-32'],
  ],
  [
    'allow ingress, namespace by name, named port',
    ['allow', '--to', 'app=api', '--from-namespace', 'kube-system', '--port', 'http/TCP'],
    ['allow-api-ingress-from-kube-system-http'],
  ],
  [
    'allow ingress, namespace by selector and pods, port range',
    [
      'allow',
      '--to',
      'app=api',
      '--from-namespace',
      'team=a,env in (prod,staging)',
      '--from',
      'role=client,tier!=debug',
      '--port',
      '8000-8100/UDP',
    ],
    ['allow-api-ingress-from-a-prod-staging-client-debug-8000-8100'],
  ],
  [
    'allow egress, namespace by name, protocol-only ports',
    [
      'allow',
      '--direction',
      'egress',
      '--from',
      'app=api',
      '--to-namespace',
      'other',
      '--port',
      'UDP',
      '--port',
      'SCTP',
      '--port',
      '53/UDP',
    ],
    ['allow-api-egress-to-other-udp-sctp-53'],
  ],
  [
    'allow egress, namespace selector with exists/not-exists',
    [
      'allow',
      '--direction',
      'egress',
      '--from',
      'app=api',
      '--to-namespace',
      'team,!legacy',
      '--to',
      'app in (db,cache)',
      '--port',
      '5432',
      '--port',
      'redis/TCP',
    ],
    ['allow-api-egress-to-team-legacy-db-cache-5432-redis'],
  ],
  ['allow-dns', ['allow-dns'], ['allow-dns-egress']],
  ['allow-dns --pods', ['allow-dns', '--pods', 'app=api'], ['allow-api-dns-egress']],
  ['allow-same-namespace', ['allow-same-namespace'], ['allow-same-namespace']],
  [
    'allow-same-namespace --pods',
    ['allow-same-namespace', '--pods', 'app=api'],
    ['allow-same-namespace-to-api'],
  ],
  [
    'allow-ingress-controller (defaults)',
    ['allow-ingress-controller', '--to', 'app=web'],
    ['allow-ingress-controller-to-web'],
  ],
  [
    'allow-ingress-controller with namespace, pods and ports',
    [
      'allow-ingress-controller',
      '--to',
      'app=web',
      '--controller-namespace',
      'ingress',
      '--controller-pods',
      'app.kubernetes.io/name=ingress-nginx',
      '--port',
      '80',
      '--port',
      '443/TCP',
    ],
    ['allow-ingress-controller-to-web'],
  ],
  [
    'allow-monitoring (defaults)',
    ['allow-monitoring', '--to', 'app=web'],
    ['allow-monitoring-to-web'],
  ],
  [
    'allow-monitoring, namespace selector, scraper, named port',
    [
      'allow-monitoring',
      '--to',
      'app=web',
      '--monitoring-namespace',
      'purpose=monitoring',
      '--scraper',
      'app.kubernetes.io/name=prometheus',
      '--port',
      'metrics/TCP',
      '--port',
      '9090',
    ],
    ['allow-monitoring-to-web'],
  ],
];

type Manifest = Record<string, unknown>;

/** A NetworkPolicy manifest in NS with the given spec. */
function np(name: string, spec: Manifest): Manifest {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: NS },
    spec,
  };
}
const ALL = {};
const ingressFrom = (peer: Manifest, ports?: Manifest[]) => ({
  podSelector: ALL,
  ingress: [{ from: [peer], ...(ports ? { ports } : {}) }],
});
const ingressPorts = (...ports: Manifest[]) => ({ podSelector: ALL, ingress: [{ ports }] });
const ipBlock = (cidr: string, except?: string[]) => ({
  ipBlock: { cidr, ...(except ? { except } : {}) },
});
const podsWhere = (expression: Manifest) => ({
  podSelector: { matchExpressions: [expression] },
});

/** [description, manifest, valid?]: what the API server is expected to say. */
const VALIDATION_CASES: [string, Manifest, boolean][] = [
  // Invalid.
  ['bad CIDR (prefix 33)', np('bad-cidr', ingressFrom(ipBlock('10.0.0.0/33'))), false],
  ['CIDR without a prefix', np('cidr-no-prefix', ingressFrom(ipBlock('10.0.0.0'))), false],
  [
    'except outside cidr',
    np('except-outside', ingressFrom(ipBlock('10.0.0.0/16', ['192.168.0.0/24']))),
    false,
  ],
  [
    'except equal to cidr',
    np('except-equal', ingressFrom(ipBlock('10.0.0.0/16', ['10.0.0.0/16']))),
    false,
  ],
  [
    'endPort < port',
    np('endport-below', ingressPorts({ protocol: 'TCP', port: 8080, endPort: 80 })),
    false,
  ],
  [
    'endPort with a named port',
    np('endport-named', ingressPorts({ protocol: 'TCP', port: 'http', endPort: 90 })),
    false,
  ],
  ['endPort without port', np('endport-alone', ingressPorts({ endPort: 90 })), false],
  [
    'endPort 65536',
    np('endport-big', ingressPorts({ protocol: 'TCP', port: 80, endPort: 65536 })),
    false,
  ],
  ['port 0', np('port-zero', ingressPorts({ protocol: 'TCP', port: 0 })), false],
  ['port 65536', np('port-big', ingressPorts({ protocol: 'TCP', port: 65536 })), false],
  ['port name "80"', np('port-name-digits', ingressPorts({ port: '80' })), false],
  ['port name "http--x"', np('port-name-hyphens', ingressPorts({ port: 'http--x' })), false],
  [
    'port name of 16 characters',
    np('port-name-long', ingressPorts({ port: 'abcdefghijklmnop' })),
    false,
  ],
  ['port name "HTTP"', np('port-name-upper', ingressPorts({ port: 'HTTP' })), false],
  ['protocol ICMP', np('protocol-icmp', ingressPorts({ protocol: 'ICMP', port: 80 })), false],
  ['protocol "tcp"', np('protocol-lower', ingressPorts({ protocol: 'tcp', port: 80 })), false],
  [
    'operator Equals',
    np('op-equals', ingressFrom(podsWhere({ key: 'app', operator: 'Equals', values: ['a'] }))),
    false,
  ],
  [
    'In without values',
    np('in-no-values', ingressFrom(podsWhere({ key: 'app', operator: 'In' }))),
    false,
  ],
  [
    'Exists with values',
    np('exists-values', {
      podSelector: { matchExpressions: [{ key: 'app', operator: 'Exists', values: ['a'] }] },
    }),
    false,
  ],
  ['invalid label key', np('bad-key', { podSelector: { matchLabels: { '-app': 'web' } } }), false],
  [
    'invalid label key prefix',
    np('bad-key-prefix', ingressFrom({ namespaceSelector: { matchLabels: { 'Ex.com/a': 'b' } } })),
    false,
  ],
  [
    'invalid label value',
    np('bad-value', ingressFrom({ podSelector: { matchLabels: { app: 'web server' } } })),
    false,
  ],
  [
    'label value of 64 characters',
    np('long-value', { podSelector: { matchLabels: { app: 'a'.repeat(64) } } }),
    false,
  ],
  [
    'ipBlock together with podSelector',
    np('ipblock-and-pods', ingressFrom({ ...ipBlock('10.0.0.0/8'), podSelector: ALL })),
    false,
  ],
  ['an empty peer {}', np('empty-peer', ingressFrom({})), false],
  ['bad policy name', np('Bad_Name', { podSelector: ALL }), false],
  [
    'unknown policyType',
    np('bad-policy-type', { podSelector: ALL, policyTypes: ['Ingress', 'Sideways'] }),
    false,
  ],
  // Valid.
  [
    'default-deny all',
    np('ok-deny', { podSelector: ALL, policyTypes: ['Ingress', 'Egress'] }),
    true,
  ],
  [
    'CIDR with excepts (IPv4 and IPv6)',
    np('ok-cidr', {
      podSelector: { matchLabels: { app: 'api' } },
      egress: [
        {
          to: [
            ipBlock('0.0.0.0/0', ['10.0.0.0/8', '192.168.0.0/16']),
            ipBlock('2001:db8::/32', ['2001:db8:1::/48']),
          ],
        },
      ],
      policyTypes: ['Egress'],
    }),
    true,
  ],
  [
    'ports: range, endPort == port, named, protocol only, empty',
    np(
      'ok-ports',
      ingressPorts(
        { protocol: 'UDP', port: 8000, endPort: 8100 },
        { protocol: 'TCP', port: 9000, endPort: 9000 },
        { protocol: 'TCP', port: 'metrics-15chars' },
        { protocol: 'SCTP' },
        {},
      ),
    ),
    true,
  ],
  [
    'expressions, prefixed keys, namespace and pod selector together',
    np(
      'ok.selectors',
      ingressFrom({
        namespaceSelector: {
          matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' },
          matchExpressions: [{ key: 'team', operator: 'Exists' }],
        },
        podSelector: {
          matchLabels: { 'app.kubernetes.io/name': 'a'.repeat(63) },
          matchExpressions: [
            { key: 'tier', operator: 'NotIn', values: ['debug', ''] },
            { key: 'legacy', operator: 'DoesNotExist' },
          ],
        },
      }),
    ),
    true,
  ],
  [
    'peers without ports and ports without peers, both directions',
    np('ok-both', {
      podSelector: ALL,
      ingress: [{ from: [{ podSelector: ALL }] }, {}],
      egress: [{ ports: [{ protocol: 'UDP', port: 53 }] }],
    }),
    true,
  ],
];

/**
 * CIDR spellings the API server (v1.37, strict IP/CIDR validation) judges by their form, not only
 * by the addresses they denote: [description, manifest, valid?].
 */
const CIDR_FORM_CASES: [string, Manifest, boolean][] = [
  ['IPv4 cidr with host bits set', np('host-bits-4', ingressFrom(ipBlock('10.0.0.1/8'))), false],
  [
    'IPv6 cidr with host bits set',
    np('host-bits-6', ingressFrom(ipBlock('2001:db8::1/32'))),
    false,
  ],
  [
    'except with host bits set',
    np('except-host-bits', ingressFrom(ipBlock('10.0.0.0/8', ['10.1.2.3/16']))),
    false,
  ],
  ['prefix length with a leading 0', np('prefix-zero', ingressFrom(ipBlock('10.0.0.0/08'))), false],
  [
    'except prefix length with a leading 0',
    np('except-prefix-zero', ingressFrom(ipBlock('10.0.0.0/8', ['10.0.0.1/032']))),
    false,
  ],
  ['octet with a leading 0', np('octet-zero', ingressFrom(ipBlock('010.0.0.0/8'))), false],
  ['IPv4-mapped IPv6 cidr', np('v4-mapped', ingressFrom(ipBlock('::ffff:10.0.0.0/104'))), false],
  // Accepted, with a warning that the value is not in canonical form.
  [
    'IPv6 in upper case with a leading 0',
    np('v6-upper', ingressFrom(ipBlock('2001:0DB8::/32'))),
    true,
  ],
  [
    'IPv6 with a dotted IPv4 tail (not mapped)',
    np('v6-dotted', ingressFrom(ipBlock('::10.0.0.0/104'))),
    true,
  ],
];

/** A JSON file in dir with a fresh name. */
function writeJson(dir: string, stem: string, object: unknown): string {
  const file = join(dir, `${stem}-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(object));
  return file;
}

/** Runs kubectl without waiting, so independent runs overlap (each plugin start costs ~1 s). */
function kubectlAsync(cluster: TestCluster, args: readonly string[]): Promise<CliRun> {
  return spawnCollected('kubectl', args, { env: cluster.env(), timeout: 120_000 });
}

/** Maps items through fn with at most `limit` calls in flight, keeping the order. */
async function inParallel<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** How many kubectl runs overlap. */
const PARALLEL = 4;

describeOnCluster(
  'kubectl netpol scaffold against a real kube-apiserver',
  (cluster) => {
    cluster.applyYaml(`apiVersion: v1
kind: Namespace
metadata: {name: ${NS}}
---
apiVersion: v1
kind: Namespace
metadata: {name: ${LIVE}}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: ${LIVE}, labels: {app: web}}
spec:
  containers: [{name: web, image: web}]
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: ${LIVE}, labels: {app: api}}
spec:
  containers:
  - name: api
    image: api
    ports: [{name: http, containerPort: 8080, protocol: TCP}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny-ingress, namespace: ${LIVE}}
spec:
  podSelector: {}
  policyTypes: [Ingress]
`);
    cluster.setPodIp(LIVE, 'web', '10.244.1.10');
    cluster.setPodIp(LIVE, 'api', '10.244.1.11');
  },
  (cluster) => {
    const scaffold = (...args: string[]) => cluster.kubectl(['netpol', 'scaffold', ...args]);
    const exists = (namespace: string, name: string) =>
      cluster.kubectl(['get', 'networkpolicy', name, '-n', namespace]).exitCode === 0;

    /** Each case judged by validateNetworkPolicy and by the API server; the disagreements. */
    async function parity(cases: readonly [string, Manifest, boolean][]) {
      const verdict = (accepts: boolean) => (accepts ? 'accepts' : 'rejects');
      const judged = await inParallel(cases, PARALLEL, async ([what, manifest, valid]) => {
        const metadata = manifest.metadata as { name: string; namespace: string };
        // New objects: the strict checks the scaffold applies (reading a cluster is lenient).
        const read = readNetworkPolicy(manifest, metadata.name, metadata.namespace);
        const ours = {
          errors: read.policy
            ? validateNetworkPolicy(read.policy, { strictCidrs: true })
            : read.errors,
        };
        const oursAccepts = ours.errors.length === 0;
        const file = writeJson(cluster.dir, 'validate', manifest);
        const server = await kubectlAsync(cluster, ['apply', '--dry-run=server', '-f', file]);
        const serverAccepts = server.exitCode === 0;
        const serverSays = (server.exitCode === 0 ? server.stdout : server.stderr).trim();
        const oursSays =
          ours.errors.map((e) => `${e.field}: ${e.message}`).join('; ') || 'no errors';
        return {
          disagreement:
            oursAccepts === serverAccepts
              ? undefined
              : `${what}: API server ${verdict(serverAccepts)} (${serverSays}); validateNetworkPolicy ${verdict(oursAccepts)} (${oursSays})\n    input spec: ${JSON.stringify(manifest.spec)}`,
          mislabelled:
            serverAccepts === valid
              ? undefined
              : `${what}: the table says the API server ${verdict(valid)}, it ${verdict(serverAccepts)}: ${serverSays}`,
        };
      });
      return {
        disagreements: judged.flatMap((j) => (j.disagreement ? [j.disagreement] : [])),
        mislabelled: judged.flatMap((j) => (j.mislabelled ? [j.mislabelled] : [])),
      };
    }

    it('has every template accepted by the API server (--dry-run=server)', async () => {
      const runs = await inParallel(TEMPLATE_CASES, PARALLEL, ([, args]) =>
        kubectlAsync(cluster, [
          'netpol',
          'scaffold',
          ...args,
          '-n',
          NS,
          '--dry-run=server',
          '-o',
          'json',
        ]),
      );
      const failures = TEMPLATE_CASES.flatMap(([what, args, names], i) => {
        const run = runs[i] as CliRun;
        const accepted = names.map(
          (name) => `server dry run accepted: networkpolicy ${NS}/${name}`,
        );
        if (run.exitCode !== 0 || accepted.some((line) => !run.stderr.includes(line))) {
          return [`${what} (scaffold ${args.join(' ')}): exit ${run.exitCode}\n${run.stderr}`];
        }
        // What was printed is what was sent: one object, or a List of them.
        const printed = JSON.parse(run.stdout) as Manifest & { items?: Manifest[] };
        const objects = printed.kind === 'List' ? (printed.items ?? []) : [printed];
        const printedNames = objects.map((o) => (o.metadata as { name: string }).name);
        return printedNames.join() === names.join()
          ? []
          : [`${what}: printed ${printedNames.join()}, expected ${names.join()}`];
      });
      expect(failures, failures.join('\n\n')).toEqual([]);
      // A dry run stores nothing.
      expect(cluster.mustKubectl(['get', 'networkpolicy', '-n', NS, '-o', 'name'])).toBe('');
    }, 60_000);

    it('has the policies the TUI wizard builds from the demo accepted by the API server', () => {
      const demo = compileCluster(loadDemo().cluster);
      const starts: WizardStart[] = [
        ...WIZARD_TEMPLATES.map((t) => ({
          ...wizardForNamespace('production'),
          wizard: { templateId: t.id, values: {}, focus: 0 },
        })),
        ...demo.pods.map((pod) => wizardForPod(pod)),
        ...demo.pods.flatMap((from) =>
          demo.pods.slice(0, 8).map((to) => {
            const port = `${to.ports[0]?.port ?? 80}`;
            const question = {
              source: from.id,
              destination: to.id,
              port,
              protocol: 'TCP' as const,
            };
            return wizardForCheck(
              demo,
              { ...question, focus: 'result', submitted: 1, asked: question },
              'default',
            );
          }),
        ),
      ];
      // Values a user types, on top of the prefills: ranges, names, CIDRs with excepts.
      const typed: WizardState['values'][] = [
        { port: '8000-8100/TCP, http/TCP, UDP' },
        { fromCidr: '10.0.0.0/8', except: '10.1.0.0/16, 10.2.0.0/16' },
        { toCidr: '2001:db8::/32' },
        { fromNamespace: 'team in (a,b),!legacy', from: 'tier notin (db)' },
      ];
      const manifests = starts.flatMap(({ wizard }, i) => {
        const values = { ...wizard.values, ...typed[i % typed.length], namespace: NS };
        // The other side's fix, written with the form's, goes to the test's namespace too.
        const companions = wizard.companions?.map((c) => ({ ...c, namespace: NS })) ?? [];
        const { policies, error } = wizardPolicies({ ...wizard, values, companions });
        // Cluster policies need the CRD: they are dry-run below, once it is installed.
        const networkPolicies = (policies ?? []).filter((policy) => !isClusterPolicy(policy));
        return error ? [] : networkPolicies.map(scaffoldedManifest);
      });
      expect(manifests.length).toBeGreaterThan(200);
      const file = writeJson(cluster.dir, 'wizard', {
        apiVersion: 'v1',
        kind: 'List',
        items: manifests,
      });
      const run = cluster.kubectl(['create', '--dry-run=server', '-f', file]);
      expect(run.stderr).toBe('');
      expect(run.exitCode).toBe(0);
      expect(run.stdout.trim().split('\n')).toHaveLength(manifests.length);
    }, 60_000);

    it('judges NetworkPolicies as the API server does (validateNetworkPolicy vs apply --dry-run=server)', async () => {
      const { disagreements, mislabelled } = await parity(VALIDATION_CASES);
      expect(disagreements, `disagreements:\n${disagreements.join('\n')}`).toEqual([]);
      // The table itself is right: each case is valid or invalid as labelled.
      expect(mislabelled, mislabelled.join('\n')).toEqual([]);
    }, 60_000);

    it('judges the form of CIDRs as the API server does (host bits, leading zeros, IPv4 in IPv6)', async () => {
      const { disagreements, mislabelled } = await parity(CIDR_FORM_CASES);
      expect(disagreements, `disagreements:\n${disagreements.join('\n')}`).toEqual([]);
      expect(mislabelled, mislabelled.join('\n')).toEqual([]);
    }, 60_000);

    it('applies a policy for real, and the failing check then passes', () => {
      const check = () =>
        cluster.kubectl(['netpol', 'check', 'pod/web', 'pod/api', '-n', LIVE, '--port', '8080']);
      const before = check();
      expect(before.exitCode, before.stdout + before.stderr).toBe(1);

      const args = [
        'allow',
        '-n',
        LIVE,
        '--to',
        'app=api',
        '--from',
        'app=web',
        '--port',
        '8080/TCP',
      ];
      const applied = scaffold(...args, '--apply', '--yes');
      expect(applied.exitCode, applied.stderr).toBe(0);
      expect(applied.stderr).toContain(
        `server dry run accepted: networkpolicy ${LIVE}/allow-api-ingress-from-web-8080`,
      );
      expect(applied.stderr).toContain(
        `created: networkpolicy ${LIVE}/allow-api-ingress-from-web-8080`,
      );
      expect(exists(LIVE, 'allow-api-ingress-from-web-8080')).toBe(true);

      const after = check();
      expect(after.exitCode, after.stdout + after.stderr).toBe(0);

      // Applying the same policy again changes nothing, and says so.
      const again = scaffold(...args, '--apply', '--yes');
      expect(again.exitCode, again.stderr).toBe(0);
      expect(again.stderr).toContain(
        `applied (unchanged): networkpolicy ${LIVE}/allow-api-ingress-from-web-8080`,
      );
    }, 30_000);

    it('applies an audit rewrite of an existing policy: shows the diff, then updates it', () => {
      // Written by kubectl (another field manager), admitting web on the wrong port.
      cluster.applyYaml(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-web-to-api, namespace: ${LIVE}}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Ingress]
  ingress:
  - from: [{podSelector: {matchLabels: {app: web}}}]
    ports: [{port: 9090, protocol: TCP}]
`);
      const rewrite = [
        'allow',
        '-n',
        LIVE,
        '--name',
        'allow-web-to-api',
        '--to',
        'app=api',
        '--from',
        'app=web',
        '--port',
        '8081/TCP',
        '--apply',
        '--yes',
      ];
      const port = () =>
        cluster.mustKubectl([
          'get',
          'networkpolicy',
          'allow-web-to-api',
          '-n',
          LIVE,
          '-o',
          'jsonpath={.spec.ingress[0].ports[0].port}',
        ]);
      // The fields kubectl owns conflict: the conflict is shown and nothing is written.
      const conflict = scaffold(...rewrite);
      expect(conflict.exitCode, conflict.stderr).toBe(2);
      expect(conflict.stderr).toMatch(
        /networkpolicy scaffold-live\/allow-web-to-api: conflict: .*conflict/i,
      );
      expect(conflict.stderr).toContain('--force-conflicts');
      expect(port()).toBe('9090');

      const updated = scaffold(...rewrite, '--force-conflicts');
      expect(updated.exitCode, updated.stderr).toBe(0);
      expect(updated.stderr).toContain(`changed networkpolicy ${LIVE}/allow-web-to-api`);
      expect(updated.stderr).toMatch(/opened +scaffold-live\/web +scaffold-live\/api +TCP 8081/);
      expect(updated.stderr).toMatch(/closed +scaffold-live\/web +scaffold-live\/api +TCP 9090/);
      expect(updated.stderr).toContain('-       - port: 9090');
      expect(updated.stderr).toContain(`changed: networkpolicy ${LIVE}/allow-web-to-api`);
      expect(port()).toBe('8081');
      const managers = cluster.mustKubectl([
        'get',
        'networkpolicy',
        'allow-web-to-api',
        '-n',
        LIVE,
        '--show-managed-fields',
        '-o',
        'jsonpath={.metadata.managedFields[*].manager}',
      ]);
      expect(managers).toContain('kubectl-netpol');
    }, 60_000);

    it('does not apply without --yes and without a terminal, nor with --read-only', () => {
      // cluster.kubectl gives the plugin a pipe, not a terminal, for stdin and stdout.
      const args = ['allow', '-n', LIVE, '--to', 'app=web', '--name', 'not-confirmed'];
      const unconfirmed = scaffold(...args, '--apply');
      expect(unconfirmed.exitCode).toBe(2);
      expect(unconfirmed.stderr).toContain('--yes');
      expect(unconfirmed.stderr).not.toContain('created:');
      expect(exists(LIVE, 'not-confirmed')).toBe(false);

      const readOnly = scaffold(...args, '--read-only', '--apply', '--yes');
      expect(readOnly.exitCode).toBe(2);
      expect(readOnly.stderr).toContain('--read-only');
      expect(readOnly.stderr).not.toContain('accepted');
      expect(exists(LIVE, 'not-confirmed')).toBe(false);
    }, 30_000);

    it('saves the YAML, never overwrites it without --force, and overwrites with it', () => {
      const file = join(cluster.dir, 'deny.yaml');
      const first = scaffold('default-deny', '-n', NS, '--allow-dns', '--save', file);
      expect(first.exitCode, first.stderr).toBe(0);
      expect(first.stderr).toContain(`saved ${file}`);
      const saved = readFileSync(file, 'utf8');
      expect(saved).toBe(first.stdout);
      const docs = parseAllDocuments(saved).map((doc) => doc.toJS() as Manifest);
      expect(docs.map((d) => `${d.kind}/${(d.metadata as { name: string }).name}`)).toEqual([
        'NetworkPolicy/default-deny-all',
        'NetworkPolicy/allow-dns-egress',
      ]);
      const server = cluster.kubectl(['apply', '--dry-run=server', '-f', file]);
      expect(server.exitCode, server.stderr).toBe(0);
      expect(server.stdout).toContain('networkpolicy.networking.k8s.io/default-deny-all created');
      expect(server.stdout).toContain('networkpolicy.networking.k8s.io/allow-dns-egress created');

      const other = ['allow-same-namespace', '-n', NS, '--save', file];
      const second = scaffold(...other);
      expect(second.exitCode).toBe(2);
      expect(second.stderr).toContain(`error: ${file} already exists`);
      expect(readFileSync(file, 'utf8')).toBe(saved);

      const forced = scaffold(...other, '--force');
      expect(forced.exitCode, forced.stderr).toBe(0);
      const overwritten = readFileSync(file, 'utf8');
      expect(overwritten).toBe(forced.stdout);
      expect((parse(overwritten) as { metadata: { name: string } }).metadata.name).toBe(
        'allow-same-namespace',
      );
      // No temporary files are left beside it.
      expect(readdirSync(cluster.dir).filter((f) => f.startsWith('.deny.yaml'))).toEqual([]);
    }, 30_000);

    it('rejects an unparsable --port or selector with one error line, not a crash', async () => {
      const cases: [string[], string][] = [
        [['allow', '--to', 'app=api', '--port', '80/TCP/x'], '80/TCP/x'],
        [['allow', '--to', 'app=api', '--from', 'app in (a'], 'app in (a'],
        [['allow-monitoring', '--to', 'app=web', '--monitoring-namespace', 'a b'], 'a b'],
      ];
      const runs = await inParallel(cases, PARALLEL, ([args]) =>
        kubectlAsync(cluster, ['netpol', 'scaffold', ...args, '-n', NS]),
      );
      const failures = cases.flatMap(([args, named], i) => {
        const run = runs[i] as CliRun;
        const lines = run.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
        const ok =
          run.exitCode === 2 &&
          lines.length === 1 &&
          lines[0]?.startsWith('error: ') &&
          lines[0].includes(named);
        return ok ? [] : [`scaffold ${args.join(' ')}: exit ${run.exitCode}\n${run.stderr}`];
      });
      expect(failures, failures.join('\n\n')).toEqual([]);
    }, 30_000);

    describe('cluster policy templates', () => {
      it('say the CRD is missing when the cluster does not serve ClusterNetworkPolicy', () => {
        const run = scaffold('admin-deny', '-n', LIVE, '--apply', '--yes');
        expect(run.exitCode).toBe(2);
        expect(run.stderr).toContain(
          'error: ClusterNetworkPolicy is not installed on this cluster\n',
        );
        expect(run.stderr).not.toContain('created:');
      });

      describe('with the ClusterNetworkPolicy CRD installed', () => {
        beforeAll(() => cluster.installCrds('cluster-network-policy'), 5 * 60_000);

        it('has every variant accepted by the API server (dry run)', async () => {
          const cases: [string[], string][] = [
            [['baseline-deny'], 'baseline-deny-scaffold'],
            [
              ['baseline-deny', '--direction', 'egress', '--allow-dns'],
              'baseline-deny-scaffold-egress',
            ],
            [
              ['baseline-deny', '--direction', 'ingress', '--priority', '0'],
              'baseline-deny-scaffold-ingress',
            ],
            [['admin-deny', '--priority', '1000'], 'admin-deny-scaffold-ingress'],
            [
              [
                'admin-deny',
                '--direction',
                'both',
                '--allow-dns',
                '--from-namespace',
                'team in (a,b)',
                '--to-namespace',
                'other',
              ],
              'admin-deny-scaffold',
            ],
          ];
          const runs = await inParallel(cases, PARALLEL, ([args]) =>
            kubectlAsync(cluster, ['netpol', 'scaffold', ...args, '-n', NS, '--dry-run=server']),
          );
          const failures = cases.flatMap(([args, name], i) => {
            const run = runs[i] as CliRun;
            const accepted = `server dry run accepted: clusternetworkpolicy ${name}\n`;
            return run.exitCode === 0 && run.stderr.includes(accepted)
              ? []
              : [`scaffold ${args.join(' ')}: exit ${run.exitCode}\n${run.stderr}`];
          });
          expect(failures, failures.join('\n\n')).toEqual([]);
        }, 60_000);

        it('applies an Admin deny, and the check it denies names it', () => {
          const check = () =>
            cluster.kubectl([
              'netpol',
              'check',
              'pod/web',
              'pod/api',
              '-n',
              LIVE,
              '--port',
              '8080',
            ]);
          expect(check().exitCode).toBe(0); // allowed by the policy applied above
          const name = `admin-deny-${LIVE}-ingress`;
          const applied = scaffold(
            'admin-deny',
            '-n',
            LIVE,
            '--from-namespace',
            LIVE,
            '--apply',
            '--yes',
          );
          expect(applied.exitCode, applied.stderr).toBe(0);
          expect(applied.stderr).toContain(`created: clusternetworkpolicy ${name}\n`);
          const after = check();
          expect(after.exitCode, after.stdout + after.stderr).toBe(1);
          expect(after.stdout).toContain(`cnp/${name}`);
        }, 30_000);
      });
    });
  },
);
