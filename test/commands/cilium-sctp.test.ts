/**
 * SCTP on Cilium through the command line: with cilium-config's enable-sctp off, Cilium's datapath
 * drops every SCTP packet before any policy ("SCTP support (beta) ... Pass --set
 * sctp.enabled=true to helm", https://docs.cilium.io/en/stable/configuration/sctp/; sources
 * quoted in test/fixtures/cilium-sctp/policy.yaml), so check says DENIED and why; without
 * cilium-config the answer is UNKNOWN (exit 2); with it on, the policy decides.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const DIR = 'test/fixtures/cilium-sctp';
/** check web to api on SCTP 3868 with `inputs` of the fixture folder added, and `flags`. */
const check = (inputs: readonly string[], ...flags: string[]) =>
  runCli([
    'check',
    'shop/web',
    'shop/api',
    '--port',
    '3868',
    '--protocol',
    'SCTP',
    ...[
      'test/fixtures/conformance/cilium/model.yaml',
      `${DIR}/policy.yaml`,
      `${DIR}/agent-1.16.yaml`,
    ]
      .concat(inputs.map((input) => `${DIR}/${input}`))
      .flatMap((path) => ['-f', path]),
    ...flags,
  ]);

const DROPPED =
  'DENIED: Cilium drops every SCTP packet before any policy: cilium-config does not set enable-sctp: "true" (off by default)';

describe('check on SCTP on Cilium', () => {
  it('is DENIED where cilium-config leaves enable-sctp off, saying so on both sides', async () => {
    const run = await check(['config-off.yaml']);
    expect(run.stdout.split('\n').slice(0, 3)).toEqual([
      'DENIED  shop/web -> shop/api  SCTP 3868',
      `  egress of shop/web: ${DROPPED}`,
      `  ingress of shop/api: ${DROPPED}`,
    ]);
    expect(run.stderr).toContain(
      'warning: networkpolicy/shop/api-diameter names SCTP ports; Cilium drops every SCTP packet',
    );
    expect(run.exitCode).toBe(1);
  });

  it('gives the datapath drop in -o json', async () => {
    const run = await check(['config-off.yaml'], '-o', 'json');
    const [flow] = JSON.parse(run.stdout).flows;
    expect(flow.verdict).toBe('DENIED');
    expect(flow.ingress).toEqual({ kind: 'cilium-datapath', sctp: { kind: 'dropped' } });
  });

  it('is ALLOWED as the policy says where enable-sctp is on', async () => {
    const run = await check(['config-on.yaml']);
    expect(run.stdout.split('\n')[0]).toBe('ALLOWED  shop/web -> shop/api  SCTP 3868');
    expect(run.exitCode).toBe(0);
  });

  it('is UNKNOWN without cilium-config, naming it', async () => {
    const run = await check([]);
    expect(run.stdout.split('\n')[0]).toBe('UNKNOWN  shop/web -> shop/api  SCTP 3868');
    expect(run.stdout).toContain(
      'ConfigMap kube-system/cilium-config is not in the input, so whether Cilium passes SCTP is unknown',
    );
    const json = JSON.parse((await check([], '-o', 'json')).stdout);
    expect(json.flows[0].ingress.undecided).toEqual([{ kind: 'cilium-sctp-unknown' }]);
    expect(run.exitCode).toBe(2);
  });
});
