import { expect, it } from 'vitest';
import { snapshotNames } from '../../src/commands/completion-names.js';
import { compileAsAsked, policyCandidates, targetCandidates } from '../../src/engine/index.js';
import { loadLive } from '../../src/io/cluster/load-live.js';
import { countedOnly } from '../helpers/counted-only.js';
import { describeOnCluster } from './test-cluster.js';

/** A pod of namespace shop, labelled, owned by `owner` (kind/name) when given. */
function shopPod(name: string, labels: Record<string, string>, owner?: [string, string]) {
  const [kind, ownerName] = owner ?? [];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'shop',
      labels,
      ...(kind && {
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind,
            name: ownerName,
            uid: '00000000-0000-0000-0000-000000000001',
            controller: true,
          },
        ],
      }),
    },
    spec: { containers: [{ name: 'main', image: 'shop', ports: [{ containerPort: 8080 }] }] },
  };
}

/** Each pod's phase, as a kubelet would report it (debug stays Pending). */
const PHASES: Readonly<Record<string, string>> = {
  'web-7d9f8c6b5-x2k4p': 'Running',
  'db-0': 'Running',
  'migrate-4kq2z': 'Succeeded',
  'crashed-9xw2l': 'Failed',
};

const TYPED = ['', 'w', 'deploy/', 'sts/', 'po/', 'shop/', 'shop/m', 'svc/', 'netpol/'];

describeOnCluster(
  'name completion on a real kube-apiserver',
  (cluster) => {
    cluster.apply([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
      shopPod('web-7d9f8c6b5-x2k4p', { app: 'web', 'pod-template-hash': '7d9f8c6b5' }, [
        'ReplicaSet',
        'web-7d9f8c6b5',
      ]),
      shopPod('db-0', { app: 'db', 'statefulset.kubernetes.io/pod-name': 'db-0' }, [
        'StatefulSet',
        'db',
      ]),
      shopPod('migrate-4kq2z', { 'job-name': 'migrate' }, ['Job', 'migrate']),
      shopPod('crashed-9xw2l', { app: 'crashed' }),
      shopPod('debug', { run: 'debug' }),
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web', namespace: 'shop' },
        spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
      },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'web-ingress', namespace: 'shop' },
        spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] },
      },
    ]);
    for (const [name, phase] of Object.entries(PHASES)) {
      const status = JSON.stringify({ status: { phase } });
      cluster.mustKubectl([
        ...['-n', 'shop', 'patch', 'pod', name, '--subresource=status', '--type=merge'],
        ...['-p', status],
      ]);
    }
  },
  (cluster) => {
    it("lists from the pods' metadata exactly the names the full read gives, finished pods left out", async () => {
      const flags = { kubeconfig: cluster.kubeconfig, namespace: 'shop', requestTimeout: '10s' };
      const analysis = compileAsAsked((await loadLive(flags, {})).cluster, {});
      const argv = { ...flags, _: [], $0: '' };
      for (const typed of TYPED) {
        const names = await snapshotNames(argv, {}, 'policy-or-target', typed);
        expect(names, typed).toEqual([
          // Completion counts the pods of the namespace it reads them in alone.
          ...countedOnly(targetCandidates(analysis, typed, 'shop'), ['shop']),
          ...policyCandidates(analysis, typed, 'shop'),
        ]);
      }
      const texts = (await snapshotNames(argv, {}, 'target', 'shop/')).map((name) => name.text);
      expect(texts).toEqual(
        expect.arrayContaining(['shop/web', 'shop/db', 'shop/debug', 'shop/web-7d9f8c6b5-x2k4p']),
      );
      expect(texts.filter((text) => /migrate|crashed/.test(text))).toEqual([]);
    });
  },
);
