import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { ALIAS_BOMB } from '../helpers/hostile-yaml.js';

const POD = `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {containers: [{name: web, image: nginx, ports: [{name: http, containerPort: 80}]}]}
status: {podIP: 10.0.0.1}
`;

const DENY_ALL = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all, namespace: shop}
spec: {podSelector: {}}
`;

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-bad-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const overview = (dir: string, file: string) => runCli(['explain', '-f', join(dir, file)]);

const CYCLE = `apiVersion: v1
kind: Pod
metadata:
  name: loop
  namespace: shop
  labels: &l {app: web, self: *l}
`;

const CRASH = /internal error|^\s+at /m;

describe('bad input never crashes and names the problem', () => {
  it('reports a malformed document with file and index and still analyses the rest', async () => {
    const dir = workspace({
      'mixed.yaml': `${POD}---\nkind: Pod\nmetadata: [unclosed\n---\n${DENY_ALL}`,
    });
    const run = await overview(dir, 'mixed.yaml');
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toMatch(
      /^error: .*mixed\.yaml:\d+ \(document 2\): malformed YAML: .* at line \d+, column \d+$/m,
    );
    expect(run.stdout).toMatch(/shop\s+web\s+Pod\s+10\.0\.0\.1\s+isolated \(1\)\s+open/);
  });

  it('refuses an alias cycle in one file and still analyses the other files of the directory', async () => {
    const dir = workspace({ 'cycle.yaml': CYCLE, 'good.yaml': `${POD}---\n${DENY_ALL}` });
    const run = await runCli(['matrix', '-f', dir]);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe(
      `error: ${join(dir, 'cycle.yaml')}:1 (document 1): Pod shop/loop: refused: the alias *l lies inside the node anchored &l (a cycle) at line 6, column 31\n`,
    );
    expect(run.stdout).toContain('shop/web');
  });

  it('exits 2 without a crash when the only file holds an alias cycle', async () => {
    const run = await overview(workspace({ 'cycle.yaml': CYCLE }), 'cycle.yaml');
    expect(run.exitCode).toBe(2);
    expect(run.stderr).not.toMatch(CRASH);
    expect(run.stderr.split('\n')).toEqual([
      expect.stringMatching(
        /^error: .*cycle\.yaml:1 \(document 1\): Pod shop\/loop: refused: .* \(a cycle\)/,
      ),
      expect.stringMatching(/^error: nothing to analyse: /),
      '',
    ]);
  });

  it('refuses an alias bomb in document 1 and analyses document 2 of the same file', async () => {
    const run = await overview(
      workspace({ 'bomb.yaml': `${ALIAS_BOMB}\n---\n${POD}` }),
      'bomb.yaml',
    );
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toMatch(
      /^error: .*bomb\.yaml:1 \(document 1\): refused: aliases expand to more than 1000 copies of a node \(an alias bomb\)$/m,
    );
    expect(run.stdout).toMatch(/shop\s+web\s+Pod/);
  });

  it('reads a file with a byte order mark and CRLF line ends, and locates a tab-indented document', async () => {
    const tabbed = 'apiVersion: v1\nkind: Pod\nmetadata:\n\tname: tabbed\n';
    const text = `\uFEFF${POD}---\n${tabbed}---\n${DENY_ALL}`.replaceAll('\n', '\r\n');
    const dir = workspace({ 'windows.yaml': text });
    const run = await overview(dir, 'windows.yaml');
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe(
      `error: ${join(dir, 'windows.yaml')}:7 (document 2): malformed YAML: tab characters must not be used in indentation at line 10, column 1\n`,
    );
    expect(run.stdout).toMatch(/shop\s+web\s+Pod\s+10\.0\.0\.1\s+isolated \(1\)\s+open/);
  });

  it('skips a FIFO in a -f directory with a note instead of waiting on it', async () => {
    const dir = workspace({ 'pod.yaml': POD });
    execFileSync('mkfifo', [join(dir, 'pipe.yaml')]);
    const run = await runCli(['explain', '-f', dir]);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe(
      `note: ${join(dir, 'pipe.yaml')}: skipped: a FIFO, not a regular file\n`,
    );
    expect(run.stdout).toMatch(/shop\s+web\s+Pod/);
  });

  it('ignores unknown kinds with a note', async () => {
    const dir = workspace({
      'cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\n${POD}`,
    });
    const run = await overview(dir, 'cm.yaml');
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain(
      'note: ignored 1 ConfigMap object: not used by NetworkPolicy analysis',
    );
  });

  it('rejects a policy with an invalid CIDR, naming the field, and keeps the others', async () => {
    const bad = DENY_ALL.replace('deny-all', 'bad-cidr').replace(
      'spec: {podSelector: {}}',
      'spec: {podSelector: {}, egress: [{to: [{ipBlock: {cidr: 10.0.0.0/33}}]}]}',
    );
    const dir = workspace({ 'p.yaml': `${POD}---\n${bad}---\n${DENY_ALL}` });
    const run = await runCli([
      'check',
      '-f',
      join(dir, 'p.yaml'),
      'shop/web',
      '10.9.9.9',
      '--port',
      '80',
    ]);
    expect(run.stderr).toMatch(
      /error: .*p\.yaml:10:57 \(document 2\): NetworkPolicy shop\/bad-cidr: spec\.egress\[0\]\.to\[0\]\.ipBlock\.cidr: Invalid value: "10\.0\.0\.0\/33"/,
    );
    // Only deny-all (Ingress) is in effect: egress to the address stays open.
    expect(run.exitCode).toBe(0);
  });

  it('lists the first 20 errors of a policy refused for thousands, then how many more', async () => {
    const ports = Array.from({ length: 5000 }, (_, i) => `{port: ${70000 + i}}`).join(', ');
    const bad = DENY_ALL.replace('deny-all', 'huge').replace(
      'spec: {podSelector: {}}',
      `spec: {podSelector: {}, ingress: [{ports: [${ports}]}]}`,
    );
    const dir = workspace({ 'p.yaml': `${POD}---\n${bad}` });
    const run = await overview(dir, 'p.yaml');
    const lines = run.stderr.split('\n').filter((line) => line.includes('NetworkPolicy shop/huge'));
    expect(lines).toHaveLength(21);
    expect(lines[19]).toContain('spec.ingress[0].ports[19].port: Invalid value: 70019');
    expect(lines[20]).toMatch(/NetworkPolicy shop\/huge: and 4980 more errors$/);
    expect(run.exitCode).toBe(0);
  });

  it('rejects an invalid selector operator with its path', async () => {
    const bad = DENY_ALL.replace(
      'spec: {podSelector: {}}',
      'spec: {podSelector: {matchExpressions: [{key: app, operator: Equals, values: [web]}]}}',
    );
    const run = await overview(workspace({ 'op.yaml': `${POD}---\n${bad}` }), 'op.yaml');
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain(
      'spec.podSelector.matchExpressions[0].operator: Unsupported value: "Equals"',
    );
    expect(run.stdout).toMatch(/shop\s+web\s+Pod\s+10\.0\.0\.1\s+open\s+open/);
  });

  it('warns about a port name that no pod declares', async () => {
    const policy = DENY_ALL.replace(
      'spec: {podSelector: {}}',
      'spec: {podSelector: {}, ingress: [{ports: [{port: htpp}]}]}',
    );
    const run = await overview(workspace({ 'np.yaml': `${POD}---\n${policy}` }), 'np.yaml');
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toMatch(
      /warning: .*np\.yaml:\d+ \(document 2\): NetworkPolicy shop\/deny-all: spec\.ingress\[0\]\.ports\[0\]\.port: no pod declares a TCP container port named "htpp"/,
    );
  });

  it('fails with exit 2 on an empty file, naming it', async () => {
    const dir = workspace({ 'empty.yaml': '' });
    const run = await overview(dir, 'empty.yaml');
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/^error: nothing to analyse: .*empty\.yaml$/m);
    expect(run.stdout).toBe('');
  });

  it('fails with exit 2 on a directory without manifests', async () => {
    const dir = workspace({ 'notes.txt': 'hello' });
    const run = await runCli(['explain', '-f', dir]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`warning: ${dir}: directory holds no .yaml, .yml or .json files`);
  });

  it('names a missing file and exits 2 when nothing else was given', async () => {
    const run = await runCli(['explain', '-f', '/nonexistent/netpol.yaml']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(
      'error: /nonexistent/netpol.yaml: cannot read: no such file or directory',
    );
  });

  it('keeps analysing the readable files when one path is missing', async () => {
    const dir = workspace({ 'pod.yaml': POD });
    const run = await runCli(['explain', '-f', '/nonexistent.yaml', '-f', join(dir, 'pod.yaml')]);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain('cannot read: no such file or directory');
    expect(run.stdout).toContain('web');
  });

  it('reads manifests from stdin with -f -', async () => {
    const run = await runCli(['check', '-f', '-', 'shop/web', 'shop/web', '--port', '80'], POD);
    expect(run.exitCode).toBe(0);
  });

  it('rejects a document that is not an object', async () => {
    const run = await overview(workspace({ 's.yaml': `just a string\n---\n${POD}` }), 's.yaml');
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toMatch(/error: .*s\.yaml:1 \(document 1\): not a Kubernetes object/);
  });

  it('answers exit 2 with one line for an unknown pod', async () => {
    const run = await runCli(['check', '-f', '-', 'shop/nope', 'shop/web', '--port', '80'], POD);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe('error: shop/nope: no pod shop/nope in the input\n');
  });

  it('answers exit 2 for an out-of-range port', async () => {
    const run = await runCli(['check', '-f', '-', 'shop/web', 'shop/web', '--port', '70000'], POD);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe('error: --port 70000: must be between 1 and 65535\n');
  });

  it('says how to work offline when no kubeconfig exists', async () => {
    const run = await runCli(['matrix']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(
      'no kubeconfig found (--kubeconfig, $KUBECONFIG or ~/.kube/config); use -f PATH or --demo to work offline',
    );
  });
});
