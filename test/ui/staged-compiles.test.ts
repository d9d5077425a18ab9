import { describe, expect, it, vi } from 'vitest';
import * as engine from '../../src/engine/index.js';
import { loadDemo } from '../../src/io/load-input.js';
import { answerQuestion, loadForQuestions } from '../../src/ui/analyst/questions.js';

// Every compile the analyst makes, counted: the snapshot's own and each staged policy's preview.
vi.mock('../../src/engine/index.js', async (importActual) => {
  const actual = await importActual<typeof engine>();
  return { ...actual, compileAsAsked: vi.fn(actual.compileAsAsked) };
});

/** tenant-c's pods, which a staged Calico policy of the demo would lock down. */
const WEB = 'tenant-c/web-8d6b7f5c4-hl4zx';
const ANALYTICS = 'tenant-c/analytics-5c7f8d9b6-q9mrt';

describe('staged Calico previews in the TUI', () => {
  it('compiles each staged policy once per snapshot, not again per pod opened or check asked', () => {
    const compiles = vi.mocked(engine.compileAsAsked);
    const cluster = loadDemo().cluster;
    const staged =
      (cluster.calicoPolicies ?? []).filter((policy) => policy.staged).length +
      (cluster.stagedKubernetesPolicies ?? []).length;
    expect(staged).toBeGreaterThan(0);
    compiles.mockClear();
    const loaded = loadForQuestions({ cluster, options: {} });
    answerQuestion(loaded, { kind: 'pod-exposure', podId: WEB });
    // The snapshot, then each staged policy enforced.
    expect(compiles).toHaveBeenCalledTimes(1 + staged);
    answerQuestion(loaded, { kind: 'pod-exposure', podId: ANALYTICS });
    answerQuestion(loaded, { kind: 'pod-exposure', podId: WEB });
    const asked = { source: WEB, destination: ANALYTICS, port: '80', protocol: 'TCP' } as const;
    answerQuestion(loaded, { kind: 'check', asked, namespace: 'tenant-c' });
    expect(compiles).toHaveBeenCalledTimes(1 + staged);
  });
});
