/**
 * explain POD works out the names `-o name` prints (the NetworkPolicies selecting the pod, from
 * an overview of its namespace) only when asked for them.
 */
import { describe, expect, it, vi } from 'vitest';
import * as engine from '../../src/engine/index.js';
import { runCli } from '../helpers/cli.js';

// Every overview of a namespace's pods, counted.
vi.mock('../../src/engine/index.js', async (importActual) => {
  const actual = await importActual<typeof engine>();
  return { ...actual, overview: vi.fn(actual.overview) };
});

const overviews = vi.mocked(engine.overview);

describe('explain POD and its -o name list', () => {
  it('takes an overview of the namespace for -o name only, not for text or JSON', async () => {
    for (const output of ['text', 'json']) {
      overviews.mockClear();
      const run = await runCli(['explain', '--demo', 'production/postgres-0', '-o', output]);
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toContain('production/postgres-0');
      expect(overviews).not.toHaveBeenCalled();
    }
    // -o name lists the policies selecting the pod, from one overview.
    const run = await runCli(['explain', '--demo', 'production/postgres-0', '-o', 'name']);
    expect(run.stdout).toMatch(/^networkpolicy\.networking\.k8s\.io\//m);
    expect(overviews).toHaveBeenCalledTimes(1);
  });
});
