/**
 * Clients outside the cluster through a LoadBalancer with externalTrafficPolicy Cluster: kube-proxy
 * may show the backend their connections from a node's address. explain's ipBlock row says so,
 * check says UNKNOWN, and Cilium's kube-proxy replacement in DSR mode keeps their address.
 */
import { describe, expect, it } from 'vitest';
import { ciliumAgentYaml } from '../helpers/cilium-agent.js';
import { ciliumConfigYaml } from '../helpers/cilium-config.js';
import { runCli } from '../helpers/cli.js';
import { policyYaml, stream } from '../helpers/scenario.js';
import { webBackendYaml, webServiceYaml } from '../helpers/web-service.js';

const INPUT = stream(
  webBackendYaml(),
  policyYaml(
    'web/from-office',
    'podSelector: {}\ningress:\n- from: [{ipBlock: {cidr: 203.0.113.0/24}}]',
  ),
  webServiceYaml('LoadBalancer'),
);

const DSR = [
  ciliumConfigYaml('kube-proxy-replacement: "true", bpf-lb-mode: dsr'),
  ciliumAgentYaml('quay.io/cilium/cilium:v1.16.19'),
];

describe('clients outside the cluster through a LoadBalancer', () => {
  it('explain puts the doubt under the ipBlock row', async () => {
    const run = await runCli(['explain', 'web/web-1', '-f', '-'], INPUT);
    const lines = run.stdout.split('\n');
    const rule = lines.findIndex((line) => line.startsWith('    addresses in 203.0.113.0/24'));
    expect(lines[rule + 1]).toMatch(/^ {6}UNKNOWN through service web\/web: its backends may see/);
  });

  it('explain and check keep the answer where Cilium serves the Service in DSR mode', async () => {
    const input = stream(INPUT, ...DSR);
    const explained = await runCli(['explain', 'web/web-1', '-f', '-'], input);
    expect(explained.stdout).not.toContain('UNKNOWN through service');
    const checked = await runCli(
      ['check', '203.0.113.5', 'svc/web', '-n', 'web', '--port', '80', '-f', '-'],
      input,
    );
    expect(checked.exitCode).toBe(0);
    const masked = await runCli(
      ['check', '203.0.113.5', 'svc/web', '-n', 'web', '--port', '80', '-f', '-'],
      INPUT,
    );
    expect(masked.exitCode).toBe(2);
    expect(masked.stdout).toContain("  UNKNOWN route: the source is outside the cluster's pods");
  });
});
