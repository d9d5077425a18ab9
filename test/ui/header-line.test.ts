import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { type HeaderFacts, headerLine, policyCounts } from '../../src/ui/header-line.js';

const FACTS: HeaderFacts = {
  source: 'demo cluster (Cilium)',
  namespace: 'shop',
  counts: {
    namespaces: 10,
    pods: 35,
    policies: 20,
    cilium: { count: 5, mode: 'enforced' },
    calico: { count: 2, mode: 'ignored' },
  },
  updated: '12:00:00',
  badges: ['PARTIAL (1 unread)'],
  enforcement: undefined,
};

const text = (width: number) =>
  headerLine(FACTS, width)
    .map((piece) => piece.text)
    .join('  ');

describe('headerLine', () => {
  it('counts only the enforced layer plainly and marks the others', () => {
    expect(policyCounts(FACTS.counts)).toBe('20 netpol · 5 cilium · 2 calico (not enforced)');
    expect(
      policyCounts({ ...FACTS.counts, cilium: { count: 5, mode: 'undecided' }, calico: undefined }),
    ).toBe('20 netpol · 5 cilium (plugin unknown)');
    // Until the analyst has detected the network plugin, no layer's part is known yet.
    expect(
      policyCounts({
        ...FACTS.counts,
        cilium: { count: 5, mode: 'pending' },
        calico: { count: 2, mode: 'pending' },
      }),
    ).toBe('20 netpol · 5 cilium (plugin pending) · 2 calico (plugin pending)');
  });

  it('fits every width, cutting names only and the rest between words', () => {
    const full = headerLine({ ...FACTS, source: 'demo', namespace: undefined }, 500);
    const words = new Set(full.flatMap((piece) => piece.text.split(' ')));
    for (let width = 12; width <= 140; width++) {
      const line = headerLine({ ...FACTS, source: 'demo', namespace: undefined }, width)
        .map((piece) => piece.text)
        .join('  ');
      expect(stringWidth(line), line).toBeLessThanOrEqual(width);
      for (const word of line.replace(/…/g, ' ').split(' ').filter(Boolean)) {
        // The source is a name, which may be cut anywhere.
        expect(words.has(word) || 'demo'.startsWith(word), `${width}: ${line}`).toBe(true);
      }
    }
  });

  it('shortens a long source name rather than the counts', () => {
    const line = headerLine({ ...FACTS, source: 'gke_project_zone_cluster-name', badges: [] }, 100);
    expect(line.map((piece) => piece.text).join('  ')).toBe(
      'kubectl netpol  gke_proje…  ns: shop  10 ns, 35 pods, 20 netpol · 5 cilium · 2 calico (not enforced)',
    );
  });

  it('keeps the counts whole until the terminal is narrower than them and the badges', () => {
    expect(text(80)).toBe(
      'kubectl netpol  [PARTIAL (1 unread)]  10 ns, 35 pods, 20 netpol · 5 cilium…',
    );
  });

  it('says the plugin is pending once: in the counts when they name a plugin, else as a badge', () => {
    const pending = {
      ...FACTS,
      badges: [],
      enforcement: { text: 'plugin pending', tone: 'quiet' as const },
    };
    const line = (facts: HeaderFacts) =>
      headerLine(facts, 200)
        .map((piece) => piece.text)
        .join('  ');
    expect(
      line({ ...pending, counts: { ...FACTS.counts, calico: { count: 1, mode: 'pending' } } }),
    ).toBe(
      'kubectl netpol  12:00:00  demo cluster (Cilium)  ns: shop  10 ns, 35 pods, 20 netpol · 5 cilium · 1 calico (plugin pending)',
    );
    expect(line({ ...pending, counts: { namespaces: 10, pods: 35, policies: 20 } })).toBe(
      'kubectl netpol  12:00:00  demo cluster (Cilium)  ns: shop  10 ns, 35 pods, 20 netpol  [plugin pending]',
    );
  });
});
