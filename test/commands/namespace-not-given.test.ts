/**
 * A namespace named by a pod but not in the input, selected by a namespaceSelector needing a
 * label other than its name: check answers UNKNOWN and says how to settle it, explain counts its
 * pods as possible, and the matrix leaves the pair UNKNOWN (not DENIED, as it used to).
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const FIXTURE = 'test/fixtures/manifests/namespace-not-given/cluster.yaml';

describe('a namespaceSelector against a namespace not in the input', () => {
  it('check is UNKNOWN, naming the namespace and how to settle it', async () => {
    const run = await runCli([
      'check',
      '-f',
      FIXTURE,
      '--assume-enforced',
      'd/client',
      'srv/server',
      '-p',
      '80',
    ]);
    expect(run.stdout).toContain('UNKNOWN  d/client -> srv/server  TCP 80');
    expect(run.stdout).toContain(
      'namespace d is not in the input, so of its labels only kubernetes.io/metadata.name is known, and namespaceSelector env=prod needs others: add its Namespace manifest, or read the live cluster',
    );
    expect(run.exitCode).toBe(2);
  });

  it('explain counts the pods of that namespace as possible, and the matrix pair is UNKNOWN', async () => {
    const explain = await runCli(['explain', '-f', FIXTURE, '--assume-enforced', 'srv/server']);
    expect(explain.stdout).toContain(
      '[0 pods, 1 more if the labels of its namespace (not in the input) match]',
    );
    const matrix = await runCli(['matrix', '-f', FIXTURE, '--assume-enforced', '-o', 'json']);
    const pairs = JSON.parse(matrix.stdout).pairs as { from: string; to: string; unknown?: [] }[];
    const pair = pairs.find(({ from, to }) => from === 'd/client' && to === 'srv/server');
    expect(pair?.unknown).toContainEqual({ protocol: 'TCP', ranges: [[80, 80]] });
  });
});
