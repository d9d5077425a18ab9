import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { peerSelections } from '../src/io/cluster/targeted-read.js';
import { normalizeObjects } from '../src/io/normalize/normalize.js';
import { measureLiveCheck, measureLiveCompletion } from './cli-runs.js';
import type { KubeObject, NetworkPolicyObject } from './kube-objects.js';
import { loadObjects, startBenchCluster, stopBenchCluster } from './live-cluster.js';

const CHILD = fileURLToPath(new URL('./live-snapshot-main.js', import.meta.url));
/** Policies created while the child watches, to measure the watch under churn. */
const EXTRA_POLICIES = 100;

function extraPolicies(namespace: string): NetworkPolicyObject[] {
  return Array.from({ length: EXTRA_POLICIES }, (_, i) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: `bench-churn-${i}`, namespace },
    spec: { podSelector: { matchLabels: { 'bench-churn': `${i}` } }, policyTypes: ['Ingress'] },
  }));
}

/**
 * A check between two pods of one namespace whose policies' peers select few namespaces, so
 * that a live check can read part of the cluster: source, destination, --port, the port.
 */
function pairQuestion(objects: readonly KubeObject[]): string[] {
  const { cluster } = normalizeObjects(
    objects.map((object) => ({ object, location: { file: '' } })),
  );
  for (const namespace of cluster.namespaces) {
    const pods = cluster.pods.filter((pod) => pod.namespace === namespace.name && !pod.hostNetwork);
    const policies = cluster.policies.filter((policy) => policy.namespace === namespace.name);
    const reached = peerSelections(policies, cluster.namespaces);
    const [source, destination] = pods;
    const port = destination?.ports[0]?.port;
    if (!source || !destination || !port || !reached || reached.size > 3) continue;
    return [source.id, destination.id, '--port', String(port)];
  }
  throw new Error('internal: no namespace of the synthetic cluster suits a targeted check');
}

/**
 * Loads a synthetic cluster into a real API server, then measures in a fresh process the time
 * from command start to a usable snapshot, and peak RSS while the watch follows changes.
 */
export async function measureLive(size: string, objects: readonly KubeObject[]): Promise<string> {
  const cluster = startBenchCluster(mkdtempSync(join(tmpdir(), 'netpol-bench-')));
  try {
    const loadStart = performance.now();
    await loadObjects(cluster, objects);
    const loadIntoServerMs = Math.round(performance.now() - loadStart);
    process.stderr.write(
      `live ${size}: created ${objects.length} objects in ${loadIntoServerMs} ms\n`,
    );
    const child = spawn(process.execPath, [CHILD, cluster.kubeconfig, String(EXTRA_POLICIES)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines: Record<string, unknown>[] = [];
    let buffered = '';
    const done = new Promise<void>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        buffered += chunk;
        while (buffered.includes('\n')) {
          const line = buffered.slice(0, buffered.indexOf('\n'));
          buffered = buffered.slice(buffered.indexOf('\n') + 1);
          lines.push(JSON.parse(line) as Record<string, unknown>);
          if (lines.length === 1) {
            const namespace = (objects.find((o) => o.kind === 'Namespace')?.metadata.name ??
              'default') as string;
            loadObjects(cluster, extraPolicies(namespace)).catch(reject);
          }
        }
      });
      child.on('close', (code) =>
        code === 0 ? resolve() : reject(new Error(`live child exited ${code}`)),
      );
    });
    await done;
    process.stderr.write(`live ${size}: check as a user runs it, targeted and --full-read\n`);
    const question = pairQuestion(objects);
    const check = measureLiveCheck(cluster.kubeconfig, 'check', question);
    process.stderr.write(`live ${size}: completion of names, as a shell's Tab runs it\n`);
    const namespace = question[0]?.split('/')[0] ?? 'default';
    const completion = measureLiveCompletion(cluster.kubeconfig, namespace);
    return JSON.stringify({
      size: `live-${size}`,
      loadIntoServerMs,
      ...lines[0],
      ...lines[1],
      ...check,
      ...completion,
    });
  } finally {
    stopBenchCluster(cluster);
  }
}
