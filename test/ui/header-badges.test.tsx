import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { Cluster } from '../../src/engine/index.js';
import { loadDemo } from '../../src/io/load-input.js';
import type { LoadedInput } from '../../src/io/normalize/loaded-input.js';
import { Header } from '../../src/ui/components/Header.js';
import type { SnapshotSource } from '../../src/ui/sources.js';
import { startApp } from '../helpers/app.js';
import { plain, type SizedRender, untilFrame } from '../helpers/ink.js';

const UNREAD: Cluster['unread'] = [
  {
    resource: 'networkpolicies',
    namespace: 'production',
    reason: '403 Forbidden',
    canI: 'kubectl auth can-i list networkpolicies -n production',
  },
];
const UNMODELLED: Cluster['unmodelledPolicies'] = [
  { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', namespace: 'web', name: 'a' },
  { apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', name: 'b' },
];

/** The demo cluster with what a partial read and other policy layers would add. */
function demoWith(extra: Partial<Cluster>): LoadedInput {
  const demo = loadDemo();
  return { ...demo, cluster: { ...demo.cluster, ...extra } };
}

const headerProps = {
  source: 'context prod',
  namespace: undefined,
  counts: { namespaces: 3, pods: 10, policies: 0 },
  updated: '12:00:00',
  title: 'pods',
  width: 100,
};

describe('Header badges', () => {
  it('shows each badge after the program name', () => {
    const { lastFrame } = render(
      <Header
        {...headerProps}
        color={false}
        badges={['PARTIAL (1 unread)', '2 unmodelled policies']}
      />,
    );
    // 100 columns: "ns: all" and the time are left out, the rest is whole.
    expect(plain(lastFrame()).split('\n')[0]).toBe(
      'kubectl netpol  [PARTIAL (1 unread)]  [2 unmodelled policies]  context prod  3 ns, 10 pods, 0 netpol',
    );
  });

  it('keeps the badges and the counts when the source is too long, shortening the source', () => {
    const { lastFrame } = render(
      <Header
        {...headerProps}
        source={`context prod ${'x'.repeat(120)}`}
        color={false}
        badges={['PARTIAL (1 unread)']}
      />,
    );
    const first = plain(lastFrame()).split('\n')[0] ?? '';
    expect(first).toBe(
      `kubectl netpol  [PARTIAL (1 unread)]  context prod ${'x'.repeat(23)}…  3 ns, 10 pods, 0 netpol`,
    );
  });

  it('shows no badge for a complete snapshot', () => {
    const { lastFrame } = render(<Header {...headerProps} color={false} />);
    expect(lastFrame()).not.toContain('[');
  });
});

describe('Header enforcement badges', () => {
  it('names a plugin that ignores NetworkPolicies first, before the other badges', () => {
    const { lastFrame } = render(
      <Header
        {...headerProps}
        color={false}
        badges={['1 unmodelled policy']}
        enforcement={{ text: 'NOT ENFORCED: Flannel', tone: 'alarm' }}
      />,
    );
    expect(plain(lastFrame()).split('\n')[0]).toBe(
      'kubectl netpol  [NOT ENFORCED: Flannel]  [1 unmodelled policy]  context pr…  3 ns, 10 pods, 0 netpol',
    );
  });

  it('says discreetly, after the counts, that the plugin is unknown', () => {
    const { lastFrame } = render(
      <Header
        {...headerProps}
        color={false}
        badges={['PARTIAL (1 unread)']}
        enforcement={{ text: 'plugin unknown', tone: 'quiet' }}
      />,
    );
    // Last, and left out after the time on a narrow terminal, never before the counts.
    expect(plain(lastFrame()).split('\n')[0]).toBe(
      'kubectl netpol  [PARTIAL (1 unread)]  context prod  3 ns, 10 pods, 0 netpol  [plugin unknown]',
    );
  });
});

/** The App on `source` at 160x30. */
const start = (source: SnapshotSource) => startApp({ source, columns: 160, rows: 30 });

const headerLine = (ui: SizedRender) => plain(ui.lastFrame()).split('\n')[0] ?? '';

describe('the App header says when the snapshot is partial or has unmodelled policies', () => {
  it('shows the partial and unmodelled badges of the snapshot', async () => {
    const initial = demoWith({ unread: UNREAD, unmodelledPolicies: UNMODELLED });
    const ui = await start({ initial, name: 'context prod', reload: async () => initial });
    expect(headerLine(ui)).toContain(
      'kubectl netpol  [PARTIAL (1 unread)]  [2 unmodelled policies]  12:00:00',
    );
  });

  it('drops the partial badge when a new snapshot is complete', async () => {
    const initial = demoWith({ unread: UNREAD });
    let push: (input: LoadedInput) => void = () => {};
    const ui = await start({
      initial,
      name: 'context prod',
      reload: async () => initial,
      watch: (listener) => {
        push = listener.onSnapshot;
        return () => {};
      },
    });
    expect(headerLine(ui)).toContain('[PARTIAL (1 unread)]');
    push(loadDemo());
    await untilFrame(ui, () => !headerLine(ui).includes('PARTIAL'));
    expect(headerLine(ui)).not.toContain('PARTIAL');
    expect(headerLine(ui)).toMatch(/^kubectl netpol {2}12:00:00/);
  });
});

describe('the header at 80 columns', () => {
  const at80 = (source: SnapshotSource) => startApp({ source, columns: 80, rows: 24 });
  const demo = (variant: 'calico' | 'cilium', name: string): SnapshotSource => {
    const initial = loadDemo(variant);
    return { initial, name, reload: async () => initial };
  };

  it('fits --demo whole, leaving out "ns: all" rather than cutting the Calico count', async () => {
    const ui = await at80(demo('calico', 'demo cluster'));
    expect(headerLine(ui)).toBe(
      'kubectl netpol  12:00:00  demo cluster  9 ns, 32 pods, 20 netpol · 1 calico',
    );
  });

  it('fits --demo=cilium whole, leaving out the time too', async () => {
    const ui = await at80(demo('cilium', 'demo cluster (Cilium)'));
    expect(headerLine(ui)).toBe(
      'kubectl netpol  demo cluster (Cilium)  10 ns, 35 pods, 21 netpol · 5 cilium',
    );
  });

  it('marks the policies of a plugin the cluster does not run as not enforced', async () => {
    const cilium = loadDemo('cilium');
    const calico = loadDemo('calico').cluster;
    const initial = {
      ...cilium,
      cluster: {
        ...cilium.cluster,
        calicoPolicies: calico.calicoPolicies ?? [],
        calicoTiers: calico.calicoTiers ?? [],
      },
    };
    const ui = await at80({ initial, name: 'mixed', reload: async () => initial });
    expect(headerLine(ui)).toContain('21 netpol · 5 cilium · 1 calico (not enforced)');
    expect(headerLine(ui).length).toBeLessThanOrEqual(80);
  });
});
