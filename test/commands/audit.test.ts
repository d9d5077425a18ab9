import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const FIXTURES = 'test/fixtures/audit';
/** Notes only: everything isolated by narrower policies, no plugin in the input. */
const NOTES_ONLY = `${FIXTURES}/no-default-deny/clean.yaml`;
/** Warnings at worst: pods open to ingress. */
const WARNINGS = `${FIXTURES}/unisolated-pods/triggers.yaml`;

describe('kubectl netpol audit', () => {
  it.each([
    [[], 0],
    [['--fail-on', 'error'], 1],
    [['--fail-on', 'warning'], 1],
  ])('on the demo cluster (two errors) with %j exits %i', async (flags, code) => {
    const run = await runCli(['audit', '--demo', ...flags]);
    expect(run.exitCode).toBe(code);
    expect(run.stdout).toContain('ERRORS (2)');
  });

  it.each([
    [WARNINGS, 'error', 0],
    [WARNINGS, 'warning', 1],
    [NOTES_ONLY, 'warning', 0],
  ])('on %s with --fail-on %s exits %i', async (file, failOn, code) => {
    const run = await runCli(['audit', '-f', file, '--fail-on', failOn]);
    expect(run.exitCode).toBe(code);
  });

  it('exits 2 on a mistake of use', async () => {
    expect((await runCli(['audit', '--demo', '--fail-on', 'notice'])).exitCode).toBe(2);
    const missing = await runCli(['audit', '-f', `${FIXTURES}/no-such-file.yaml`]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('nothing to analyse');
  });

  it('narrows to -n NAMESPACE, keeping the cluster-wide plugin check; -A overrides -n', async () => {
    const file = `${FIXTURES}/cni-ignores-policies/triggers.yaml`;
    const json = async (...flags: string[]) =>
      JSON.parse((await runCli(['audit', '-f', file, '-o', 'json', ...flags])).stdout) as {
        findings: { code: string; namespace?: string }[];
      };
    const shop = await json('-n', 'shop');
    expect(shop.findings.map((f) => [f.code, f.namespace])).toEqual([
      ['cni-ignores-policies', undefined],
      ['unisolated-pods', 'shop'],
    ]);
    const staging = await runCli(['audit', '--demo', '-n', 'staging', '-o', 'json']);
    const demoAll = await runCli(['audit', '--demo', '-A', '-n', 'staging', '-o', 'json']);
    expect(JSON.parse(demoAll.stdout).findings.length).toBeGreaterThan(
      JSON.parse(staging.stdout).findings.length,
    );
  });

  it('prints JSON with the plugin, a summary, and each finding with message, objects and fixes', async () => {
    const run = await runCli([
      'audit',
      '-f',
      `${FIXTURES}/cni-ignores-policies/triggers.yaml`,
      '-o',
      'json',
    ]);
    const report = JSON.parse(run.stdout);
    expect(report.cni).toMatchObject({ plugin: 'Flannel', enforcesPolicies: false });
    expect(report.summary).toEqual({ error: 1, warning: 0, info: 1 });
    expect(report.findings[0]).toMatchObject({
      severity: 'error',
      code: 'cni-ignores-policies',
      message: expect.stringContaining('Flannel does not enforce NetworkPolicies'),
      objects: [{ kind: 'DaemonSet', namespace: 'kube-flannel', name: 'kube-flannel-ds' }],
      fixes: [{ text: expect.stringContaining('policy engine') }],
    });
  });

  it('reports an unknown named port once, as a finding rather than an input warning', async () => {
    const run = await runCli(['audit', '-f', `${FIXTURES}/unknown-named-port/triggers.yaml`]);
    expect(run.stdout).toContain('port metric/TCP matches nothing');
    expect(run.stderr).toBe('');
  });

  it('reports cluster policies of one priority in conflict as an error, in JSON and text', async () => {
    const file = `${FIXTURES}/equal-priority-conflict/triggers.yaml`;
    const run = await runCli(['audit', '-f', file, '-o', 'json', '--fail-on', 'error']);
    expect(run.exitCode).toBe(1);
    const conflict = (
      JSON.parse(run.stdout) as { findings: { code: string; fixes: { text: string }[] }[] }
    ).findings.find((f) => f.code === 'equal-priority-conflict');
    expect(conflict).toMatchObject({
      severity: 'error',
      policies: ['cnp/a', 'cnp/b'],
      example: { direction: 'ingress', subject: 'shop/api', protocol: 'TCP', port: 80 },
      message: expect.stringContaining('share Admin priority 10'),
      objects: [
        { kind: 'ClusterNetworkPolicy', name: 'a' },
        { kind: 'ClusterNetworkPolicy', name: 'b' },
      ],
    });
    expect(conflict?.fixes.map((fix) => fix.text)).toEqual([
      'set spec.priority of cnp/b to 11 (or another priority no policy of its tier takes)',
    ]);
    const text = await runCli(['audit', '-f', file]);
    expect(text.stdout).toContain(
      'cnp/a and cnp/b share Admin priority 10 and decide the same traffic differently, e.g. from pod',
    );
  });

  it('names the Admin rule that overrules a NetworkPolicy rule', async () => {
    const run = await runCli(['audit', '-f', `${FIXTURES}/rule-overruled-by-admin/triggers.yaml`]);
    expect(run.stdout).toContain(
      'shop/allow-web ingress rule 1 allows traffic that the Admin tier denies first: Admin cnp/no-web priority 10 ingress rule 1 [Deny]',
    );
  });
});
