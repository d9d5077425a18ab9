import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import type { KubeObject } from './kube-objects.js';

/** A test API server started by test/cluster/start.sh, with admin credentials for loading it. */
export interface BenchCluster {
  readonly dir: string;
  readonly kubeconfig: string;
  readonly server: string;
  readonly token: string;
  readonly ca: Buffer;
}

/** Starts the test API server in dir (building it first if needed). */
export function startBenchCluster(dir: string): BenchCluster {
  execFileSync('bash', ['test/cluster/start.sh', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  const env = Object.fromEntries(
    readFileSync(join(dir, 'cluster.env'), 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  return {
    dir,
    kubeconfig: join(dir, 'kubeconfig'),
    server: env.SERVER as string,
    token: env.ADMIN_TOKEN as string,
    ca: readFileSync(env.CA_FILE as string),
  };
}

/** Stops the test API server and removes its data. */
export function stopBenchCluster(cluster: BenchCluster): void {
  execFileSync('bash', ['test/cluster/stop.sh', cluster.dir, '--clean'], { stdio: 'ignore' });
}

/** Namespaces such as kube-system exist from the start; creating them again is not an error. */
const ALREADY_EXISTS = 409;

function send(
  cluster: BenchCluster,
  method: string,
  path: string,
  body: unknown,
  contentType: string,
) {
  return new Promise<void>((resolve, reject) => {
    const req = request(
      new URL(path, cluster.server),
      {
        method,
        ca: cluster.ca,
        headers: { Authorization: `Bearer ${cluster.token}`, 'Content-Type': contentType },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const existing = status === ALREADY_EXISTS && path === '/api/v1/namespaces';
          if (status < 300 || existing) resolve();
          else reject(new Error(`${method} ${path}: ${status} ${text}`));
        });
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

async function inPool<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

function collectionPath(object: KubeObject): string {
  if (object.kind === 'Namespace') return '/api/v1/namespaces';
  const namespace = object.metadata.namespace ?? 'default';
  return object.kind === 'Pod'
    ? `/api/v1/namespaces/${namespace}/pods`
    : `/apis/networking.k8s.io/v1/namespaces/${namespace}/networkpolicies`;
}

/** Creates the objects (namespaces first) and gives every pod its IP through the status subresource. */
export async function loadObjects(
  cluster: BenchCluster,
  objects: readonly KubeObject[],
): Promise<void> {
  const namespaces = objects.filter((o) => o.kind === 'Namespace');
  const rest = objects.filter((o) => o.kind !== 'Namespace');
  const json = 'application/json';
  await inPool(namespaces, 16, (o) => send(cluster, 'POST', collectionPath(o), o, json));
  await inPool(rest, 16, (o) => send(cluster, 'POST', collectionPath(o), o, json));
  const pods = rest.filter((o) => o.kind === 'Pod');
  await inPool(pods, 16, (pod) =>
    send(
      cluster,
      'PATCH',
      `${collectionPath(pod)}/${pod.metadata.name}/status`,
      { status: pod.status },
      'application/merge-patch+json',
    ),
  );
}
