/**
 * A node's address against an ipBlock on Cilium through the command line: CIDR selectors match
 * the nodes only with cilium-config's policy-cidr-match-mode naming nodes (sources in
 * test/fixtures/cilium-cidr-nodes/cluster.yaml), so check says ALLOWED with it, DENIED without
 * it and why, and UNKNOWN (exit 2) naming the setting when cilium-config is not in the input.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const DIR = 'test/fixtures/cilium-cidr-nodes';
/** check from node-1's address to web-1 on TCP 8080 with `inputs` of the fixture folder added. */
const check = (...inputs: string[]) =>
  runCli([
    'check',
    '192.168.10.1',
    'web/web-1',
    '--port',
    '8080',
    ...['cluster.yaml', ...inputs].flatMap((input) => ['-f', `${DIR}/${input}`]),
  ]);

describe("check from a node's address to a pod an ipBlock admits it to, on Cilium", () => {
  it('is ALLOWED where cilium-config names nodes in policy-cidr-match-mode', async () => {
    const run = await check('config-nodes.yaml');
    expect(run.stdout.split('\n')[0]).toBe('ALLOWED  192.168.10.1 -> web/web-1  TCP 8080');
    expect(run.exitCode).toBe(0);
  });

  it('is DENIED where cilium-config leaves the mode out, saying why', async () => {
    const run = await check('config-default.yaml');
    expect(run.stdout).toContain('DENIED  192.168.10.1 -> web/web-1  TCP 8080');
    expect(run.stdout).toContain(
      "peer 1 (addresses in 192.168.10.0/24): the address is a node's, which Cilium does not match against 192.168.10.0/24 (cilium-config policy-cidr-match-mode does not name nodes)",
    );
    // An ipBlock of the address would not match it either: no such fix is offered.
    expect(run.stdout).not.toContain('--from-cidr');
    expect(run.exitCode).toBe(1);
  });

  it('is UNKNOWN where cilium-config is not in the input, naming the setting', async () => {
    const run = await check();
    expect(run.stdout.split('\n')[0]).toBe('UNKNOWN  192.168.10.1 -> web/web-1  TCP 8080');
    expect(run.stdout).toContain(
      "192.168.10.1 is a node's address, and ConfigMap kube-system/cilium-config is not in the input: Cilium's CIDR rules (ipBlock, fromCIDR, toCIDR) match node addresses only when cilium-config's policy-cidr-match-mode names nodes (off by default)",
    );
    expect(run.exitCode).toBe(2);
  });
});
