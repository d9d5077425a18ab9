import { expect, it } from 'vitest';
import { type LiveInput, loadLive } from '../../src/io/cluster/load-live.js';
import type { LoadedInput } from '../../src/io/normalize/loaded-input.js';
import { openLiveSource } from '../../src/ui/live-source.js';
import { LIVE_PAGE_SIZE, pacedLoading } from '../../src/ui/loading.js';
import { describeOnCluster, type TestCluster } from './test-cluster.js';

/** Pods in each namespace: the pod list takes three of the UI's pages. */
const PODS_PER_NAMESPACE = LIVE_PAGE_SIZE + 10;
const NAMESPACES = ['paged-a', 'paged-b'];

/** Namespaces of plain pods (no IPs: the API server keeps them Pending), and a policy in each. */
function populate(cluster: TestCluster): void {
  cluster.apply(
    NAMESPACES.flatMap((namespace) => [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
      ...Array.from({ length: PODS_PER_NAMESPACE }, (_, i) => ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `pod-${i}`, namespace, labels: { app: `app-${i % 7}` } },
        spec: { containers: [{ name: 'main', image: 'main' }] },
      })),
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'deny-app-0', namespace },
        spec: { podSelector: { matchLabels: { app: 'app-0' } }, policyTypes: ['Ingress'] },
      },
    ]),
  );
  // "restricted" may read all but the policies, which are then tried namespace by namespace.
  cluster.grantRead('restricted', 'paged-reader', {
    '': ['pods', 'services', 'namespaces'],
    'discovery.k8s.io': ['endpointslices'],
  });
}

/** What a snapshot tells: everything but the connection it came over. */
function told({ cluster, findings, locations, objects, description }: LoadedInput) {
  return { cluster, findings, locations, objects, description };
}

/** The TUI's read of the cluster (paced, paged as the UI pages), with the requests it sent. */
async function uiRead(kubeconfig: string, context?: string) {
  const requests: string[] = [];
  const flags = { kubeconfig, v: 6, ...(context ? { context } : {}) };
  const loading = pacedLoading(() => {});
  const live = await loadLive(
    flags,
    {},
    (line) => requests.push(line),
    undefined,
    loading.listener,
  );
  loading.stop();
  return { live, requests };
}

const podPages = (requests: readonly string[]) =>
  requests.filter((line) => /GET \S+\/api\/v1\/pods\?/.test(line));

describeOnCluster('the TUI’s paced, paged read of a real kube-apiserver', populate, (cluster) => {
  it('lists in pages of LIVE_PAGE_SIZE and gives the snapshot the commands read', async () => {
    const { live, requests } = await uiRead(cluster.kubeconfig);
    const pages = podPages(requests);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages.every((line) => line.includes(`limit=${LIVE_PAGE_SIZE}`))).toBe(true);
    const commands: LiveInput = await loadLive({ kubeconfig: cluster.kubeconfig }, {});
    expect(told(live)).toEqual(told(commands));
    const paged = live.cluster.pods.filter((pod) => NAMESPACES.includes(pod.namespace));
    expect(paged).toHaveLength(NAMESPACES.length * PODS_PER_NAMESPACE);
  });

  it('gives a user refused the policies cluster-wide the same partial snapshot as the commands', async () => {
    const { live } = await uiRead(cluster.kubeconfig, 'restricted');
    const commands = await loadLive({ kubeconfig: cluster.kubeconfig, context: 'restricted' }, {});
    expect(told(live)).toEqual(told(commands));
    expect(live.findings.map((finding) => finding.code)).toContain('forbidden');
    expect(live.cluster.unread?.map((list) => list.namespace)).toEqual(
      expect.arrayContaining(NAMESPACES),
    );
    expect(live.cluster.pods.filter((pod) => NAMESPACES.includes(pod.namespace))).toHaveLength(
      NAMESPACES.length * PODS_PER_NAMESPACE,
    );
  });

  it('reloads as it first read, then follows a change by its watches', async () => {
    const flags = { kubeconfig: cluster.kubeconfig };
    const source = await openLiveSource(flags, {}, pacedLoading(() => {}).listener);
    const reloaded = await source.reload(pacedLoading(() => {}).listener);
    expect(told(reloaded)).toEqual(told(source.initial));
    const next = new Promise<LoadedInput>((resolve) => {
      const stop = source.watch?.({
        onSnapshot: (snapshot) => {
          stop?.();
          resolve(snapshot);
        },
        onWatchError: () => {},
      });
    });
    // The watches start from the first read's resourceVersion: a change made before they open
    // is still sent to them.
    cluster.mustKubectl(['label', 'pod', 'pod-1', '-n', 'paged-a', 'changed=yes']);
    const snapshot = await next;
    const pod = snapshot.cluster.pods.find((p) => p.namespace === 'paged-a' && p.name === 'pod-1');
    expect(pod?.labels).toEqual({ app: 'app-1', changed: 'yes' });
  });
});
