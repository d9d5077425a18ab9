import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readManifests } from '../../src/io/manifests/read-paths.js';
import { normalizeObjects } from '../../src/io/normalize/normalize.js';
import { readForm } from '../../src/io/normalize/read-form.js';

const FIXTURES = join(import.meta.dirname, '../fixtures');

describe('what normalising reads of a document', () => {
  it('normalises as the whole document does, for every document of the fixtures', async () => {
    const { objects } = await readManifests([FIXTURES], async () => '');
    const cut = objects.map((sourced) => ({ ...sourced, object: readForm(sourced.object) }));
    expect(normalizeObjects(cut)).toEqual(normalizeObjects(objects));
    // Some were cut: the fixtures hold kinds the analysis ignores.
    const changed = cut.filter((sourced, i) => sourced.object !== objects[i]?.object);
    expect(changed.length).toBeGreaterThan(0);
  });

  it("cuts an ignored kind to what is counted, a List's items each, and keeps the kinds it reads", () => {
    const configMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'big', namespace: 'shop', labels: { a: 'b' } },
      data: { 'file.txt': 'x'.repeat(1000) },
    };
    const counted = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'big', namespace: 'shop' },
    };
    expect(readForm(configMap)).toEqual(counted);
    const cilium = { ...configMap, metadata: { name: 'cilium-config', namespace: 'kube-system' } };
    expect(readForm(cilium)).toBe(cilium);
    const endpoints = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'web' },
      subsets: [],
    };
    expect(readForm(endpoints)).toBe(endpoints);
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: {} };
    expect(readForm(pod)).toBe(pod);
    expect(readForm({ apiVersion: 'v1', kind: 'List', items: [configMap, pod] })).toEqual({
      apiVersion: 'v1',
      kind: 'List',
      items: [counted, pod],
    });
  });
});
