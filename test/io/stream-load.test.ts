import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadedFromSources, loadManifests, manifestSources } from '../../src/io/load-input.js';
import type { SourcedObject } from '../../src/io/manifests/parse-text.js';
import { readManifests } from '../../src/io/manifests/read-paths.js';

/** A HorizontalPodAutoscaler of the Deployment of its name in shop, with these bounds. */
const autoscaler = (name: string, min: number, max: number) => `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: ${name}, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ${name}}
  minReplicas: ${min}
  maxReplicas: ${max}`;

/**
 * Three files whose objects depend on each other across files: a workload owned by a later
 * Pod, an autoscaler after the Deployment it scales, a Pod read twice (before the first
 * workload and after it), an object without kind between them, and problems in each.
 */
function folder() {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-stream-'));
  writeFileSync(
    join(dir, 'a.yaml'),
    `apiVersion: v1
kind: Pod
metadata: {name: db, namespace: shop, labels: {app: db}}
spec: {containers: []}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec: {replicas: 2, template: {metadata: {labels: {app: web}}, spec: {containers: []}}}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: api-1, namespace: shop}
spec: {template: {metadata: {labels: {app: api}}, spec: {hostNetwork: maybe, containers: []}}}
---
apiVersion: v1
kind: Pod
metadata: {name: bad, namespace: shop}
spec: {hostNetwork: maybe, containers: []}
`,
  );
  writeFileSync(join(dir, 'b.yaml'), 'apiVersion: v1\nmetadata: {name: nokind}\n');
  writeFileSync(
    join(dir, 'c.yaml'),
    `apiVersion: v1
kind: Pod
metadata:
  name: api-1-x
  namespace: shop
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: api-1, uid: "1"}]
spec: {containers: []}
---
${autoscaler('web', 2, 6)}
---
${autoscaler('broken', 5, 2)}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: shop, labels: {app: db, version: "2"}}
spec: {containers: []}
`,
  );
  return dir;
}

const noStdin = async () => '';

describe('loading manifests file by file', () => {
  it('settles what depends on later files: owners, autoscalers, duplicates, in the order of a whole read', async () => {
    const dir = folder();
    const input = await loadManifests([dir], noStdin);
    expect(input.cluster.pods.map((p) => [p.id, p.kind, p.replicas, p.labels])).toEqual([
      ['shop/db', 'Pod', undefined, { app: 'db', version: '2' }],
      ['shop/web', 'Deployment', 'several', { app: 'web' }],
      ['shop/api-1-x', 'Pod', undefined, {}],
    ]);
    expect(input.cluster.pods[1]?.autoscaled).toEqual({ min: 2, max: 6 });
    // Headers' problems first, then autoscalers', then the objects' in order; the ReplicaSet
    // a later Pod owns stands for no pods, so its template's error is not reported.
    expect(input.findings.map((f) => [f.code, f.object, f.location?.file])).toEqual([
      ['invalid-document', undefined, join(dir, 'b.yaml')],
      ['invalid-object', 'HorizontalPodAutoscaler shop/broken', join(dir, 'c.yaml')],
      ['invalid-object', 'Pod shop/bad', join(dir, 'a.yaml')],
      ['duplicate-object', 'Pod shop/db', join(dir, 'c.yaml')],
    ]);
  });

  it('loads what a read of every object at once loads, keeping objects as read only when asked', async () => {
    const dir = folder();
    const whole = loadedFromSources(await manifestSources([dir], noStdin));
    const lean = await loadManifests([dir], noStdin);
    const kept = await loadManifests([dir], noStdin, { keepObjects: true });
    expect(kept).toEqual(whole);
    expect(lean).toEqual({ ...whole, objects: new Map() });
    expect(kept.objects.get('Pod shop/db')).toMatchObject({
      metadata: { labels: { app: 'db', version: '2' } },
    });
  });

  it('tells how many documents were read before it ends normalising', async () => {
    const heard: number[] = [];
    await loadManifests([folder()], noStdin, {
      onRead: async (objects) => {
        heard.push(objects);
      },
    });
    expect(heard).toEqual([9]);
  });
});

describe('reading manifests into a sink', () => {
  it('hands each object over in order and keeps none, with the same findings', async () => {
    const dir = folder();
    const plain = await readManifests([dir], noStdin);
    const heard: SourcedObject[] = [];
    const sunk = await readManifests([dir], noStdin, undefined, (object) => {
      heard.push(object);
    });
    expect(heard).toEqual(plain.objects);
    expect(sunk).toEqual({ ...plain, objects: [] });
  });
});
