import { describe, expect, it, onTestFinished } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { snapshotNames } from '../../src/commands/completion-names.js';
import {
  compileAsAsked,
  namespaceCandidates,
  policyCandidates,
  targetCandidates,
} from '../../src/engine/index.js';
import { loadLive } from '../../src/io/cluster/load-live.js';
import { demoClusterYaml } from '../../src/io/demo/demo-cluster.js';
import { countedOnly } from '../helpers/counted-only.js';
import {
  fakeApiServer,
  jsonAnswer,
  kubeconfigFile,
  listBody,
  tempDir,
} from '../helpers/fake-api.js';

/** The Calico demo cluster's objects, as an API server stores them. */
const OBJECTS = parseAllDocuments(demoClusterYaml('calico'))
  .map((document) => document.toJSON() as { kind: string; metadata: { namespace?: string } })
  .filter((object) => object !== null);

/** The plural of each kind the fake server serves. */
const PLURALS: Record<string, string> = {
  namespaces: 'Namespace',
  pods: 'Pod',
  services: 'Service',
  networkpolicies: 'NetworkPolicy',
  clusternetworkpolicies: 'ClusterNetworkPolicy',
};

/** The group of ClusterNetworkPolicy, in the version the demo's are written in. */
const CLUSTER_POLICY_VERSION = 'policy.networking.k8s.io/v1alpha2';

/** The discovery documents of the cluster policies' group: /apis, the group, its version. */
const DISCOVERY: Record<string, unknown> = {
  '/apis': {
    groups: [
      { name: 'policy.networking.k8s.io', versions: [{ groupVersion: CLUSTER_POLICY_VERSION }] },
    ],
  },
  '/apis/policy.networking.k8s.io': { versions: [{ groupVersion: CLUSTER_POLICY_VERSION }] },
  [`/apis/${CLUSTER_POLICY_VERSION}`]: {
    resources: [
      { name: 'clusternetworkpolicies', kind: 'ClusterNetworkPolicy', namespaced: false },
    ],
  },
};

/** How the fake server answers a list asked for as PartialObjectMetadataList (or else JSON). */
type MetadataForm = 'ignored' | 'served' | 'refused';

/** Whether a request asks for lists as metadata alone. */
const asksForMetadata = (accept: string | undefined) =>
  (accept ?? '').includes('as=PartialObjectMetadataList');

/** An object as a PartialObjectMetadataList item: its own kind, and its metadata alone. */
const asMetadata = (object: { metadata: unknown }) => ({
  kind: 'PartialObjectMetadata',
  apiVersion: 'meta.k8s.io/v1',
  metadata: object.metadata,
});

/**
 * A fake API server holding the demo's Namespaces, Pods, Services, NetworkPolicies (listed
 * cluster-wide or per namespace) and ClusterNetworkPolicies (discovered), with empty lists of
 * any other core or group resource. Asked for metadata alone, it answers whole objects
 * (`ignored`, a server that does not serve the form), the metadata (`served`, kube-apiserver),
 * or 406 (`refused`).
 */
async function demoApiServer(metadata: MetadataForm) {
  const server = await fakeApiServer((req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (DISCOVERY[path]) {
      jsonAnswer(res, 200, DISCOVERY[path]);
      return;
    }
    const collection =
      /^\/apis?(?:\/[^/]+)?\/v1(?:alpha2)?(?:\/namespaces\/([^/]+))?\/([a-z]+)$/.exec(path);
    if (!collection) {
      jsonAnswer(res, 404, { kind: 'Status', reason: 'NotFound', message: 'not found', code: 404 });
      return;
    }
    const [, namespace, plural = ''] = collection;
    const items = OBJECTS.filter(
      (object) =>
        object.kind === PLURALS[plural] &&
        (namespace === undefined || object.metadata.namespace === namespace),
    );
    if (metadata === 'ignored' || !asksForMetadata(req.headers.accept)) {
      jsonAnswer(res, 200, listBody(items));
    } else if (metadata === 'served') {
      jsonAnswer(res, 200, {
        kind: 'PartialObjectMetadataList',
        ...listBody(items.map(asMetadata)),
      });
    } else {
      jsonAnswer(res, 406, {
        kind: 'Status',
        reason: 'NotAcceptable',
        message: 'only application/json',
        code: 406,
      });
    }
  });
  onTestFinished(() => server.close());
  return server;
}

const TYPED = ['', 'p', 'production/', 'production/fr', 'svc/', 'svc/a', 'deploy/', 'po/', 'x/'];

/**
 * The demo's fake API server, the flags that name it (and -n `namespace`), its full read compiled
 * and the namespace in question; the server's requests are those made after the full read.
 */
async function fullRead(namespace: string | undefined, metadata: MetadataForm = 'ignored') {
  const server = await demoApiServer(metadata);
  const kubeconfig = kubeconfigFile(tempDir(), server.url);
  const flags = { kubeconfig, requestTimeout: '3s', ...(namespace ? { namespace } : {}) };
  const live = await loadLive(flags, {});
  const analysis = compileAsAsked(live.cluster, {});
  server.requests.length = 0;
  return { server, flags, analysis, inNamespace: namespace ?? live.kubeconfig.namespace };
}

/** Each namespace in question with each way a server answers a request for metadata alone. */
const NAMESPACES_AND_FORMS = [undefined, 'production', 'tenant-c'].flatMap((namespace) =>
  (['ignored', 'served', 'refused'] as const).map((form) => [namespace, form] as const),
);

describe('names completed from a live cluster', () => {
  it.each(NAMESPACES_AND_FORMS)(
    'are those of the full read, from a read of only what they list (-n %s, metadata form %s)',
    async (namespace, form) => {
      const { server, flags, analysis, inNamespace } = await fullRead(namespace, form);
      expect(namespaceCandidates(analysis).length).toBeGreaterThan(3);
      for (const typed of TYPED) {
        const argv = { ...flags, _: [], $0: '' };
        const targets = await snapshotNames(argv, {}, 'target', typed);
        const first = typed.includes('/') ? [typed.slice(0, typed.indexOf('/'))] : [];
        expect(targets, typed).toEqual(
          countedOnly(targetCandidates(analysis, typed, inNamespace), [inNamespace, ...first]),
        );
        const namespaces = await snapshotNames(argv, {}, 'namespace', typed);
        expect(namespaces, typed).toEqual(
          countedOnly(namespaceCandidates(analysis), []).filter((candidate) =>
            candidate.text.startsWith(typed),
          ),
        );
      }
      // Pods of the namespaces in question only, as kubectl's completion lists them.
      expect(server.requests.filter((url) => url.startsWith('/api/v1/pods'))).toEqual([]);
      expect(targetCandidates(analysis, 'production/fr', inNamespace).length).toBeGreaterThan(0);
      // Only Namespaces, Pods and Services: no discovery, no policies, no other kind.
      const read = new Set(server.requests.map((url) => url.split('?')[0]?.split('/').at(-1)));
      expect([...read].sort()).toEqual(['namespaces', 'pods', 'services']);
    },
  );

  it.each(NAMESPACES_AND_FORMS)(
    "are explain's targets and policies of the full read, cluster policies discovered alone (-n %s, metadata form %s)",
    async (namespace, form) => {
      const { server, flags, analysis, inNamespace } = await fullRead(namespace, form);
      expect(analysis.cluster.clusterPolicies?.length).toBeGreaterThan(0);
      const typedWords = [...TYPED, 'netpol/', 'cnp/', 'anp/', 'production/netpol/', 'tenant-c/'];
      for (const typed of typedWords) {
        const argv = { ...flags, _: [], $0: '' };
        const names = await snapshotNames(argv, {}, 'policy-or-target', typed);
        const first = typed.includes('/') ? [typed.slice(0, typed.indexOf('/'))] : [];
        expect(names, typed).toEqual([
          ...countedOnly(targetCandidates(analysis, typed, inNamespace), [inNamespace, ...first]),
          ...policyCandidates(analysis, typed, inNamespace),
        ]);
      }
      expect(policyCandidates(analysis, 'cnp/', inNamespace).length).toBeGreaterThan(0);
      expect(policyCandidates(analysis, 'production/netpol/', inNamespace).length).toBeGreaterThan(
        0,
      );
      // The cluster policies' group alone is discovered: not /apis and no other group.
      const paths = server.requests.map((url) => url.split('?')[0] ?? '');
      expect(paths).not.toContain('/apis');
      expect(
        paths.filter((path) => path.startsWith('/apis/') && !path.includes('networking')),
      ).toEqual([]);
      expect(paths.filter((url) => url.startsWith('/api/v1/pods'))).toEqual([]);
    },
  );
});
