import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const PRODUCTION_PODS = [
  'production/frontend-84c5d9b7f6-hx2lq',
  'production/frontend-84c5d9b7f6-zq8nd',
  'production/api-7d9f8b6c5-x2k4p',
  'production/api-7d9f8b6c5-b9tlm',
  'production/postgres-0',
  'production/batch-export-28471920-7kqzv',
];

/** The pod ids in the rows of matrix's text table. */
function matrixRows(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((line) => /^\d+ /.test(line))
    .map((line) => line.split(/\s+/)[1] as string);
}

describe('unknown flags and arguments, in kubectl words', () => {
  it.each([
    [['matrix', '--demo', '--foo', '--asGroup', 'x'], 'unknown flag: --foo', 'matrix'],
    [['matrix', '--demo', '--as-groups=x'], 'unknown flag: --as-groups', 'matrix'],
    [['check', 'a', 'b', '-x'], "unknown shorthand flag: 'x' in -x", 'check'],
    [['matrix', 'extra'], 'unknown command "extra" for "kubectl netpol matrix"', 'matrix'],
    [['frobnicate'], 'unknown command "frobnicate" for "kubectl netpol"', ''],
    [['scaffold', 'allow', '--bogus'], 'unknown flag: --bogus', 'scaffold allow'],
  ])('%j: %s', async (args, message, command) => {
    const run = await runCli(args);
    const help = command ? `kubectl netpol ${command}` : 'kubectl netpol';
    expect(run.stderr).toBe(`error: ${message}\nSee '${help} --help' for usage.\n`);
    expect(run.stdout).toBe('');
    expect(run.exitCode).toBe(2);
  });
});

describe('--request-timeout', () => {
  it.each([
    ['check', '--demo', 'a', 'b', '--port', '80'],
    ['matrix', '-f', 'no-such-dir'],
  ])('is refused as it is read, before anything runs: %j', async (...args) => {
    const run = await runCli([...args, '--request-timeout', '5 minutes']);
    expect(run.stderr).toBe(
      'error: --request-timeout 5 minutes: expected a duration such as 5s, 1m or 0\n' +
        `See 'kubectl netpol ${args[0]} --help' for usage.\n`,
    );
    expect(run.stdout).toBe('');
    expect(run.exitCode).toBe(2);
  });
});

describe('help in kubectl layout', () => {
  it('lists a command’s description, examples, own options, usage, then the global pointer', async () => {
    const run = await runCli(['matrix', '--help']);
    const headers = run.stdout.split('\n').filter((line) => /^[A-Z][\w ]*:$/.test(line));
    expect(headers).toEqual(['Examples:', 'Options:', 'Usage:']);
    expect(run.stdout.startsWith('connectivity between every pair of pods\n')).toBe(true);
    expect(run.stdout).toContain('  -l, --selector');
    expect(run.stdout).toContain('      --no-headers');
    expect(run.stdout).not.toContain('--kubeconfig');
    expect(run.stdout).not.toContain('--help');
    expect(
      run.stdout.endsWith(
        'Usage:\n  kubectl netpol matrix [options]\n\nUse "kubectl netpol options" for a list of global command-line options (applies to all commands).\n',
      ),
    ).toBe(true);
  });

  it('explains a command’s arguments before its options', async () => {
    const run = await runCli(['check', '--help']);
    const headers = run.stdout.split('\n').filter((line) => /^[A-Z][\w ]*:$/.test(line));
    expect(headers).toEqual(['Examples:', 'Arguments:', 'Options:', 'Usage:']);
    expect(run.stdout).toMatch(/\n {2}source +NAME or NAMESPACE\/NAME/);
    expect(run.stdout).toContain(
      'Usage:\n  kubectl netpol check <source> <destination> [options]\n',
    );
  });

  it('lists the commands at the top level as kubectl plugins do', async () => {
    const run = await runCli(['--help']);
    expect(run.stdout).toMatch(/\nAvailable Commands:\n {2}check {2,}can SOURCE reach/);
    expect(run.stdout).toMatch(/\n {2}options {2,}print the global command-line options/);
    expect(run.stdout).toContain(
      'Use "kubectl netpol <command> --help" for more information about a given command.\n',
    );
  });

  it('puts audit’s notes in its description, before its examples', async () => {
    const run = await runCli(['audit', '--help']);
    expect(run.stdout.indexOf('Severities:')).toBeLessThan(run.stdout.indexOf('Examples:'));
    expect(run.stdout).toContain(
      '  # The findings about the pods labelled app=api\n  kubectl netpol audit -l app=api',
    );
  });

  it('prints the global options with `kubectl netpol options`', async () => {
    const run = await runCli(['options']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout.startsWith('The following options can be passed to any command:\n\n')).toBe(
      true,
    );
    for (const flag of ['--kubeconfig', '--context', '-n, --namespace', '--request-timeout'])
      expect(run.stdout).toContain(flag);
    expect(run.stdout).not.toContain('--demo');
  });
});

describe('-l/--selector', () => {
  it('restricts matrix’s rows and columns to the pods it selects (set-based syntax)', async () => {
    const run = await runCli([
      'matrix',
      '--demo',
      '-n',
      'production',
      '-l',
      'app in (api,postgres)',
    ]);
    expect(run.exitCode).toBe(0);
    expect(matrixRows(run.stdout)).toEqual([
      'production/api-7d9f8b6c5-x2k4p',
      'production/api-7d9f8b6c5-b9tlm',
      'production/postgres-0',
    ]);
    const cells = run.stdout.split('\n').filter((line) => /^\d+ /.test(line));
    expect(cells.every((line) => /\s[X~.?]{3}$/.test(line))).toBe(true);
  });

  it('narrows explain’s lists of pods reached', async () => {
    const all = await runCli(['explain', '--demo', 'production/postgres-0', '-o', 'json']);
    const some = await runCli([
      'explain',
      '--demo',
      'production/postgres-0',
      '-o',
      'json',
      '-l',
      'app!=api',
    ]);
    const reaching = (stdout: string) =>
      (JSON.parse(stdout) as { ingress: { pods: { pod: string }[] } }).ingress.pods.map(
        (p) => p.pod,
      );
    expect(reaching(all.stdout).some((pod) => pod.startsWith('production/api-'))).toBe(true);
    // Only the host of its node is left (node-local traffic, UNKNOWN on the Calico demo).
    expect(reaching(some.stdout)).toEqual(['kube-system/calico-node-m4z9d']);
  });

  it('narrows explain’s overview and audit’s findings', async () => {
    const overview = await runCli(['explain', '--demo', '-A', '-l', 'app=postgres', '-o', 'name']);
    expect(overview.stdout).toBe('pod/postgres-0\n');
    const audit = await runCli(['audit', '--demo', '-l', 'app=web-frontend', '-o', 'json']);
    const findings = (JSON.parse(audit.stdout) as { findings: { objects: { name: string }[] }[] })
      .findings;
    expect(findings.length).toBeGreaterThan(0);
    for (const finding of findings)
      expect(finding.objects.some((o) => o.name.startsWith('web-'))).toBe(true);
  });

  // kubectl get -l matching nothing writes, on stderr, `No resources found in NS namespace.`
  // (or `No resources found` with -A) and exits 0; -o json and -o yaml print an empty list.
  it.each([
    [['matrix', '-n', 'production'], 'No resources found in production namespace.\n'],
    [['explain', '-A'], 'No resources found\n'],
    [['audit', '-n', 'production'], 'No resources found in production namespace.\n'],
  ])('%j -l matching nothing says so as kubectl does, and exits 0', async (command, says) => {
    const run = await runCli([...command, '--demo', '-l', 'app=nothing']);
    expect(run).toMatchObject({ exitCode: 0, stdout: '', stderr: says });
  });

  // kubectl get -n with a namespace that holds nothing says the same, rather than empty tables.
  it.each([
    [['explain', '-n', 'prodution'], 'No resources found in prodution namespace.\n'],
    [['audit', '-n', 'prodution'], 'No resources found in prodution namespace.\n'],
  ])('%j, a namespace not in the input, says so as kubectl does', async (command, says) => {
    const run = await runCli([...command, '--demo']);
    expect(run).toMatchObject({ exitCode: 0, stdout: '', stderr: says });
  });

  it('keeps -o json and -o yaml valid when -l matches nothing: empty lists', async () => {
    const matrix = await runCli(['matrix', '--demo', '-l', 'app=nothing', '-o', 'json']);
    expect(matrix.exitCode).toBe(0);
    expect(JSON.parse(matrix.stdout)).toMatchObject({ pods: [], pairs: [] });
    const overview = await runCli(['explain', '--demo', '-l', 'app=nothing', '-o', 'json']);
    expect(JSON.parse(overview.stdout)).toMatchObject({ pods: [] });
    const audit = await runCli(['audit', '--demo', '-l', 'app=nothing', '-o', 'yaml']);
    expect(audit).toMatchObject({ exitCode: 0, stderr: '' });
    expect(audit.stdout).toContain('findings: []\n');
  });

  it('names a selector that does not parse, in one line', async () => {
    const run = await runCli(['matrix', '--demo', '-l', 'app in (api']);
    expect(run.stderr.split('\n')[0]).toBe(
      'error: -l app in (api: cannot parse selector term "app in (api"',
    );
    expect(run.exitCode).toBe(2);
  });
});

describe('--no-headers', () => {
  it('leaves the header line out of matrix, explain and diff tables', async () => {
    const matrix = await runCli(['matrix', '--demo', '-n', 'production', '--no-headers']);
    expect(matrix.stdout.split('\n')[0]).toMatch(/^1 +production\/frontend-/);
    const explain = await runCli(['explain', '--demo', '-n', 'production', '--no-headers']);
    expect(explain.stdout).not.toContain('NAMESPACE');
    expect(explain.stdout).toMatch(/^production +6 +9 /);
    const diff = await runCli([
      'diff',
      '--demo',
      '-f',
      'test/fixtures/diff/api-ingress-widened.yaml',
      '--no-headers',
    ]);
    expect(diff.stdout).not.toContain('CHANGE');
    expect(diff.stdout).toMatch(/\nopened +\S+\/\S+ /);
  });
});

describe('-o wide and -o name', () => {
  it('adds kind and IP columns to matrix', async () => {
    const run = await runCli(['matrix', '--demo', '-n', 'production', '-o', 'wide']);
    expect(run.stdout.split('\n')[0]).toMatch(/^# +FROM +KIND +IP +TO$/);
    expect(run.stdout).toMatch(/\n5 +production\/postgres-0 +Pod +10\.244\.1\.20 +/);
  });

  it('adds the isolating policies to explain’s overview', async () => {
    const run = await runCli(['explain', '--demo', '-n', 'production', '-o', 'wide']);
    expect(run.stdout).toMatch(/ POLICIES\n/);
    expect(run.stdout).toMatch(
      /\nproduction +postgres-0 .* default-deny-all,allow-database-ingress-from-api,allow-dns-egress\n/,
    );
  });

  it('lists pods, policies and objects with findings as kind/name', async () => {
    const matrix = await runCli(['matrix', '--demo', '-n', 'production', '-o', 'name']);
    expect(matrix.stdout).toBe(
      `${PRODUCTION_PODS.map((id) => `pod/${id.split('/')[1]}`).join('\n')}\n`,
    );
    const explain = await runCli(['explain', '--demo', 'production/postgres-0', '-o', 'name']);
    expect(explain.stdout).toBe(
      [
        'networkpolicy.networking.k8s.io/default-deny-all',
        'networkpolicy.networking.k8s.io/allow-database-ingress-from-api',
        'networkpolicy.networking.k8s.io/allow-dns-egress',
        '',
      ].join('\n'),
    );
    const audit = await runCli(['audit', '--demo', '-o', 'name']);
    const lines = audit.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(new Set(lines).size).toBe(lines.length);
    for (const line of lines) expect(line).toMatch(/^[a-z0-9.]+\/\S+$/);
  });

  it('takes the last -o when given twice, as kubectl does', async () => {
    const run = await runCli(['matrix', '--demo', '-n', 'production', '-o', 'wide', '-o', 'name']);
    expect(run.stdout.split('\n')[0]).toBe('pod/frontend-84c5d9b7f6-hx2lq');
  });

  it('rejects a format a command does not have, in kubectl words', async () => {
    const run = await runCli(['check', 'a', 'b', '--demo', '-o', 'wide']);
    expect(run.stderr.split('\n')[0]).toBe(
      'error: unable to match a printer suitable for the output format "wide", allowed formats are: text,json,yaml,jsonpath,jsonpath-file',
    );
    expect(run.exitCode).toBe(2);
  });
});

describe('-o jsonpath', () => {
  const CHECK = [
    'check',
    'production/frontend-84c5d9b7f6-hx2lq',
    'svc/api',
    '-n',
    'production',
    '--port',
    '8080',
    '--demo',
  ];

  it('fills a template from the -o json document', async () => {
    const run = await runCli([...CHECK, '-o', 'jsonpath={.verdict}{"\\n"}']);
    expect(run.stdout).toBe('ALLOWED\n');
    expect(run.exitCode).toBe(0);
  });

  it('iterates with range/end and filters, on matrix', async () => {
    const run = await runCli([
      'matrix',
      '--demo',
      '-n',
      'production',
      '-o',
      'jsonpath={range .pods[?(@.name=="postgres-0")]}{.id} {.kind}{"\\n"}{end}',
    ]);
    expect(run.stdout).toBe('production/postgres-0 Pod\n');
  });

  it('reads the template from a file with jsonpath-file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'netpol-jsonpath-')), 'template');
    writeFileSync(file, '{.policyVerdict}');
    const run = await runCli([...CHECK, '-o', `jsonpath-file=${file}`]);
    expect(run.stdout).toBe('ALLOWED');
  });

  it('reports a template that does not parse, and a missing file, in one line', async () => {
    const bad = await runCli([...CHECK, '-o', 'jsonpath={.verdict']);
    expect(bad.stderr).toBe('error: error parsing jsonpath {.verdict, unclosed action\n');
    expect(bad.exitCode).toBe(2);
    const missing = await runCli([...CHECK, '-o', 'jsonpath-file=/nonexistent/template']);
    expect(missing.stderr).toBe(
      'error: error reading jsonpath-file /nonexistent/template: no such file or directory\n',
    );
    const empty = await runCli([...CHECK, '-o', 'jsonpath=']);
    expect(empty.stderr.split('\n')[0]).toBe(
      'error: template format specified but no template given',
    );
  });
});
