/**
 * check's answer holds on the cluster: a network plugin that ignores NetworkPolicies lets the
 * traffic flow (exit 0) with the policies' verdict beside it; policies of kinds the engine does
 * not evaluate make the verdicts they could change UNKNOWN (exit 2) unless asked to ignore them.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const FLANNEL = 'test/fixtures/audit/cni-ignores-policies/triggers.yaml';
const LAYERS = 'test/fixtures/manifests/layers';

describe('a network plugin that does not enforce NetworkPolicies', () => {
  const check = ['check', '-f', FLANNEL, 'shop/web', 'shop/api', '--port', '8080'];

  it('makes check ALLOWED with exit 0, and says the policies deny it', async () => {
    const run = await runCli(check);
    expect(run.exitCode).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe(
      "not enforced: DENIED by policy, but Flannel does not enforce NetworkPolicies, so the traffic flows whatever they say (--assume-enforced: the policies' verdict)",
    );
  });

  it('is in the JSON answer as verdict, policyVerdict and enforcement', async () => {
    const run = await runCli([...check, '-o', 'json']);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      verdict: 'ALLOWED',
      policyVerdict: 'DENIED',
      allowed: true,
      enforcement: { plugin: 'Flannel', enforcesPolicies: false, assumed: false },
    });
  });

  it('gives the policies verdict with --assume-enforced', async () => {
    const run = await runCli([...check, '--assume-enforced', '-o', 'json']);
    expect(run.exitCode).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      verdict: 'DENIED',
      policyVerdict: 'DENIED',
      enforcement: { assumed: true },
    });
  });
});

describe('an input that shows no network plugin', () => {
  it('says once that the answer assumes enforcement', async () => {
    const run = await runCli(['check', '-f', LAYERS, 'shop/web', 'shop/api', '--port', '8080']);
    expect(run.stdout.split('note: the network plugin could not be identified').length).toBe(2);
    const quiet = await runCli([
      'check',
      '-f',
      LAYERS,
      'shop/web',
      'shop/api',
      '--port',
      '8080',
      '--assume-enforced',
    ]);
    expect(quiet.stdout).not.toContain('could not be identified');
  });

  it('audit ends with the same note, beside its cni-unknown finding', async () => {
    const run = await runCli(['audit', '-f', LAYERS]);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe(
      'note: the network plugin could not be identified from the input; this answer assumes it enforces NetworkPolicies (--assume-enforced hides this note)',
    );
    const quiet = await runCli(['audit', '-f', LAYERS, '--assume-enforced']);
    expect(quiet.stdout).not.toContain('this answer assumes');
  });
});

describe('policies of kinds the engine does not evaluate', () => {
  const check = ['check', '-f', LAYERS, 'shop/web', 'shop/api', '--port', '8080'];

  it('make check UNKNOWN with exit 2, naming them on the side they may govern', async () => {
    const run = await runCli(check);
    expect(run.exitCode).toBe(2);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('UNKNOWN  shop/web -> shop/api  TCP 8080');
    expect(lines).toContain(
      '    NetworkPolicy shop/allow-web (crd.antrea.io/v1beta1) in test/fixtures/manifests/layers/cluster.yaml:26 (document 5) may select it, and the engine does not evaluate that kind yet (--ignore-unmodelled answers without it)',
    );
    // What NetworkPolicies alone say is still shown under the UNKNOWN.
    expect(lines.some((line) => line.includes('NetworkPolicies alone: DENIED'))).toBe(true);
  });

  it('give the NetworkPolicy verdict with --ignore-unmodelled', async () => {
    const run = await runCli([...check, '--ignore-unmodelled', '-o', 'json']);
    expect(run.exitCode).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ verdict: 'DENIED', allowed: false });
  });
});

describe('explain and matrix say the same', () => {
  it('matrix marks undecided pairs ? and lists them as unknown in JSON', async () => {
    const text = await runCli(['matrix', '-f', LAYERS]);
    expect(text.stdout).toContain('? UNKNOWN (not surely denied; see below)');
    const json = JSON.parse((await runCli(['matrix', '-f', LAYERS, '-o', 'json'])).stdout);
    expect(json.pairs).toContainEqual({
      from: 'shop/web',
      to: 'shop/api',
      allowed: [],
      unknown: [
        { protocol: 'TCP', ranges: [[1, 65535]] },
        { protocol: 'UDP', ranges: [[1, 65535]] },
        { protocol: 'SCTP', ranges: [[1, 65535]] },
      ],
    });
    const ignoring = JSON.parse(
      (await runCli(['matrix', '-f', LAYERS, '--ignore-unmodelled', '-o', 'json'])).stdout,
    );
    const toApi = (pair: { from: string; to: string }) =>
      pair.from === 'shop/web' && pair.to === 'shop/api';
    expect(ignoring.pairs.some(toApi)).toBe(false);
  });

  it('explain says which direction is UNKNOWN and why', async () => {
    const run = await runCli(['explain', '-f', LAYERS, 'shop/api']);
    expect(run.stdout).toContain(
      '  UNKNOWN: what could not be read or evaluated may decide ingress:',
    );
    expect(run.stdout).toContain('(UNKNOWN: ports not surely denied)');
  });

  it("explain's pod table says UNKNOWN where an unevaluated policy may select the pod, as the TUI does", async () => {
    const table = await runCli(['explain', '-n', 'shop', '-f', LAYERS]);
    expect(table.stdout).toMatch(/^shop +web +Pod +10\.0\.1\.10 +UNKNOWN +UNKNOWN$/m);
    const json = JSON.parse(
      (await runCli(['explain', '-n', 'shop', '-f', LAYERS, '-o', 'json'])).stdout,
    );
    const web = json.pods.find((pod: { id: string }) => pod.id === 'shop/web');
    expect(web.undecided).toEqual(['ingress', 'egress']);
    const ignoring = await runCli(['explain', '-n', 'shop', '-f', LAYERS, '--ignore-unmodelled']);
    expect(ignoring.stdout).toMatch(/^shop +web +Pod +10\.0\.1\.10 +open +open$/m);
  });

  it('matrix, explain and audit start with the enforcement warning when policies are ignored', async () => {
    for (const args of [['matrix'], ['explain', 'shop/api'], ['audit']]) {
      const run = await runCli([...args, '-f', FLANNEL]);
      expect(run.stdout.split('\n')[0], args[0]).toBe(
        "not enforced: Flannel does not enforce NetworkPolicies, so the traffic flows whatever they say (--assume-enforced: the policies' verdict)",
      );
      const json = JSON.parse((await runCli([...args, '-f', FLANNEL, '-o', 'json'])).stdout);
      expect(json.enforcement).toEqual({
        plugin: 'Flannel',
        enforcesPolicies: false,
        assumed: false,
      });
    }
  });

  it('audit with --assume-enforced drops the warning and says so in the JSON', async () => {
    const text = await runCli(['audit', '-f', FLANNEL, '--assume-enforced']);
    expect(text.stdout).not.toContain('not enforced:');
    const json = JSON.parse(
      (await runCli(['audit', '-f', FLANNEL, '--assume-enforced', '-o', 'json'])).stdout,
    );
    expect(json.enforcement).toEqual({ plugin: 'Flannel', enforcesPolicies: false, assumed: true });
  });
});
