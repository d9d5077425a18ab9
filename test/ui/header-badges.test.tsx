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
    expect(plain(lastFrame()).split('\n')[0]).toMatch(
      /^kubectl netpol {2}\[PARTIAL \(1 unread\)\] {2}\[2 unmodelled policies\] {2}12:00:00 {2}context prod/,
    );
  });

  it('keeps the badges when the line is too long for the terminal and cut', () => {
    const { lastFrame } = render(
      <Header
        {...headerProps}
        source={`context ${'x'.repeat(120)}`}
        color={false}
        badges={['PARTIAL (1 unread)']}
      />,
    );
    const first = plain(lastFrame()).split('\n')[0] ?? '';
    expect(first.startsWith('kubectl netpol  [PARTIAL (1 unread)]  12:00:00  context xxx')).toBe(
      true,
    );
    expect(first.endsWith('…')).toBe(true);
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
    expect(plain(lastFrame()).split('\n')[0]).toMatch(
      /^kubectl netpol {2}\[NOT ENFORCED: Flannel\] {2}\[1 unmodelled policy\] {2}12:00:00/,
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
    expect(plain(lastFrame()).split('\n')[0]).toMatch(
      // Last, so that a narrow terminal cuts it rather than the counts.
      /^kubectl netpol {2}\[PARTIAL \(1 unread\)\] {2}12:00:00 .* 0 netpol {2}\[pl/,
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
