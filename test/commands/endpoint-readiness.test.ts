/**
 * A Service's not-ready EndpointSlice endpoints get no traffic from kube-proxy: check answers
 * only for the ready ones and says which it left out.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { namespaceYaml, type PodSpec, podYaml, stream } from '../helpers/scenario.js';

const INPUT = `${stream(
  namespaceYaml('shop'),
  podYaml('shop/client', { labels: { app: 'client' }, ips: ['10.0.0.1'] }),
)}
---
apiVersion: v1
kind: Service
metadata: {name: legacy-db, namespace: shop}
spec: {clusterIP: 10.96.0.20, ports: [{port: 5432}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: legacy-db-1
  namespace: shop
  labels: {kubernetes.io/service-name: legacy-db}
addressType: IPv4
endpoints:
- addresses: [192.0.2.10]
- addresses: [192.0.2.11]
  conditions: {ready: false}
ports: [{port: 5432}]
`;

const check = (input: string) =>
  runCli(
    [
      'check',
      'shop/client',
      'svc/legacy-db.shop',
      '--port',
      '5432',
      '-f',
      '-',
      '--assume-enforced',
    ],
    input,
  );

describe('not-ready endpoints of a Service', () => {
  it('are no flow of a check, and a note says why', async () => {
    const run = await check(INPUT);
    const lines = run.stdout.split('\n').filter((line) => !line.startsWith('  '));
    expect(lines).toEqual([
      'note: service shop/legacy-db: endpoint 192.0.2.11 (EndpointSlice legacy-db-1) not ready: kube-proxy sends no traffic to it',
      'ALLOWED  shop/client -> 192.0.2.10  TCP 5432',
      '',
    ]);
  });

  it('when none is ready, the Service has no endpoints, and the error names them', async () => {
    const run = await check(INPUT.replace('- addresses: [192.0.2.10]\n', ''));
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(
      'svc/legacy-db.shop: the EndpointSlices of service shop/legacy-db list no address for this port; endpoint 192.0.2.11 (EndpointSlice legacy-db-1) not ready: kube-proxy sends no traffic to it',
    );
  });
});

const WEB_SERVICE = `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {clusterIP: 10.96.0.10, selector: {app: web}, ports: [{port: 80}]}
`;

/** A client and Service shop/web selecting app=web, with web pods of the readiness given. */
function webInput(service: string, ...pods: [string, PodSpec][]): string {
  return stream(
    namespaceYaml('shop'),
    podYaml('shop/client', { labels: { app: 'client' }, ips: ['10.0.0.1'] }),
    ...pods.map(([id, spec]) => podYaml(id, { labels: { app: 'web' }, ...spec })),
    service,
  );
}

const READY: [string, PodSpec] = ['shop/web-1', { ips: ['10.0.0.11'], ready: true }];
const NOT_READY: [string, PodSpec] = ['shop/web-2', { ips: ['10.0.0.12'], ready: false }];
const DRAINING: [string, PodSpec] = [
  'shop/web-3',
  { ips: ['10.0.0.13'], ready: true, terminating: true },
];

const checkWeb = (input: string) =>
  runCli(
    [
      'check',
      'shop/client',
      'svc/web',
      '-n',
      'shop',
      '--port',
      '80',
      '-f',
      '-',
      '--assume-enforced',
    ],
    input,
  );

/** The verdict and note lines of a check, without the indented explanations. */
const verdictLines = (stdout: string) =>
  stdout.split('\n').filter((line) => !line.startsWith('  '));

describe('not-Ready pods a Service selects', () => {
  it('are no flow of a check, and a note names them', async () => {
    const run = await checkWeb(webInput(WEB_SERVICE, READY, NOT_READY));
    expect(verdictLines(run.stdout)).toEqual([
      'note: service shop/web: endpoint pod shop/web-2 not ready: kube-proxy sends no traffic to it',
      'ALLOWED  shop/client -> shop/web-1  TCP 80',
      '',
    ]);
  });

  it('are named by explain of the Service by its one ready pod, as check names them', async () => {
    const input = webInput(WEB_SERVICE, READY, NOT_READY);
    const run = await runCli(['explain', 'svc/web', '-n', 'shop', '-f', '-'], input);
    expect(run.stdout.split('\n').slice(0, 2)).toEqual([
      'note: service shop/web: endpoint pod shop/web-2 not ready: kube-proxy sends no traffic to it',
      'Pod shop/web-1',
    ]);
    const draining = webInput(WEB_SERVICE, READY, DRAINING);
    const json = await runCli(
      ['explain', 'svc/web', '-n', 'shop', '-f', '-', '-o', 'json'],
      draining,
    );
    expect(JSON.parse(json.stdout).notes.map((note: { message: string }) => note.message)).toEqual([
      'service shop/web: endpoint pod shop/web-3 not ready: kube-proxy sends no traffic to it',
    ]);
  });

  it('are flows with publishNotReadyAddresses', async () => {
    const published = WEB_SERVICE.replace('}]}', '}], publishNotReadyAddresses: true}');
    const run = await checkWeb(webInput(published, READY, NOT_READY));
    expect(verdictLines(run.stdout)).toEqual([
      'ALLOWED  shop/client -> shop/web-1  TCP 80',
      'ALLOWED  shop/client -> shop/web-2  TCP 80',
      '',
    ]);
  });

  it('leave a terminating pod as the one backend when none is ready', async () => {
    const input = webInput(WEB_SERVICE, NOT_READY, DRAINING);
    const run = await checkWeb(input);
    expect(verdictLines(run.stdout)).toEqual([
      'note: service shop/web: endpoint pod shop/web-2 not ready: kube-proxy sends no traffic to it',
      'ALLOWED  shop/client -> shop/web-3  TCP 80',
      '',
    ]);
    expect(run.stdout).toContain('terminating: kube-proxy uses it while no endpoint is ready');
  });
});
