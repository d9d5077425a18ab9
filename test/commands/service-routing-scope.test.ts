/**
 * check says why a Service's backends are fewer for a client: internalTrafficPolicy Local (a
 * note, the client's node in the error) and a route kube-proxy may narrow (an UNKNOWN route line).
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { namespaceYaml, podYaml, stream } from '../helpers/scenario.js';

const CLIENTS = stream(
  namespaceYaml('shop'),
  podYaml('shop/client', { ips: ['10.0.0.1'], nodeName: 'node-a' }),
  podYaml('shop/far', { ips: ['10.0.0.3'], nodeName: 'node-c' }),
  podYaml('shop/roamer', { ips: ['10.0.0.2'] }),
);
const API_A = podYaml('shop/api-a', {
  labels: { app: 'api' },
  ips: ['10.0.1.1'],
  nodeName: 'node-a',
});
const API_B = podYaml('shop/api-b', {
  labels: { app: 'api' },
  ips: ['10.0.1.2'],
  nodeName: 'node-b',
});
const API_SERVICE = `apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec: {clusterIP: 10.96.0.10, selector: {app: api}, ports: [{port: 80}], internalTrafficPolicy: Local}
`;
const INPUT = stream(CLIENTS, API_A, API_B, API_SERVICE);

/** `check SOURCE DESTINATION --port 80` of an input, policies enforced. */
const check = (source: string, input = INPUT, destination = 'svc/api.shop') =>
  runCli(['check', source, destination, '--port', '80', '-f', '-', '--assume-enforced'], input);

const NOTE =
  "note: service shop/api has internalTrafficPolicy Local: kube-proxy sends a client's connections to its ClusterIP only to endpoints on the client's own node, and drops them when there is none";

describe('check through a Service with internalTrafficPolicy Local', () => {
  it('answers for the backends on the client node, with a note naming the policy', async () => {
    const run = await check('shop/client');
    expect(run.exitCode).toBe(0);
    expect(run.stdout.split('\n').filter((line) => !line.startsWith('  '))).toEqual([
      NOTE,
      'ALLOWED  shop/client -> shop/api-a  TCP 80',
      '',
    ]);
  });

  it('names the client node that has no backend', async () => {
    const run = await check('shop/far');
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(
      "svc/api.shop: the EndpointSlices of service shop/api list no address for this port on node node-c, the client's (internalTrafficPolicy Local: kube-proxy drops the connection)",
    );
  });

  it('is UNKNOWN when the client node is unknown, saying why under each flow', async () => {
    const run = await check('shop/roamer');
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toContain(
      "  UNKNOWN route: service shop/api has internalTrafficPolicy Local and the source's node or a backend's is unknown, so the source may reach only some of these backends, or none",
    );
  });
});

describe('check of a headless Service name', () => {
  it('says that cluster DNS, not kube-proxy, leaves a draining pod out', async () => {
    const input = stream(
      namespaceYaml('shop'),
      podYaml('shop/client', { ips: ['10.0.0.1'] }),
      podYaml('shop/db-1', { labels: { app: 'db' }, ips: ['10.0.4.2'], ready: true }),
      podYaml('shop/db-2', {
        labels: { app: 'db' },
        ips: ['10.0.4.3'],
        ready: true,
        terminating: true,
      }),
      `apiVersion: v1
kind: Service
metadata: {name: db, namespace: shop}
spec: {clusterIP: None, selector: {app: db}, ports: [{port: 80}]}
`,
    );
    const run = await check('shop/client', input, 'svc/db.shop');
    expect(run.stdout.split('\n').filter((line) => !line.startsWith('  '))).toEqual([
      "note: service shop/db: endpoint pod shop/db-2 not ready: cluster DNS does not answer the headless Service's name with it",
      'ALLOWED  shop/client -> shop/db-1  TCP 80',
      '',
    ]);
  });
});

describe('views other than check, of a Service whose clients reach only some backends', () => {
  /** Egress of the clients is to 10.96.0.0/16 only: the ClusterIP range, not the backends. */
  const CLUSTER_IP_EGRESS = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: to-cluster-ips, namespace: shop}
spec:
  podSelector: {matchLabels: {role: client}}
  policyTypes: [Egress]
  egress: [{to: [{ipBlock: {cidr: 10.96.0.0/16}}]}]
`;
  const WITH_EGRESS = stream(
    INPUT,
    podYaml('shop/caller', { labels: { role: 'client' }, ips: ['10.0.0.4'], nodeName: 'node-a' }),
    CLUSTER_IP_EGRESS,
  );
  const LOCAL_WORDS =
    "service shop/api (10.96.0.10; internalTrafficPolicy Local: a client's connections go only to its own node's backends)";

  it("check's ipBlock caveat lists only the backends on the client's node", async () => {
    const run = await check('shop/caller', WITH_EGRESS);
    const caveat = run.stdout.split('\n').find((line) => line.startsWith('  caveat:')) ?? '';
    expect(caveat).toContain(LOCAL_WORDS);
    expect(caveat).toMatch(
      /the backend 10\.0\.1\.1 is outside it \(of those on node node-a, the source's\)$/,
    );
  });

  it("audit's and explain's ipBlock findings say the Service keeps traffic on the client's node", async () => {
    const audit = await runCli(['audit', '-f', '-', '--assume-enforced'], WITH_EGRESS);
    expect(audit.stdout).toContain(`contains the ClusterIP of ${LOCAL_WORDS}`);
    const explain = await runCli(
      ['explain', 'shop/caller', '-f', '-', '--assume-enforced'],
      WITH_EGRESS,
    );
    expect(explain.stdout).toContain(
      `caveat: ipBlock 10.96.0.0/16 contains the ClusterIP of ${LOCAL_WORDS}`,
    );
  });

  it('explain of the Service by its one backend notes node-local routing and topology hints', async () => {
    const oneBackend = stream(CLIENTS, API_A, API_SERVICE);
    const local = await runCli(['explain', 'svc/api', '-n', 'shop', '-f', '-'], oneBackend);
    expect(local.stdout.split('\n').slice(0, 2)).toEqual([NOTE, 'Pod shop/api-a']);
    const hinted = oneBackend.replace(
      'internalTrafficPolicy: Local',
      'trafficDistribution: PreferClose',
    );
    const hints = await runCli(['explain', 'svc/api', '-n', 'shop', '-f', '-'], hinted);
    expect(hints.stdout.split('\n')[0]).toBe(
      "note: service shop/api routes by topology hints: kube-proxy may send a client's connections to its ClusterIP only to the endpoints hinted for the client's zone or node",
    );
  });
});

describe('a pod the Service selects without an address of its IP family', () => {
  const CLIENT = stream(namespaceYaml('shop'), podYaml('shop/client', { ips: ['10.0.0.1'] }));
  const WEB_1 = podYaml('shop/web-1', { labels: { app: 'web' }, ips: ['fd00::11'] });
  const WEB_2 = podYaml('shop/web-2', { labels: { app: 'web' }, ips: ['10.0.2.2'] });
  const WEB_SERVICE = `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {clusterIP: "fd00:96::10", ipFamilies: [IPv6], selector: {app: web}, ports: [{port: 80}]}
`;
  const DUAL = stream(CLIENT, WEB_1, WEB_2, WEB_SERVICE);
  const LEFT_OUT =
    "pod shop/web-2 has no IPv6 address, the service's IP family: no EndpointSlice lists it, so it gets no traffic through the service";

  it('is named in a note, as a pod that is not ready is', async () => {
    const run = await check('shop/client', DUAL, 'svc/web.shop');
    expect(run.stdout.split('\n').filter((line) => !line.startsWith('  '))).toEqual([
      `note: service shop/web: ${LEFT_OUT}`,
      'ALLOWED  shop/client -> shop/web-1  TCP 80',
      '',
    ]);
  });

  it('is named by explain of the Service, as check names it', async () => {
    const run = await runCli(['explain', 'svc/web', '-n', 'shop', '-f', '-'], DUAL);
    expect(run.stdout.split('\n').slice(0, 2)).toEqual([
      `note: service shop/web: ${LEFT_OUT}`,
      'Pod shop/web-1',
    ]);
    const json = await runCli(['explain', 'svc/web', '-n', 'shop', '-f', '-', '-o', 'json'], DUAL);
    expect(JSON.parse(json.stdout).notes).toMatchObject([
      {
        kind: 'endpoints-without-family',
        service: 'shop/web',
        message: `service shop/web: ${LEFT_OUT}`,
      },
    ]);
  });

  it('is named in the error when no pod is left', async () => {
    const none = stream(CLIENT, WEB_2, WEB_SERVICE);
    const run = await check('shop/client', none, 'svc/web.shop');
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(
      `svc/web.shop: the EndpointSlices of service shop/web list no address for this port; ${LEFT_OUT}`,
    );
  });
});
