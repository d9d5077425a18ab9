import { describe, expect, it } from 'vitest';
import { specDiffLines } from '../../src/render/object-diff.js';

describe('specDiffLines', () => {
  const policy = (port: number, extra: Record<string, unknown> = {}) => ({
    metadata: { name: 'p', resourceVersion: String(port) },
    spec: {
      podSelector: { matchLabels: { app: 'api' } },
      ingress: [{ ports: [{ protocol: 'TCP', port }] }],
      ...extra,
    },
  });

  it('is empty when only metadata or key order differ', () => {
    const reordered = {
      spec: {
        ingress: [{ ports: [{ port: 80, protocol: 'TCP' }] }],
        podSelector: { matchLabels: { app: 'api' } },
      },
    };
    expect(specDiffLines(policy(80), reordered)).toEqual([]);
  });

  it('lists the lines removed, then added, where the specs differ', () => {
    expect(specDiffLines(policy(80), policy(8080, { policyTypes: ['Ingress'] }))).toEqual([
      '-       - port: 80',
      '+       - port: 8080',
      '+ policyTypes:',
      '+   - Ingress',
    ]);
  });

  it('keeps terminal control characters out of the lines', () => {
    const lines = specDiffLines({ spec: {} }, { spec: { note: 'a\u001b[2Jb' } });
    expect(lines.join('\n')).not.toContain('\u001b');
  });
});
