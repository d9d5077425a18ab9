import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

/**
 * Golden tests: each command's full output (exit code, stdout, stderr) is compared with a
 * reviewed file in test/golden/. After a reviewed change, regenerate with UPDATE_GOLDEN=1.
 */
const SHOP = 'test/fixtures/manifests/shop';
const WORKLOADS = 'test/fixtures/manifests/workload-ips';
const POD_RANGE = ['--pod-cidr', '10.244.0.0/16'];
/** check from the workload-ips fixture's client to a workload on TCP 8080. */
const workloadCheck = (to: string, ...flags: string[]) => [
  'check',
  '-f',
  WORKLOADS,
  'shop/client',
  to,
  '--port',
  '8080',
  ...flags,
];
const CNP = 'test/fixtures/manifests/cluster-network-policy';
const ON_CALICO = 'test/fixtures/manifests/cluster-policies-calico';
const ON_ANTREA = 'test/fixtures/manifests/cluster-policies-antrea';
/** check from a/client to b/server of a fixture on a TCP port. */
const serverCheck = (fixture: string, port: string) => [
  'check',
  '-f',
  fixture,
  'a/client',
  'b/server',
  '--port',
  port,
];
const cases: Record<string, string[]> = {
  'shop-overview': ['explain', '-f', SHOP],
  'shop-overview-namespace.json': ['explain', '-f', SHOP, '-n', 'shop', '-o', 'json'],
  'shop-explain-api': ['explain', '-f', SHOP, 'shop/api-1'],
  'shop-explain-api.json': ['explain', '-f', SHOP, 'shop/api-1', '-o', 'json'],
  'shop-explain-worker.yaml': ['explain', '-f', SHOP, 'pod/worker', '-n', 'shop', '-o', 'yaml'],
  'shop-check-web-to-api-service': [
    'check',
    '-f',
    SHOP,
    'pod/web-1',
    'svc/api',
    '-n',
    'shop',
    '--port',
    '80',
  ],
  'shop-check-web-to-api-service.json': [
    'check',
    '-f',
    SHOP,
    'pod/web-1',
    'svc/api',
    '-n',
    'shop',
    '--port',
    'web',
    '-o',
    'json',
  ],
  'shop-check-web-to-api-service.yaml': [
    'check',
    '-f',
    SHOP,
    'pod/web-1',
    'svc/api',
    '-n',
    'shop',
    '--port',
    '80',
    '-o',
    'yaml',
  ],
  'shop-check-worker-to-db-denied': [
    'check',
    '-f',
    SHOP,
    'shop/worker',
    'payments/db-0',
    '--port',
    '5432',
  ],
  'shop-check-worker-to-db-denied.json': [
    'check',
    '-f',
    SHOP,
    'shop/worker',
    'payments/db-0',
    '--port',
    '5432',
    '-o',
    'json',
  ],
  'shop-check-api-to-external-allowed': [
    'check',
    '-f',
    SHOP,
    'shop/api-1',
    '198.51.100.7',
    '--port',
    '443',
  ],
  'shop-check-api-to-external-excepted': [
    'check',
    '-f',
    SHOP,
    'shop/api-1',
    '198.51.100.200',
    '--port',
    '443',
  ],
  'shop-check-external-to-db': [
    'check',
    '-f',
    SHOP,
    '192.0.2.1',
    'payments/db-0',
    '--port',
    '5432',
  ],
  'shop-check-udp-named-port-missing': [
    'check',
    '-f',
    SHOP,
    'shop/web-1',
    'shop/api-1',
    '--port',
    'http',
    '--protocol',
    'UDP',
  ],
  'shop-check-self': ['check', '-f', SHOP, 'shop/web-1', 'shop/web-1', '--port', '9999'],
  'shop-matrix': ['matrix', '-f', SHOP],
  'shop-matrix.json': ['matrix', '-f', SHOP, '-o', 'json'],
  'shop-matrix.yaml': ['matrix', '-f', SHOP, '-n', 'payments', '-o', 'yaml'],
  'shop-matrix-port-8080': ['matrix', '-f', SHOP, '--port', '8080'],
  'shop-matrix-port-5432.json': ['matrix', '-f', SHOP, '--port', '5432', '-o', 'json'],
  'demo-overview': ['explain', '--demo'],
  'demo-without-terminal': ['--demo'],
  'demo-check-typo-selector': [
    'check',
    '--demo',
    'ingress-nginx/ingress-nginx-controller-6f79748cff-k8z2w',
    'staging/web-frontend-7c8d9f6b5-kp4xz',
    '--port',
    '8080',
  ],
  'demo-check-missing-namespace-label': [
    'check',
    '--demo',
    'monitoring/prometheus-k8s-0',
    'staging/api-6d5c8b7f9-fz2rq',
    '--port',
    '9090',
  ],
  'demo-check-dns': [
    'check',
    '--demo',
    'production/frontend-84c5d9b7f6-hx2lq',
    'svc/kube-dns',
    '-n',
    'kube-system',
    '--port',
    '53',
    '--protocol',
    'UDP',
  ],
  'demo-check-cluster-ip-tcp': [
    'check',
    '--demo',
    'production/api-7d9f8b6c5-x2k4p',
    '10.96.0.10',
    '--port',
    '53',
    '--protocol',
    'TCP',
  ],
  'demo-check-admin-tier-deny': [
    'check',
    '--demo',
    'monitoring/prometheus-k8s-0',
    'kube-system/coredns-5d78c9869d-4xq7m',
    '--port',
    '9153',
  ],
  'demo-check-baseline-tier-deny': [
    'check',
    '--demo',
    'legacy/busybox',
    'legacy/mysql-0',
    '--port',
    '3306',
  ],
  'demo-explain-frontend': ['explain', '--demo', 'production/frontend-84c5d9b7f6-hx2lq'],
  'demo-explain-netpol-api-ingress': [
    'explain',
    '--demo',
    'netpol/allow-api-ingress-from-frontend',
    '-n',
    'production',
  ],
  'demo-explain-netpol-default-deny': [
    'explain',
    '--demo',
    'networkpolicy/default-deny-all',
    '-n',
    'production',
  ],
  'demo-matrix-production': ['matrix', '--demo', '-n', 'production'],
  'demo-explain-cnp-protect-kube-system': ['explain', '--demo', 'cnp/protect-kube-system'],
  'cnp-check-admin-deny': ['check', '-f', CNP, 'shop/web', 'kube-system/metrics', '--port', '443'],
  'cnp-check-admin-accept.json': [
    'check',
    '-f',
    CNP,
    'monitoring/prometheus',
    'shop/api',
    '--port',
    '9000',
    '-o',
    'json',
  ],
  'cnp-check-baseline-deny': [
    'check',
    '-f',
    CNP,
    'sandbox/toolbox',
    'monitoring/prometheus',
    '--port',
    '9090',
  ],
  'cnp-check-domain-names-unknown': [
    'check',
    '-f',
    CNP,
    'sandbox/toolbox',
    '203.0.113.9',
    '--port',
    '443',
  ],
  'cnp-check-deny-before-domain-names': [
    'check',
    '-f',
    CNP,
    'sandbox/toolbox',
    '169.254.169.254',
    '--port',
    '80',
  ],
  'cnp-explain-metrics': ['explain', '-f', CNP, 'kube-system/metrics'],
  'cnp-matrix': ['matrix', '-f', CNP],
  'cnp-matrix.json': ['matrix', '-f', CNP, '-o', 'json'],
  // Calico 3.31 enforces the AdminNetworkPolicy (8080) and ignores the ClusterNetworkPolicy (9090).
  'calico-check-anp-enforced': serverCheck(ON_CALICO, '8080'),
  'calico-check-cnp-ignored': serverCheck(ON_CALICO, '9090'),
  'calico-audit-cluster-policies': ['audit', '-f', ON_CALICO],
  'antrea-check-cnp-gate-unknown': serverCheck(ON_ANTREA, '9090'),
  'demo-audit': ['audit', '--demo'],
  'demo-audit-staging.json': ['audit', '--demo', '-n', 'staging', '-o', 'json'],
  'shop-audit': ['audit', '-f', SHOP],
  // Workloads' pods have no IP in manifests: ipBlocks are measured against the pod range.
  'workload-ips-check-anywhere': workloadCheck('shop/web'),
  'workload-ips-check-private': workloadCheck('shop/api', ...POD_RANGE),
  'workload-ips-check-private-range-unknown': workloadCheck('shop/api'),
  'workload-ips-check-one-node': workloadCheck('shop/admin', ...POD_RANGE),
  'workload-ips-check-one-node.json': workloadCheck('shop/admin', ...POD_RANGE, '-o', 'json'),
  'workload-ips-explain-autoscaled': [
    'explain',
    '-f',
    WORKLOADS,
    'shop/web',
    '--pod-cidr',
    '10.244.0.0/16',
  ],
  'workload-ips-explain-one-node': [
    'explain',
    '-f',
    WORKLOADS,
    'shop/admin',
    ...POD_RANGE,
    '--assume-enforced',
  ],
  'workload-ips-matrix': ['matrix', '-f', WORKLOADS, ...POD_RANGE],
  'workload-ips-matrix.dot': ['matrix', '-f', WORKLOADS, '-o', 'dot'],
  'shop-matrix.dot': ['matrix', '-f', SHOP, '-o', 'dot'],
  'shop-matrix.mermaid': ['matrix', '-f', SHOP, '-o', 'mermaid'],
  'shop-matrix-namespaces.mermaid': ['matrix', '-f', SHOP, '--group', 'namespace', '-o', 'mermaid'],
  'cnp-matrix.mermaid': ['matrix', '-f', CNP, '-o', 'mermaid'],
  'demo-diff-api-ingress': ['diff', '--demo', '-f', 'test/fixtures/diff/api-ingress-widened.yaml'],
  'workload-ips-bad-pod-cidr': [
    'matrix',
    '-f',
    WORKLOADS,
    '--pod-cidr',
    '10.244.0.0/16,10.245.0/16',
  ],
};

function render(args: string[], run: Awaited<ReturnType<typeof runCli>>): string {
  return `$ kubectl netpol ${args.join(' ')}\nexit: ${run.exitCode}\n--- stdout\n${run.stdout}--- stderr\n${run.stderr}`;
}

describe('golden outputs', () => {
  mkdirSync('test/golden', { recursive: true });
  it.each(Object.entries(cases))('%s', async (name, args) => {
    const actual = render(args, await runCli(args));
    const file = `test/golden/${name}.golden`;
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
      if (process.env.CI)
        throw new Error(`${file} is missing; run UPDATE_GOLDEN=1 npx vitest run and review it`);
      writeFileSync(file, actual);
    }
    expect(actual).toBe(readFileSync(file, 'utf8'));
  });
});

describe('golden outputs from manifests read through the cache, cold then warm', () => {
  // diff reads its manifests without the cache; a bad --pod-cidr stops before anything is read.
  const unread = new Set(['demo-diff-api-ingress', 'workload-ips-bad-pod-cidr']);
  const fromFiles = Object.entries(cases).filter(
    ([name, args]) => args.includes('-f') && !unread.has(name),
  );
  it.each(fromFiles)('%s', async (name, args) => {
    const dir = mkdtempSync(join(tmpdir(), 'netpol-golden-cache-'));
    try {
      const env = { HOME: '/nonexistent-home', KUBECACHEDIR: dir };
      const cold = render(args, await runCli(args, '', env));
      const stored = existsSync(join(dir, 'netpol', 'manifests'));
      const warm = render(args, await runCli(args, '', env));
      const golden = readFileSync(`test/golden/${name}.golden`, 'utf8');
      expect(stored).toBe(true);
      expect(cold).toBe(golden);
      expect(warm).toBe(golden);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
