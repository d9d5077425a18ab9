/**
 * `check` and `matrix` between an isolated pod and hostNetwork pods: traffic with the pod's own
 * node is always allowed (fixture header quotes the rule), other nodes' stays denied, and a node
 * not known makes the answer UNKNOWN, saying how to settle it.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const FIXTURE = 'test/fixtures/manifests/node-local/cluster.yaml';

const check = (...args: string[]) =>
  runCli(['check', '-f', FIXTURE, '--assume-enforced', ...args, '-p', '8080']);

describe('node-local traffic on the command line', () => {
  it('check answers ALLOWED from a hostNetwork pod on the same node, saying why', async () => {
    const run = await check('shop/agent-a', 'shop/api');
    expect(run.stdout).toContain('ALLOWED  shop/agent-a -> shop/api  TCP 8080');
    expect(run.stdout).toContain(
      "ingress of shop/api: allowed: node-local traffic: the source is the host of shop/api's node (nodeName node-a); Kubernetes always allows it",
    );
    expect(run.exitCode).toBe(0);
  });

  it('check -o json carries the node-local side', async () => {
    const run = await check('shop/api', 'shop/agent-a', '-o', 'json');
    const [flow] = JSON.parse(run.stdout).flows;
    expect(flow.verdict).toBe('ALLOWED');
    expect(flow.egress).toEqual({
      kind: 'node-local',
      node: 'node-a',
      isolatedBy: [{ namespace: 'shop', name: 'deny-all' }],
    });
  });

  it('check answers DENIED from another node, and UNKNOWN from a template naming no node', async () => {
    expect((await check('shop/agent-b', 'shop/api')).stdout).toContain(
      'DENIED  shop/agent-b -> shop/api  TCP 8080',
    );
    const unknown = await check('shop/exporter', 'shop/api');
    expect(unknown.stdout).toContain('UNKNOWN  shop/exporter -> shop/api  TCP 8080');
    expect(unknown.stdout).toContain(
      "whether shop/exporter runs on this pod's node is unknown: host-network pod shop/exporter has no spec.nodeName",
    );
    expect(unknown.exitCode).toBe(2);
  });

  it('the matrix gives the same answers as check', async () => {
    const run = await runCli(['matrix', '-f', FIXTURE, '--assume-enforced', '-o', 'json']);
    const pairs = JSON.parse(run.stdout).pairs as {
      from: string;
      to: string;
      allowed: { protocol: string; ranges: number[][] }[];
      unknown?: unknown[];
    }[];
    const pair = (from: string, to: string) => pairs.find((p) => p.from === from && p.to === to);
    const everyTcpPort = { protocol: 'TCP', ranges: [[1, 65535]] };
    expect(pair('shop/agent-a', 'shop/api')?.allowed).toContainEqual(everyTcpPort);
    expect(pair('shop/api', 'shop/agent-a')?.allowed).toContainEqual(everyTcpPort);
    // Pairs with nothing allowed or unknown are left out.
    expect(pair('shop/agent-b', 'shop/api')).toBeUndefined();
    expect(pair('shop/exporter', 'shop/api')?.unknown).toContainEqual(everyTcpPort);
  });

  it('on a Calico cluster (--demo), whether Calico exempts it too is UNKNOWN, not DENIED', async () => {
    const run = await runCli([
      'check',
      '--demo',
      'kube-system/calico-node-m4z9d',
      'production/frontend-84c5d9b7f6-hx2lq',
      '-p',
      '8080',
    ]);
    expect(run.stdout).toContain(
      'UNKNOWN  kube-system/calico-node-m4z9d -> production/frontend-84c5d9b7f6-hx2lq  TCP 8080',
    );
    expect(run.stdout).toContain(
      'Kubernetes always allows traffic between a pod and the host of its node, and whether Calico lets it through past its own policies too is not modelled',
    );
    expect(run.stdout).toContain('if the plugin applies its policies to it: DENIED');
  });

  it('explain names node-local traffic beside the rules', async () => {
    const run = await runCli(['explain', '-f', FIXTURE, '--assume-enforced', 'shop/api']);
    expect(run.stdout).toContain(
      'no rule allows any ingress: all of it is denied but node-local traffic',
    );
    expect(run.stdout).toContain(
      'node-local traffic from the host of its node (nodeName node-a) is always allowed (Kubernetes)',
    );
  });
});
