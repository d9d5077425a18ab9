import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const VERSION = JSON.parse(readFileSync('package.json', 'utf8')).version;

/** The examples of a help text in kubectl's layout: `  # description` over `  command`. */
function examples(help: string): { description: string; command: string }[] {
  const lines = help.split('\n');
  return lines.flatMap((line, i) =>
    line.startsWith('  # ')
      ? [{ description: line.slice(4), command: (lines[i + 1] ?? '').trim() }]
      : [],
  );
}

describe('kubectl netpol --version', () => {
  it('prints the package version, the commit and the Node.js runtime', async () => {
    const run = await runCli(['--version']);
    expect(run.stdout).toMatch(
      new RegExp(
        `^Version: v${VERSION}\nCommit: ([0-9a-f]{12}(-dirty)?|unknown)\nNode.js: ${process.version}\n$`,
      ),
    );
    expect(run.exitCode).toBe(0);
  });

  it('is a flag of kubectl netpol itself, not of its commands', async () => {
    const run = await runCli(['check', 'a', 'b', '--port', '80', '--version']);
    expect(run.stderr).toBe(
      "error: unknown flag: --version\nSee 'kubectl netpol check --help' for usage.\n",
    );
    expect(run.exitCode).toBe(2);
  });
});

describe('help', () => {
  it('calls the program `kubectl netpol` when kubectl runs bin/kubectl-netpol', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netpol-bin-'));
    symlinkSync(resolve('bin/kubectl-netpol'), join(dir, 'kubectl-netpol'));
    const run = spawnSync(process.execPath, [join(dir, 'kubectl-netpol'), '--help'], {
      encoding: 'utf8',
    });
    expect(run.stdout).toContain('\nUsage:\n  kubectl netpol [command] [options]\n');
  });

  it.each([
    [[]],
    [['check']],
    [['explain']],
    [['matrix']],
    [['scaffold']],
    [['scaffold', 'allow']],
    [['completion']],
  ])('kubectl netpol %j --help has examples as kubectl lays them out', async (command) => {
    const run = await runCli([...command, '--help']);
    expect(run.stdout).toMatch(/\nExamples:\n {2}# /);
    const found = examples(run.stdout);
    expect(found.length).toBeGreaterThan(0);
    for (const { command: line } of found) {
      expect(
        line.startsWith(['kubectl netpol', ...command].join(' ')) || line.startsWith('source <('),
      ).toBe(true);
      expect(line.length).toBeLessThanOrEqual(98);
    }
  });

  it('every example on the demo cluster runs as shown', async () => {
    const help = await Promise.all(
      [['check'], ['explain'], ['matrix']].map((command) => runCli([...command, '--help'])),
    );
    const demoExamples = help
      .flatMap((run) => examples(run.stdout))
      .filter(({ command }) => command.endsWith(' --demo'));
    expect(demoExamples.length).toBeGreaterThan(0);
    for (const { command } of demoExamples) {
      const run = await runCli(command.split(' ').slice(2));
      expect(run.stderr, command).toBe('');
      expect(run.exitCode, command).toBe(0);
    }
  });
});

describe('kubectl netpol __complete (what kubectl_complete-netpol runs)', () => {
  // Without descriptions, as cobra's shells ask when told not to show them.
  const complete = async (...words: string[]) =>
    (await runCli(['__completeNoDesc', ...words])).stdout;
  const described = async (...words: string[]) => (await runCli(['__complete', ...words])).stdout;

  it('answers in cobra’s protocol: candidates, then the directive', async () => {
    expect(await complete('ch')).toBe('check\n:4\n');
    expect(await complete('')).toMatch(
      /^check\nexplain\nscaffold\nmatrix\n(.*\n)*completion\noptions\n:4\n$/,
    );
  });

  it('completes a command’s flags once a dash is typed, the typed one included', async () => {
    // --token is the global connection flag, which matches as well.
    expect((await complete('scaffold', 'allow', '--to')).split('\n')).toEqual([
      '--token',
      '--to',
      '--to-namespace',
      '--to-cidr',
      ':4',
      '',
    ]);
    expect(await complete('check', 'production/web', '')).toBe(':4\n');
  });

  it('offers the choices of an option or positional', async () => {
    expect(await complete('check', '-o', '')).toBe(
      'text\njson\nyaml\njsonpath=\njsonpath-file=\n:4\n',
    );
    expect(await complete('scaffold', 'default-deny', '--direction', 'e')).toBe('egress\n:4\n');
    expect(await complete('completion', '')).toBe('bash\nzsh\nfish\npowershell\n:4\n');
  });

  it('leaves a file option’s value to the shell', async () => {
    expect(await complete('matrix', '-f', '')).toBe(':0\n');
    expect(await complete('--kubeconfig', '')).toBe(':0\n');
    expect(await complete('diff', '--base', '')).toBe(':0\n');
    expect(await complete('diff', '--delete', '')).toBe(':0\n');
  });

  it('completes targets from the demo: pods and workloads after NAMESPACE/, services after svc/', async () => {
    const lines = (await complete('check', '--demo', 'production/')).split('\n');
    expect(lines).toContain('production/frontend-84c5d9b7f6-hx2lq');
    expect(lines).toContain('production/frontend');
    expect(lines.at(-2)).toBe(':4');
    expect(await complete('check', '--demo', '-n', 'production', 'svc/')).toBe(
      'svc/frontend\nsvc/api\nsvc/postgres\n:4\n',
    );
    expect(await complete('check', '--demo', 'production/api', 'svc/')).toBe(':4\n');
    expect(await complete('explain', '--demo', 'production/hx2')).toBe(
      'production/frontend-84c5d9b7f6-hx2lq\n:4\n',
    );
    expect(await complete('scaffold', 'fix', '--demo', 'stag')).toBe('staging/\n:6\n');
  });

  it('describes each name after a tab, as cobra’s protocol has it', async () => {
    const lines = (await described('explain', '--demo', '-n', 'production', '')).split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'production/\tNamespace, 6 pods',
        'svc/\tServices in production',
        'api\tDeployment production, 2 pods',
        'postgres\tStatefulSet production, 1 pod',
        'api-7d9f8b6c5-x2k4p\tPod production (app.kubernetes.io/name=api)',
        'netpol/\tNetworkPolicies in production',
        'cnp/\tClusterNetworkPolicies',
      ]),
    );
    expect(await described('check', '--demo', '-n', 'production', 'svc/a')).toBe(
      'svc/api\tService production, ports 8080/TCP, 9090/TCP\n:4\n',
    );
    expect(await described('--demo', '-n', 'pro')).toBe('production\tNamespace, 6 pods\n:4\n');
    // Commands and flags come from yargs, without descriptions.
    expect(await described('ch')).toBe('check\n:4\n');
  });

  it('offers explain the policies: netpol/ in the namespace, NAMESPACE/netpol/, cnp/', async () => {
    expect(await described('explain', '--demo', '-n', 'production', 'netpol/allow-api-i')).toBe(
      'netpol/allow-api-ingress-from-frontend\tNetworkPolicy production, selects 2 pods\n:4\n',
    );
    expect(await complete('explain', '--demo', 'staging/netpol/')).toMatch(
      /^(staging\/netpol\/[-a-z]+\n)+:4\n$/,
    );
    expect(await complete('explain', '--demo', 'staging/')).toContain('staging/netpol/\n');
    expect(await described('explain', '--demo', 'cnp/')).toBe(
      'cnp/protect-kube-system\tClusterNetworkPolicy, Admin tier, priority 10\n' +
        'cnp/legacy-default-deny\tClusterNetworkPolicy, Baseline tier, priority 100\n:4\n',
    );
    // check takes no policy.
    expect(await complete('check', '--demo', 'netpol/')).toBe(':4\n');
    expect(await complete('check', '--demo', '-n', 'production', '')).not.toContain('netpol/');
  });

  it('offers namespaces for -n, not subcommands', async () => {
    expect(await complete('check', '--demo', '-n', 'pro')).toBe('production\n:4\n');
    expect(await complete('--demo', '--namespace', 'ten')).toBe(
      'tenant-a\ntenant-b\ntenant-c\n:4\n',
    );
  });

  it('completes targets from the manifests of -f', async () => {
    const file = 'test/fixtures/manifests/services-and-names/cluster.yaml';
    expect(await complete('check', '-f', file, '-n', 'namespace-a', 'svc/')).toBe(
      'svc/billing-db\nsvc/legacy\n:4\n',
    );
    expect(await complete('explain', '-f', file, 'namespace-a/ng')).toBe(
      'namespace-a/nginx\nnamespace-a/nginx-7d4b9c-x2x\nnamespace-a/nginx-7d4b9c-z9z\n:4\n',
    );
  });

  it('offers nothing, silently and within --request-timeout, when the cluster does not answer', async () => {
    // A server that accepts connections and never answers.
    const silent = createServer(() => {});
    await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
    const { port } = silent.address() as AddressInfo;
    const kubeconfig = join(mkdtempSync(join(tmpdir(), 'netpol-complete-')), 'config');
    writeFileSync(
      kubeconfig,
      `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:${port}", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`,
    );
    // The server never answers: only the --request-timeout bound ends the process, and without it
    // the test fails at its own time limit, whatever the machine's load.
    const run = await runCli(['__complete', 'check', '--request-timeout', '1s', 'prod'], '', {
      KUBECONFIG: kubeconfig,
    });
    silent.close();
    expect(run.stdout).toBe(':4\n');
    expect(run.stderr).toBe('');
  }, 120_000);

  it('offers the graph formats to matrix alone', async () => {
    expect(await complete('matrix', '-o', '')).toBe(
      'text\nwide\nname\njson\nyaml\njsonpath=\njsonpath-file=\ndot\nmermaid\nsvg\n:4\n',
    );
    expect(await complete('explain', '-o', 'w')).toBe('wide\n:4\n');
    expect(await complete('audit', '-o', 'jsonpath')).toBe('jsonpath=\njsonpath-file=\n:6\n');
    expect(await complete('matrix', '--group', '')).toBe('connections\nworkload\nnamespace\n:4\n');
  });
});
