import { describe, expect, it } from 'vitest';
import { compileCluster } from '../../src/engine/index.js';
import { loadDemo, loadManifests } from '../../src/io/load-input.js';
import { checkView } from '../../src/ui/check-view.js';
import { analyseSnapshot } from '../../src/ui/snapshot-analysis.js';
import type { CheckForm } from '../../src/ui/state.js';
import { runCli } from '../helpers/cli.js';
import { namespaceYaml, podYaml, stream } from '../helpers/scenario.js';

const demo = compileCluster(loadDemo().cluster);

function asked(source: string, destination: string, port: string): CheckForm {
  const question = { source, destination, port, protocol: 'TCP' as const };
  return { ...question, focus: 'result', submitted: 1, asked: question };
}

describe('checkView', () => {
  it('says why a port is no port without naming a command-line flag', () => {
    expect(checkView(demo, asked('svc/api', 'svc/api', '99999'), 'production')).toEqual({
      outcome: undefined,
      lines: ['error: port 99999: must be between 1 and 65535'],
    });
  });

  it('says which target names nothing', () => {
    expect(checkView(demo, asked('svc/nope', 'svc/api', '80'), 'production').lines).toEqual([
      'error: svc/nope: no service production/nope in the input',
    ]);
  });

  it('offers the closest names when a target names nothing', () => {
    expect(checkView(demo, asked('svc/apii', 'svc/api', '80'), 'production').lines).toEqual([
      'error: svc/apii: no service production/apii in the input; did you mean svc/api?',
    ]);
  });

  it('takes the targets check takes: a bare pod name and a host outside the cluster', async () => {
    const input = await loadManifests(
      ['test/fixtures/manifests/domain-names/cluster.yaml'],
      async () => '',
    );
    const { analysis } = analyseSnapshot(input, {});
    const view = checkView(analysis, asked('toolbox', 'www.example.com', '443'), 'sandbox');
    expect(view.outcome).toBe('ALLOWED');
    expect(view.lines[0]).toMatch(
      /^note: www\.example\.com is checked as a host outside the cluster/,
    );
    expect(view.lines).toContain('ALLOWED  sandbox/toolbox -> www.example.com  TCP 443');
  });

  it('shows the ClusterIP note above the verdicts', () => {
    const view = checkView(
      demo,
      asked('production/api-7d9f8b6c5-x2k4p', '10.96.0.10', '53'),
      'production',
    );
    expect(view.outcome).toBe('ALLOWED');
    expect(view.lines[0]).toMatch(
      /^note: 10\.96\.0\.10 is the ClusterIP of service kube-system\/kube-dns \(port 53\/TCP\): answered for its backends on port 53/,
    );
  });
});

describe('checkView on a snapshot whose plugin is not identified and has unmodelled policies', () => {
  it('answers UNKNOWN, names what may decide it, and ends with the unknown-plugin note', async () => {
    const input = await loadManifests(
      ['test/fixtures/manifests/layers/cluster.yaml'],
      async () => '',
    );
    const { analysis, plugin } = analyseSnapshot(input, {});
    const view = checkView(analysis, asked('shop/web', 'shop/api', '8080'), 'shop', plugin);
    expect(view.outcome).toBe('UNKNOWN');
    expect(view.policyOutcome).toBeUndefined();
    expect(view.lines.join('\n')).toContain('not evaluated: these policies are of kinds');
    expect(view.lines.at(-1)).toMatch(/^note: the network plugin could not be identified/);
  });

  it('answers the plain policy verdict with --ignore-unmodelled --assume-enforced', async () => {
    const input = await loadManifests(
      ['test/fixtures/manifests/layers/cluster.yaml'],
      async () => '',
    );
    const options = { ignoreUnmodelled: true, assumeEnforced: true };
    const { analysis, plugin } = analyseSnapshot(input, options);
    const view = checkView(analysis, asked('shop/web', 'shop/api', '8080'), 'shop', plugin);
    expect(view.outcome).toBe('DENIED');
    expect(view.lines.join('\n')).not.toContain('note: the network plugin');
  });
});

describe('checkView prints what check prints, by the same renderer', () => {
  const SERVICES = stream(
    namespaceYaml('shop'),
    podYaml('shop/client', { ips: ['10.0.0.1'], nodeName: 'node-a' }),
    podYaml('shop/roamer', { ips: ['10.0.0.2'] }),
    podYaml('shop/api-a', { labels: { app: 'api' }, ips: ['10.0.1.1'], nodeName: 'node-a' }),
    podYaml('shop/api-b', { labels: { app: 'api' }, ips: ['10.0.1.2'], ready: false }),
    podYaml('shop/web-1', { labels: { app: 'web' }, ips: ['fd00::11'] }),
    podYaml('shop/web-2', { labels: { app: 'web' }, ips: ['10.0.2.2'] }),
    `apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec: {clusterIP: 10.96.0.10, selector: {app: api}, ports: [{port: 80}], internalTrafficPolicy: Local}`,
    `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {clusterIP: "fd00:96::10", ipFamilies: [IPv6], selector: {app: web}, ports: [{port: 80}]}`,
    `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-closed, namespace: shop}
spec: {podSelector: {matchLabels: {app: web}}, policyTypes: [Ingress]}`,
  );
  /** A DaemonSet showing Flannel, which does not enforce NetworkPolicies. */
  const FLANNEL = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: kube-flannel-ds, namespace: kube-system}
spec:
  template:
    metadata: {labels: {app: flannel}}
    spec: {hostNetwork: true, containers: [{name: kube-flannel, image: docker.io/flannel/flannel:v0.25.1}]}`;

  it.each([
    ['node-local routing and an endpoint not ready', 'shop/client', 'svc/api', SERVICES],
    ['a route kube-proxy may narrow', 'shop/roamer', 'svc/api', SERVICES],
    ['a pod without the address family of its Service', 'shop/client', 'svc/web', SERVICES],
    ['a plugin that ignores the policies', 'shop/client', 'svc/web', stream(SERVICES, FLANNEL)],
  ])('with %s', async (_, source, destination, yaml) => {
    const run = await runCli(
      ['check', source, destination, '--port', '80', '-n', 'shop', '-f', '-'],
      yaml,
    );
    const input = await loadManifests(['-'], async () => yaml);
    const { analysis, plugin } = analyseSnapshot(input, {});
    const view = checkView(analysis, asked(source, destination, '80'), 'shop', plugin);
    expect([...(view.banner ?? []), ...view.lines, '']).toEqual(run.stdout.split('\n'));
  });

  it('names the plugin that ignores the policies on the verdict line, as check does', async () => {
    const yaml = stream(SERVICES, FLANNEL);
    const input = await loadManifests(['-'], async () => yaml);
    const { analysis, plugin } = analyseSnapshot(input, {});
    const view = checkView(analysis, asked('shop/client', 'svc/web', '80'), 'shop', plugin);
    expect(view.lines).toContain(
      'ALLOWED  shop/client -> shop/web-1  TCP 80  (DENIED by policy, not enforced by Flannel)',
    );
  });
});
