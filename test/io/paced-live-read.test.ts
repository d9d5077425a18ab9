import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { CLUSTER_SIZES, generateCluster } from '../../bench/synthetic-cluster.js';
import {
  type ListProgress,
  pacedSnapshotFromScopes,
  snapshotFromScopes,
} from '../../src/io/cluster/load-cluster.js';
import { type LiveInput, type LiveLoadListener, loadLive } from '../../src/io/cluster/load-live.js';
import type { LoadedInput } from '../../src/io/normalize/loaded-input.js';
import {
  emptyList,
  jsonAnswer,
  kubeconfigFile,
  listOf,
  routedApiServer,
  tempDir,
} from '../helpers/fake-api.js';

const objects = generateCluster(CLUSTER_SIZES.small);
const ofKind = (kind: string) =>
  objects
    .filter((object) => object.kind === kind)
    .map(({ apiVersion: _, kind: __, ...item }) => item);
const namespaces = objects.flatMap((object) =>
  object.kind === 'Namespace' ? [object.metadata.name] : [],
);
const [deniedNamespace = ''] = namespaces;

function forbidden(res: ServerResponse): void {
  jsonAnswer(res, 403, { kind: 'Status', reason: 'Forbidden', message: 'forbidden', code: 403 });
}

/**
 * The synthetic cluster's API: NetworkPolicies refused cluster-wide and in its first namespace
 * (read namespace by namespace elsewhere), no Nodes served.
 */
function routes(): Record<string, (res: ServerResponse) => void> {
  const policies = ofKind('NetworkPolicy');
  const inNamespace = (ns: string) =>
    policies.filter((p) => (p.metadata as { namespace?: string }).namespace === ns);
  return {
    '/api/v1/namespaces': listOf(ofKind('Namespace')),
    '/api/v1/pods': listOf(ofKind('Pod')),
    '/api/v1/services': emptyList,
    '/apis/discovery.k8s.io/v1/endpointslices': emptyList,
    '/apis/networking.k8s.io/v1/networkpolicies': forbidden,
    ...Object.fromEntries(
      namespaces.map((ns) => [
        `/apis/networking.k8s.io/v1/namespaces/${ns}/networkpolicies`,
        ns === deniedNamespace ? forbidden : listOf(inNamespace(ns)),
      ]),
    ),
  };
}

/** A listener that writes down what it hears; its pace lets the event loop turn every time. */
function recorder() {
  const lists: ListProgress[] = [];
  const normalising: number[] = [];
  let paces = 0;
  const listener: LiveLoadListener = {
    listRead: (progress) => lists.push(progress),
    normalising: async (count) => {
      normalising.push(count);
    },
    pace: () => {
      paces++;
      return new Promise((resolve) => setImmediate(resolve));
    },
  };
  return { listener, lists, normalising, paces: () => paces };
}

/** What a snapshot tells: everything but the connection it came over. */
function told({ cluster, findings, locations, objects: kept, description }: LoadedInput) {
  return { cluster, findings, locations, objects: kept, description };
}

const itemCount = (live: LiveInput) =>
  live.read.scopes.reduce((sum, scope) => sum + scope.items.length, 0);

describe('a live read normalised at a pacer’s pace', () => {
  it('gives the snapshot normalising at once gives, forbidden lists and their findings included', async () => {
    const server = await routedApiServer(routes());
    const { listener } = recorder();
    const live = await loadLive(
      { kubeconfig: kubeconfigFile(tempDir(), server.url) },
      {},
      undefined,
      undefined,
      listener,
    );
    expect(told(live)).toEqual(told(snapshotFromScopes(live.read, live.kubeconfig.contextName)));
    expect(live.cluster.unread?.map((list) => list.namespace)).toEqual([deniedNamespace]);
    expect(live.findings.map((finding) => finding.code)).toContain('forbidden');
    expect(live.cluster.pods.length).toBeGreaterThan(0);
    expect(live.cluster.policies.length).toBeGreaterThan(0);
  });

  it('tells each list read, then how many objects it normalises, pacing after each one', async () => {
    const server = await routedApiServer(routes());
    const heard = recorder();
    const live = await loadLive(
      { kubeconfig: kubeconfigFile(tempDir(), server.url) },
      {},
      undefined,
      undefined,
      heard.listener,
    );
    const last = heard.lists.at(-1);
    // Nodes, the cluster-wide lists, then one list of NetworkPolicies per namespace.
    expect(last).toEqual({ listsRead: 6 + namespaces.length, lists: 6 + namespaces.length });
    expect(heard.lists.map((progress) => progress.listsRead)).toEqual(
      heard.lists.map((_, i) => i + 1),
    );
    expect(heard.normalising).toEqual([itemCount(live)]);
    expect(heard.paces()).toBe(itemCount(live));
  });

  it('normalises a read as snapshotFromScopes does, without a server', async () => {
    const server = await routedApiServer(routes());
    const live = await loadLive({ kubeconfig: kubeconfigFile(tempDir(), server.url) }, {});
    const paced = await pacedSnapshotFromScopes(live.read, 'test', recorder().listener.pace);
    expect(paced).toEqual(snapshotFromScopes(live.read, 'test'));
  });
});
