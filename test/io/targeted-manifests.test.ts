import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseManifestEntries } from '../../src/io/manifests/parse-text.js';
import { canDefer, ManifestSnapshot } from '../../src/io/targeted-manifests.js';
import { tempDir } from '../helpers/fake-api.js';

/** Whether the one document of a text is left unbuilt by the filter. */
function deferred(text: string): boolean {
  const entries = parseManifestEntries(text, 'test.yaml', canDefer);
  expect(entries.filter((entry) => !('finding' in entry))).toHaveLength(1);
  return entries.some((entry) => 'deferred' in entry);
}

const pod = (metadata: string, spec = '{containers: [{name: app, image: nginx}]}') =>
  `apiVersion: v1\nkind: Pod\nmetadata: ${metadata}\nspec: ${spec}\n`;

describe('the documents a targeted read from files may leave unbuilt', () => {
  it('are the bulk kinds of a namespace whose header plain scalars tell', () => {
    expect(deferred(pod('{name: a, namespace: shop}'))).toBe(true);
    expect(
      deferred(
        'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: shop}\nspec: {podSelector: {}}\n',
      ),
    ).toBe(true);
    expect(
      deferred(
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: shop}\nspec: {template: {spec: {containers: [{name: app, image: nginx}]}}}\n',
      ),
    ).toBe(true);
  });

  it('leave every other kind, and the same kinds of other API groups, built', () => {
    expect(deferred('apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n')).toBe(false);
    expect(deferred('apiVersion: v1\nkind: Node\nmetadata: {name: n1}\n')).toBe(false);
    expect(
      deferred('apiVersion: v1\nkind: PodList\nmetadata: {namespace: shop}\nitems: []\n'),
    ).toBe(false);
    expect(
      deferred('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: shop}\n'),
    ).toBe(false);
    // Antrea's and Calico's NetworkPolicy kinds are other policy layers.
    for (const group of ['crd.antrea.io/v1beta1', 'projectcalico.org/v3']) {
      const text = `apiVersion: ${group}\nkind: NetworkPolicy\nmetadata: {name: p, namespace: shop}\nspec: {}\n`;
      expect(deferred(text)).toBe(false);
    }
  });

  it('leave built what the scalars cannot tell for sure', () => {
    // No namespace: the normaliser puts it in default, whatever the focus.
    expect(deferred(pod('{name: a}'))).toBe(false);
    // Quoted, tagged or anchored header scalars, aliases, merge keys and tagged collections.
    expect(deferred(pod('{name: a, namespace: shop}').replace('kind: Pod', 'kind: "Pod"'))).toBe(
      false,
    );
    expect(deferred(pod('{name: a, namespace: !!str shop}'))).toBe(false);
    expect(deferred(pod('{name: a, namespace: &ns shop, labels: {home: *ns}}'))).toBe(false);
    expect(deferred(pod('{name: a, namespace: shop, labels: {<<: {app: web}}}'))).toBe(false);
    expect(deferred(pod('{name: a, namespace: shop}', '!!map {containers: []}'))).toBe(false);
    // Namespaces a plain scalar may give as no string, or that start with a digit.
    for (const namespace of ['null', 'yes', 'on', '1e3']) {
      expect(deferred(pod(`{name: a, namespace: ${namespace}}`))).toBe(false);
    }
  });

  it('leave built the pods and workloads network plugin detection reads, wherever they run', () => {
    const spec = (name: string, image: string) =>
      `{containers: [{name: ${name}, image: ${image}}]}`;
    expect(deferred(pod('{name: a, namespace: shop}', spec('x', 'docker.io/calico/node:v3')))).toBe(
      false,
    );
    expect(deferred(pod('{name: a, namespace: shop}', spec('calico-node', 'private/x')))).toBe(
      false,
    );
    const daemonSet =
      'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: cilium, namespace: net}\nspec: {template: {spec: {containers: [{name: agent, image: quay.io/cilium/cilium:v1.15}]}}}\n';
    expect(deferred(daemonSet)).toBe(false);
  });

  it('carry their labels when the scalars tell them, and none when they cannot', () => {
    const labelsOf = (labels: string) => {
      const [entry] = parseManifestEntries(
        pod(`{name: a, namespace: shop, labels: ${labels}}`),
        'test.yaml',
        canDefer,
      );
      return entry && 'deferred' in entry ? entry.deferred.header.labels : 'built';
    };
    expect(labelsOf('{app: web, \'true\': x, tier: "1"}')).toEqual({
      app: 'web',
      true: 'x',
      tier: '1',
    });
    expect(labelsOf('{app: null}')).toBeUndefined();
    expect(labelsOf('{app: }')).toBeUndefined();
    expect(labelsOf('{true: x}')).toBeUndefined();
    expect(labelsOf('{app: !!str web}')).toBeUndefined();
    expect(labelsOf('{app: [web]}')).toBeUndefined();
  });
});

describe('a focused snapshot of manifests', () => {
  const cluster = `
apiVersion: v1
kind: Namespace
metadata: {name: a, labels: {team: a}}
---
apiVersion: v1
kind: Namespace
metadata: {name: b, labels: {team: b}}
---
apiVersion: v1
kind: Namespace
metadata: {name: c, labels: {team: c}}
---
${pod('{name: p1, namespace: a, labels: {app: api}}')}
---
${pod('{name: p2, namespace: b, labels: {app: web}}')}
---
${pod('{name: p3, namespace: b, labels: {app: other}}')}
---
${pod('{name: p4, namespace: c, labels: {app: web}}')}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: from-b, namespace: a}
spec:
  podSelector: {}
  ingress: [{from: [{namespaceSelector: {matchLabels: {team: b}}, podSelector: {matchLabels: {app: web}}}]}]
`;

  async function snapshot(targets: string[], more = '') {
    const dir = tempDir();
    writeFileSync(join(dir, 'cluster.yaml'), `${cluster}${more}`);
    const focus = { targets, reach: 'targets' as const };
    return ManifestSnapshot.read([dir], async () => '', focus);
  }

  const podsOf = (input: { cluster: { pods: readonly { id: string }[] } } | undefined) =>
    input?.cluster.pods.map((p) => p.id);

  it('builds the targets namespaces alone, the peers namespaces whole, or their selected pods', async () => {
    const read = await snapshot(['a/p1']);
    expect(podsOf(read?.focused({ targets: ['a/p1'], reach: 'targets' }))).toEqual(['a/p1']);
    expect(podsOf(read?.focused({ targets: ['a/p1'], reach: 'peers' }))).toEqual([
      'a/p1',
      'b/p2',
      'b/p3',
    ]);
    expect(podsOf(read?.focused({ targets: ['a/p1'], reach: 'selected-pods' }))).toEqual([
      'a/p1',
      'b/p2',
    ]);
    expect(podsOf(read?.all())).toEqual(['a/p1', 'b/p2', 'b/p3', 'c/p4']);
  });

  it('follows only the rules asked for', async () => {
    const read = await snapshot(['a/p1']);
    const rules = [{ namespace: 'a', direction: 'egress' as const }];
    expect(podsOf(read?.focused({ targets: ['a/p1'], reach: 'peers', rules }))).toEqual(['a/p1']);
  });

  it('builds everything from the first object on that makes every answer a full read', async () => {
    expect((await snapshot(['a/p1']))?.needsAll).toBe(false);
    const cidr = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: cidr, namespace: a}
spec: {podSelector: {}, egress: [{to: [{ipBlock: {cidr: 0.0.0.0/0}}]}]}
`;
    const read = await snapshot(['a/p1'], cidr);
    expect(read?.needsAll).toBe(true);
    expect(read?.focused({ targets: ['a/p1'], reach: 'targets' })).toBeUndefined();
    // The same rule in a namespace no target is in changes nothing.
    expect((await snapshot(['b/p2'], cidr))?.needsAll).toBe(false);
  });

  it('is not made when a target could be anywhere', async () => {
    expect(await snapshot(['10.0.0.1'])).toBeUndefined();
  });
});
