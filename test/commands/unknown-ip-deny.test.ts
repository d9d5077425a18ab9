/**
 * `check` towards a pod with no IP yet, under an Admin Deny on one part of the pod range and a
 * NetworkPolicy allow on another: UNKNOWN (where the IP falls decides), not DENIED.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const FIXTURE = 'test/fixtures/manifests/unknown-ip-deny/cluster.yaml';

describe('check towards a pod whose IP is unknown, under a cluster-policy Deny', () => {
  it('is UNKNOWN, naming the CIDRs and the pod range', async () => {
    const run = await runCli([
      'check',
      '-f',
      FIXTURE,
      '--assume-enforced',
      '--pod-cidr',
      '10.0.0.0/8',
      'a/client',
      'a/server',
      '-p',
      '80',
    ]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('UNKNOWN  a/client -> a/server  TCP 80');
    expect(run.stdout).toContain('10.2.0.0/16 covers part of the pod range 10.0.0.0/8');
  });

  it('is DENIED when the pod range leaves the IP only where the Deny is', async () => {
    const run = await runCli(
      ['check', '-f', FIXTURE, '--assume-enforced', '--pod-cidr', '10.1.0.0/16'].concat([
        'a/client',
        'a/server',
        '-p',
        '80',
      ]),
    );
    expect(run.stdout).toContain('DENIED  a/client -> a/server  TCP 80');
  });

  it('is UNKNOWN with no pod range known, in check and in the matrix alike', async () => {
    const flow = ['a/client', 'a/server', '-p', '80'];
    const check = await runCli(['check', '-f', FIXTURE, '--assume-enforced', ...flow]);
    expect(check.stdout).toContain('UNKNOWN  a/client -> a/server  TCP 80');
    expect(check.exitCode).toBe(2);
    const matrix = await runCli(['matrix', '-f', FIXTURE, '--assume-enforced', '-o', 'json']);
    const pairs = JSON.parse(matrix.stdout).pairs as { from: string; to: string; unknown?: [] }[];
    const pair = pairs.find(({ from, to }) => from === 'a/client' && to === 'a/server');
    expect(pair?.unknown).toContainEqual({ protocol: 'TCP', ranges: [[1, 65535]] });
  });
});
