import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { describeOnCluster } from './test-cluster.js';
import { watchUntil } from './watch-until.js';

const CONFORMANCE = 'test/fixtures/conformance/upstream-e2e';
const read = (path: string) => readFileSync(join(CONFORMANCE, path), 'utf8');

interface Probe {
  port: number;
  protocol: 'TCP' | 'UDP' | 'SCTP';
  allowed: [string, string][];
}
interface MatrixJson {
  pods: { id: string }[];
  pairs: {
    from: string;
    to: string;
    allowed: { protocol: string; ranges: [number, number][] }[];
  }[];
}

/** The non-self pairs of a matrix that allow a probe's port. */
function allowedPairs(matrix: MatrixJson, probe: Probe): string[] {
  return matrix.pairs
    .filter((pair) => pair.from !== pair.to)
    .filter((pair) =>
      pair.allowed.some(
        (a) =>
          a.protocol === probe.protocol &&
          a.ranges.some(([lo, hi]) => probe.port >= lo && probe.port <= hi),
      ),
    )
    .map((pair) => `${pair.from}->${pair.to}`)
    .sort();
}

function expectedPairs(probe: Probe, pods?: ReadonlySet<string>): string[] {
  return probe.allowed
    .filter(([from, to]) => from !== to && (!pods || (pods.has(from) && pods.has(to))))
    .map(([from, to]) => `${from}->${to}`)
    .sort();
}

const modelPods = parseAllDocuments(read('model.yaml'))
  .map(
    (doc) =>
      doc.toJS() as {
        kind: string;
        metadata: { name: string; namespace: string };
        status?: { podIP: string };
      },
  )
  .filter((object) => object?.kind === 'Pod');

describeOnCluster(
  'kubectl netpol against a real kube-apiserver',
  (cluster) => {
    cluster.applyYaml(read('model.yaml'));
    for (const pod of modelPods) {
      cluster.setPodIp(pod.metadata.namespace, pod.metadata.name, pod.status?.podIP as string);
    }
  },
  (cluster) => {
    const usePolicies = (caseName: string) => {
      for (const ns of ['x', 'y', 'z'])
        cluster.mustKubectl(['delete', 'networkpolicy', '--all', '-n', ns]);
      const caseModel = join(caseName, 'model.yaml');
      cluster.applyYaml(
        existsSync(join(CONFORMANCE, caseModel)) ? read(caseModel) : read('model.yaml'),
      );
      cluster.applyYaml(read(join(caseName, 'policies.yaml')));
    };

    const cases = readdirSync(CONFORMANCE, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();

    it.each(cases)('live matrix -o json matches conformance case %s', (caseName) => {
      usePolicies(caseName);
      const run = cluster.kubectl(['netpol', 'matrix', '-o', 'json']);
      expect(run.stderr).toBe('');
      expect(run.exitCode).toBe(0);
      const matrix = JSON.parse(run.stdout) as MatrixJson;
      const { probes } = JSON.parse(read(join(caseName, 'expected.json'))) as { probes: Probe[] };
      for (const probe of probes) expect(allowedPairs(matrix, probe)).toEqual(expectedPairs(probe));
    });

    it('gives the restricted user a partial but correct answer and says what it could not read', () => {
      usePolicies('003-allow-from-podselector-same-ns');
      cluster.applyYaml(`apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: netpol-reader, namespace: x}
rules:
- apiGroups: ["", networking.k8s.io]
  resources: [pods, services, networkpolicies]
  verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: netpol-reader, namespace: x}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: netpol-reader}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: restricted}]
`);
      const run = cluster.kubectl([
        'netpol',
        '--context',
        'restricted',
        '-n',
        'x',
        'matrix',
        '-o',
        'json',
      ]);
      expect(run.exitCode).toBe(0);
      expect(run.stderr).toContain('cannot list pods cluster-wide');
      expect(run.stderr).toContain(
        'the analysis is partial. Check with: kubectl auth can-i list pods --all-namespaces',
      );
      expect(run.stderr).toContain('cannot list namespaces');
      const matrix = JSON.parse(run.stdout) as MatrixJson;
      expect(matrix.pods.map((p) => p.id)).toEqual(['x/a', 'x/b', 'x/c']);
      const { probes } = JSON.parse(read('003-allow-from-podselector-same-ns/expected.json')) as {
        probes: Probe[];
      };
      const visible = new Set(['x/a', 'x/b', 'x/c']);
      for (const probe of probes)
        expect(allowedPairs(matrix, probe)).toEqual(expectedPairs(probe, visible));
    });

    it('honours --kubeconfig, --context and -n over the environment', () => {
      const run = cluster.kubectl(
        ['netpol', '--kubeconfig', cluster.kubeconfig, '--context', 'admin', '-n', 'y', 'explain'],
        { KUBECONFIG: '/nonexistent/kubeconfig' },
      );
      expect(run.exitCode).toBe(0);
      const podLines = run.stdout.split('\n').filter((line) => /^[xyz]\s+[abc]\s/.test(line));
      expect(podLines.map((line) => line.split(/\s+/).slice(0, 2).join('/'))).toEqual([
        'y/a',
        'y/b',
        'y/c',
      ]);
      const check = cluster.kubectl([
        'netpol',
        'check',
        'pod/a',
        'pod/b',
        '-n',
        'x',
        '--port',
        '80',
      ]);
      expect(check.stdout).toContain('x/a -> x/b  TCP 80');
    });

    it('sees a policy created while the watch runs, without restarting', async () => {
      usePolicies('017-allow-all');
      const outcome = await watchUntil(
        cluster.kubeconfig,
        () => cluster.applyYaml(read('001-default-deny-ingress/policies.yaml')),
        (snapshot) =>
          snapshot.cluster.policies.some((p) => p.namespace === 'x' && p.name === 'deny-ingress'),
      );
      expect(outcome).toEqual({ seen: true, errors: [] });
    });
    // Last: it stops the cluster.
    it('answers a stopped API server with one line naming the server', () => {
      const server = /server: (https:\/\/127\.0\.0\.1:\d+)/.exec(
        readFileSync(cluster.kubeconfig, 'utf8'),
      )?.[1];
      cluster.stop(true);
      const run = cluster.kubectl(['netpol', '--request-timeout', '5s', 'matrix']);
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toBe(`error: cannot reach ${server}: connection refused\n`);
    });
  },
);
