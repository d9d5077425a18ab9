import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detectCni } from '../../src/engine/index.js';
import { DEMO_FILES } from '../../src/io/demo/demo-cluster.js';
import { loadDemo, loadManifests } from '../../src/io/load-input.js';

const DEMO_DIRECTORY = fileURLToPath(new URL('../../src/io/demo', import.meta.url));
const noStdin = async () => '';

describe('the demo cluster (src/io/demo)', () => {
  it('loads without findings', () => {
    expect(loadDemo().findings).toEqual([]);
  });

  it('is a directory of manifests that -f reads into the same objects', async () => {
    const demo = loadDemo();
    const read = await loadManifests([DEMO_DIRECTORY], noStdin);
    expect(read.findings).toEqual([]);
    expect([...read.locations.keys()].sort()).toEqual([...demo.locations.keys()].sort());
    expect(read.locations.size).toBeGreaterThan(70);
  });

  it('loads every object of its files: each file starts a new document of the stream', async () => {
    const files = DEMO_FILES.map((file) => `${DEMO_DIRECTORY}/${file}`);
    const read = await loadManifests(files, noStdin);
    expect(loadDemo().locations.size).toBe(read.locations.size);
  });
});

describe('the Cilium demo cluster (src/io/demo-cilium)', () => {
  const cilium = loadDemo('cilium');

  it('loads without findings, with the Cilium policies of its shop namespace', () => {
    expect(cilium.findings).toEqual([]);
    expect(cilium.cluster.ciliumPolicies?.map((policy) => policy.name).sort()).toEqual([
      'admin-egress',
      'api-deny-admin',
      'api-l7',
      'shop-web-from-ingress',
      'web-egress',
    ]);
  });

  it('runs Cilium, which enforces policies, where the default demo runs Calico', () => {
    expect(detectCni(cilium.cluster.workloads ?? [])).toMatchObject({
      plugin: 'Cilium',
      enforcesPolicies: true,
    });
    expect(detectCni(loadDemo().cluster.workloads ?? []).plugin).toBe('Calico');
  });

  it('reads cilium-config: enable-policy default', () => {
    expect(cilium.cluster.ciliumConfig).toMatchObject({ enforcement: 'default' });
  });
});
