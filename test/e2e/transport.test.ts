import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeApiServer,
  fakeApiServer,
  LOCALHOST_TLS,
  SERVER_CERT,
} from '../helpers/fake-api.js';
import { describeOnCluster, type TestCluster } from './test-cluster.js';

/** api accepts no ingress; only an identity that can read policies sees that. */
const WIRE = `apiVersion: v1
kind: Namespace
metadata: {name: wire}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: wire, labels: {app: web}}
spec: {containers: [{name: web, image: nginx}]}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: wire, labels: {app: api}}
spec: {containers: [{name: api, image: wire/api, ports: [{containerPort: 8080}]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-deny-ingress, namespace: wire}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Ingress]
`;

const CHECK = ['netpol', 'check', 'wire/web', 'wire/api', '--port', '8080'];
/** A host name no resolver knows: only a proxy that maps it can reach the server. */
const PROXIED_HOST = 'netpol-e2e.invalid';

interface Run {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs kubectl without blocking this process, which serves the test's proxy meanwhile. */
function kubectl(cluster: TestCluster, args: readonly string[], env: NodeJS.ProcessEnv) {
  return new Promise<Run>((resolve) => {
    execFile(
      'kubectl',
      [...args],
      { env: cluster.env(env), encoding: 'utf8', timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = (error as { code?: unknown } | null)?.code;
        resolve({ exitCode: error ? (typeof code === 'number' ? code : -1) : 0, stdout, stderr });
      },
    );
  });
}

/** An HTTP CONNECT proxy on 127.0.0.1 that sends PROXIED_HOST to 127.0.0.1. */
async function connectProxy(): Promise<{ url: string; targets: string[]; server: Server }> {
  const targets: string[] = [];
  const server = createServer((client) => {
    client.once('data', (head) => {
      const [, target = ''] = /^CONNECT (\S+) HTTP/.exec(head.toString('latin1')) ?? [];
      targets.push(target);
      const port = Number(target.split(':').at(-1));
      const host = target.startsWith(`${PROXIED_HOST}:`) ? '127.0.0.1' : target.split(':')[0];
      const upstream = connect(port, host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, targets, server };
}

/** `kubectl proxy --port=0`, and the port it says it serves on. */
async function kubectlProxy(cluster: TestCluster): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn('kubectl', ['proxy', '--port=0'], {
    env: cluster.env(),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let printed = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      printed += chunk.toString('utf8');
      const found = /Starting to serve on 127\.0\.0\.1:(\d+)/.exec(printed);
      if (found) resolve(Number(found[1]));
    });
    child.on('exit', () => reject(new Error(`kubectl proxy ended: ${printed}`)));
  });
  return { port, child };
}

describeOnCluster(
  'the connection as kubectl makes it, against a real API server',
  (cluster) => {
    cluster.applyYaml(WIRE);
  },
  (cluster) => {
    let settings: Record<string, string>;
    /** A shell with no kubeconfig at all: only flags say where and who. */
    let bare: NodeJS.ProcessEnv;

    /** A kubeconfig file for one cluster entry and one user entry. */
    function kubeconfig(name: string, cluster: object, user: object = {}): string {
      const file = join(settingsDir(), `${name}.kubeconfig`);
      writeFileSync(
        file,
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [{ name: 'c', cluster }],
          users: [{ name: 'u', user }],
          contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u' } }],
          'current-context': 'ctx',
        }),
      );
      return file;
    }
    const settingsDir = () => cluster.dir;

    beforeAll(() => {
      settings = Object.fromEntries(
        readFileSync(join(cluster.dir, 'cluster.env'), 'utf8')
          .trim()
          .split('\n')
          .map((line) => line.split('=', 2) as [string, string]),
      );
      bare = { KUBECONFIG: '', HOME: cluster.dir };
    });

    /** Asserts the answer an identity that reads everything gets: denied by the policy. */
    function expectDenied(run: Run) {
      expect(run.stderr).toBe('');
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toContain('api-deny-ingress');
    }

    describe('through kubectl proxy (an http:// server)', () => {
      let proxy: { port: number; child: ChildProcess };
      beforeAll(async () => {
        proxy = await kubectlProxy(cluster);
      });
      afterAll(() => proxy?.child.kill());

      it('reads the cluster with an http:// server in the kubeconfig', async () => {
        const config = kubeconfig('proxy', { server: `http://127.0.0.1:${proxy.port}` });
        expectDenied(await kubectl(cluster, CHECK, { KUBECONFIG: config }));
      });

      it('reads the cluster with --server http://127.0.0.1:PORT and no kubeconfig', async () => {
        const server = `http://127.0.0.1:${proxy.port}`;
        expectDenied(await kubectl(cluster, [...CHECK, '--server', server], bare));
      });
    });

    describe('through an HTTP CONNECT proxy', () => {
      let proxy: Awaited<ReturnType<typeof connectProxy>>;
      let unresolvable: { server: string; 'certificate-authority': string };
      beforeAll(async () => {
        proxy = await connectProxy();
        const port = new URL(settings.SERVER ?? '').port;
        // The serving certificate names "kubernetes", not the made-up host.
        unresolvable = {
          server: `https://${PROXIED_HOST}:${port}`,
          'certificate-authority': settings.CA_FILE ?? '',
        };
      });
      afterAll(() => proxy?.server.close());

      it('goes through the proxy-url of the kubeconfig, with its tls-server-name', async () => {
        const config = kubeconfig(
          'proxy-url',
          { ...unresolvable, 'proxy-url': proxy.url, 'tls-server-name': 'kubernetes' },
          { token: settings.ADMIN_TOKEN },
        );
        const before = proxy.targets.length;
        expectDenied(await kubectl(cluster, CHECK, { KUBECONFIG: config }));
        expect(proxy.targets.slice(before)).toContain(
          `${PROXIED_HOST}:${new URL(unresolvable.server).port}`,
        );
      });

      it('goes through HTTPS_PROXY, with --tls-server-name, and not for a NO_PROXY host', async () => {
        const config = kubeconfig('https-proxy', unresolvable, { token: settings.ADMIN_TOKEN });
        const env = { KUBECONFIG: config, HTTPS_PROXY: proxy.url };
        const flags = ['--tls-server-name', 'kubernetes'];
        const before = proxy.targets.length;
        expectDenied(await kubectl(cluster, [...CHECK, ...flags], env));
        expect(proxy.targets.length).toBeGreaterThan(before);
        const direct = await kubectl(cluster, [...CHECK, ...flags], {
          ...env,
          NO_PROXY: `.invalid`,
        });
        expect(direct.exitCode).toBe(2);
        expect(direct.stderr).toContain(`cannot reach https://${PROXIED_HOST}:`);
      });
    });

    describe('through a server that redirects to the API server (307)', () => {
      /** The front server, as 127.0.0.1 and as localhost (another host name for it). */
      let fronts: FakeApiServer[];
      beforeAll(async () => {
        const redirecting = (req: IncomingMessage, res: ServerResponse) => {
          res.writeHead(307, { Location: `${settings.SERVER}${req.url}` });
          res.end();
        };
        fronts = [
          await fakeApiServer(redirecting),
          await fakeApiServer(redirecting, LOCALHOST_TLS),
        ];
      });
      afterAll(() => Promise.all(fronts.map((front) => front.close())));

      /** A kubeconfig for `server`, trusting the front's certificates and the API server's. */
      function frontConfig(server: string): string {
        const ca = readFileSync(settings.CA_FILE ?? '');
        const cas = Buffer.concat([SERVER_CERT, LOCALHOST_TLS.cert, ca]).toString('base64');
        return kubeconfig(
          'redirected',
          { server, 'certificate-authority-data': cas },
          { token: settings.ADMIN_TOKEN },
        );
      }

      it('follows it to the same host with the token, as kubectl', async () => {
        const config = frontConfig(fronts[0]?.url ?? '');
        expectDenied(await kubectl(cluster, CHECK, { KUBECONFIG: config }));
      });

      it('sends the token to no other host: the API server sees an anonymous user', async () => {
        const config = frontConfig(fronts[1]?.url.replace('127.0.0.1', 'localhost') ?? '');
        const run = await kubectl(cluster, CHECK, { KUBECONFIG: config });
        expect(run.stderr).toContain('User "system:anonymous" cannot list resource');
      });
    });

    describe('credentials and impersonation from flags', () => {
      const serverFlags = () => [
        '--server',
        settings.SERVER ?? '',
        '--certificate-authority',
        settings.CA_FILE ?? '',
      ];

      it('authenticates with --token, and says so when the token is wrong', async () => {
        const token = settings.ADMIN_TOKEN ?? '';
        expectDenied(await kubectl(cluster, [...CHECK, ...serverFlags(), '--token', token], bare));
        const wrong = await kubectl(
          cluster,
          [...CHECK, ...serverFlags(), '--token', 'not-a-token-at-all'],
          bare,
        );
        expect(wrong.exitCode).toBe(2);
        expect(wrong.stderr).toBe(
          `error: ${settings.SERVER}: unauthorized: the server rejected the credentials given by flags; they may have expired\n`,
        );
      });

      it('authenticates with --client-certificate and --client-key', async (context) => {
        if (!settings.CLIENT_CERT) return context.skip();
        const flags = [
          '--client-certificate',
          settings.CLIENT_CERT,
          '--client-key',
          settings.CLIENT_KEY ?? '',
        ];
        expectDenied(await kubectl(cluster, [...CHECK, ...serverFlags(), ...flags], bare));
      });

      it('skips server verification with --insecure-skip-tls-verify', async () => {
        const token = settings.ADMIN_TOKEN ?? '';
        const flags = ['--server', settings.SERVER ?? '', '--insecure-skip-tls-verify'];
        expectDenied(await kubectl(cluster, [...CHECK, ...flags, '--token', token], bare));
        const verified = await kubectl(
          cluster,
          [...CHECK, '--server', settings.SERVER ?? '', '--token', token],
          bare,
        );
        expect(verified.exitCode).toBe(2);
        expect(verified.stderr).toMatch(/^error: cannot reach https:\/\/127\.0\.0\.1:\d+: .+\n$/);
      });

      it('impersonates with --as (refused: 403) and --as-group (allowed)', async () => {
        const restricted = await kubectl(cluster, [...CHECK, '--as', 'nobody'], {});
        expect(restricted.stderr).toContain(
          'networkpolicies.networking.k8s.io is forbidden: User "nobody" cannot list resource',
        );
        const masters = await kubectl(
          cluster,
          [...CHECK, '--as', 'nobody', '--as-group', 'system:masters'],
          {},
        );
        expectDenied(masters);
      });

      it('logs each request at -v=6, as kubectl does, without the token', async () => {
        const token = settings.ADMIN_TOKEN ?? '';
        const run = await kubectl(
          cluster,
          [...CHECK, ...serverFlags(), '--token', token, '-v=6'],
          bare,
        );
        expect(run.exitCode).toBe(1);
        expect(run.stderr).toMatch(
          /^I\d{4} [\d:.]+ +\d+ round_trippers\.go:\d+\] GET https:\/\/127\.0\.0\.1:\d+\/api\/v1\/(namespaces\/[a-z0-9-]+\/)?pods\?limit=500 200 OK in \d+ milliseconds$/m,
        );
        expect(run.stderr).not.toContain(token);
      });
    });
  },
);
