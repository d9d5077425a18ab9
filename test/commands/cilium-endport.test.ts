/**
 * NetworkPolicy endPort on Cilium through the command line: Cilium before 1.16 ignores it (each
 * range admits only its first port: parsePorts in pkg/k8s/network_policy.go of v1.15.3 copies
 * only `port`), so check answers as that version does and says why; without a version in the
 * agent image's tag, the rest of the range is UNKNOWN.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const DIR = 'test/fixtures/cilium-endport';
const files = (agent: string) =>
  ['test/fixtures/conformance/cilium/model.yaml', `${DIR}/policy.yaml`, `${DIR}/${agent}`].flatMap(
    (path) => ['-f', path],
  );
const check = (port: number, agent: string) =>
  runCli(['check', 'shop/web', 'shop/api', '--port', `${port}`, ...files(agent)]);

describe('check on a NetworkPolicy port range on Cilium', () => {
  it('denies the rest of the range on Cilium 1.15, saying Cilium ignores endPort', async () => {
    const run = await check(8085, 'agent-1.15.yaml');
    expect(run.stdout).toContain('DENIED  shop/web -> shop/api  TCP 8085');
    expect(run.stdout).toContain(
      "port 1 (TCP 8080-8090): TCP 8085 is not in it: the cluster's Cilium (before 1.16) ignores endPort, so it admits only TCP 8080",
    );
    expect(run.stderr).toContain(
      'warning: networkpolicy/shop/api-range uses endPort; the cluster runs Cilium 1.15 (quay.io/cilium/cilium:v1.15.3), which ignores it before 1.16: each range admits only its first port',
    );
    expect(run.exitCode).toBe(1);
  });

  it('is UNKNOWN inside the range when the image tag tells no version', async () => {
    const run = await check(8085, 'agent-digest.yaml');
    expect(run.stdout).toContain('UNKNOWN  shop/web -> shop/api  TCP 8085');
    expect(run.stdout).toContain(
      "networkpolicy/shop/api-range uses endPort, which Cilium before 1.16 ignores (a range then admits only its first port), and the version of Cilium could not be read from its agent image's tag",
    );
    const first = await check(8080, 'agent-digest.yaml');
    expect(first.stdout).toContain('ALLOWED  shop/web -> shop/api  TCP 8080');
  });
});
