/**
 * `kubectl netpol check` on denied flows: the closest rules, likely mistakes and a fix command
 * that can be pasted as it is printed.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shellWord } from '../../src/render/scaffold-command.js';
import { runCli } from '../helpers/cli.js';
import { namespaceYaml, podYaml, policyYaml, stream } from '../helpers/scenario.js';

const NGINX = 'ingress-nginx/ingress-nginx-controller-6f79748cff-k8z2w';
const FRONTEND = 'staging/web-frontend-7c8d9f6b5-kp4xz';

/** Splits a command line as a POSIX shell does for plain and single-quoted words. */
function shellSplit(line: string): string[] {
  const words: string[] = [];
  for (const [, quoted, plain] of line.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)) {
    words.push(plain ?? (quoted ?? '').replaceAll(`'\\''`, "'"));
  }
  return words;
}

describe('check diagnoses denied flows', () => {
  it('the JSON fix command, pasted, writes a policy that opens exactly the flow', async () => {
    const check = await runCli([
      'check',
      '--demo',
      NGINX,
      FRONTEND,
      '--port',
      '8080',
      '-o',
      'json',
    ]);
    expect(check.exitCode).toBe(1);
    const [diagnosis] = JSON.parse(check.stdout).flows[0].diagnosis;
    expect(diagnosis.kind).toBe('no-rules');
    expect(diagnosis.suggestions[0]).toMatchObject({
      kind: 'edit-selector',
      field: 'spec.podSelector',
    });
    const { command } = diagnosis.fix;
    expect(command).toBe(
      'kubectl netpol scaffold allow -n staging --to app.kubernetes.io/name=web-frontend --from app.kubernetes.io/name=ingress-nginx --from-namespace ingress-nginx --port 8080/TCP --demo',
    );
    const [kubectl, netpol, ...args] = shellSplit(command);
    expect([kubectl, netpol]).toEqual(['kubectl', 'netpol']);
    const scaffold = await runCli(args);
    expect(scaffold.exitCode).toBe(0);
    expect(scaffold.stdout).toContain('kind: NetworkPolicy');
    expect(scaffold.stderr).toContain(
      `# opens 4 flows\n#   ${NGINX} -> ${FRONTEND}: nothing => TCP 8080`,
    );
  });

  it('names DNS when the source cannot reach the cluster DNS, and offers allow-dns', async () => {
    const input = stream(
      namespaceYaml('kube-system'),
      namespaceYaml('web'),
      podYaml('kube-system/coredns-1', { labels: { 'k8s-app': 'kube-dns' }, ips: ['10.0.9.9'] }),
      podYaml('web/frontend', { labels: { app: 'frontend' }, ips: ['10.0.0.1'] }),
      policyYaml('web/default-deny', 'podSelector: {}\npolicyTypes: [Egress]'),
    );
    const run = await runCli(
      [
        'check',
        '-f',
        '-',
        'web/frontend',
        'kube-system/coredns-1',
        '--port',
        '53',
        '--protocol',
        'UDP',
        // The manifests show no network plugin: the policies' verdict, without the note.
        '--assume-enforced',
      ],
      input,
    );
    expect(run.exitCode).toBe(1);
    expect(run.stdout.split('\n').slice(-4)).toEqual([
      '  dns: web/frontend cannot resolve names: its egress is isolated and no rule allows UDP 53 to the cluster DNS',
      '  to allow it: let the pods of web reach the cluster DNS on UDP and TCP 53:',
      '    kubectl netpol scaffold allow-dns -n web',
      '',
    ]);
  });

  it('both directions denied: a fix for each', async () => {
    const run = await runCli([
      'check',
      '-f',
      'test/fixtures/manifests/shop',
      'shop/web-1',
      'payments/db-0',
      '--port',
      '5432',
    ]);
    const fixes = run.stdout.split('\n').filter((line) => line.startsWith('    kubectl netpol'));
    expect(fixes).toEqual([
      '    kubectl netpol scaffold allow -n shop --direction egress --from app=web --to app=db --to-namespace payments --port 5432/TCP -f test/fixtures/manifests/shop',
      '    kubectl netpol scaffold allow -n payments --to app=db --from app=web --from-namespace shop --port 5432/TCP -f test/fixtures/manifests/shop',
      // Issue 13 ("both sides"): then one command that writes both policies.
      '    kubectl netpol scaffold fix shop/web-1 payments/db-0 --port 5432 -f test/fixtures/manifests/shop',
    ]);
  });

  it('both directions denied: the one command printed, pasted, writes both policies and the flow is ALLOWED', async () => {
    const input = stream(
      namespaceYaml('app'),
      podYaml('app/frontend', { labels: { app: 'frontend' }, ips: ['10.0.0.1'] }),
      podYaml('app/backend', { labels: { app: 'backend' }, ips: ['10.0.0.2'] }),
      policyYaml('app/default-deny', 'podSelector: {}\npolicyTypes: [Ingress, Egress]'),
    );
    const dir = mkdtempSync(join(tmpdir(), 'netpol-both-'));
    const manifests = join(dir, 'cluster.yaml');
    writeFileSync(manifests, input);
    const checkArgs = ['check', '-f', manifests, 'app/frontend', 'app/backend', '--port', '8080'];
    const check = await runCli([...checkArgs, '--assume-enforced']);
    expect(check.exitCode).toBe(1);
    const lines = check.stdout.split('\n');
    const head = lines.indexOf('  to allow both sides in one go (one file, both policies):');
    const command = lines[head + 1]?.trim() ?? '';
    expect(command).toBe(
      `kubectl netpol scaffold fix app/frontend app/backend --port 8080 -f ${shellWord(manifests)}`,
    );
    const json = JSON.parse((await runCli([...checkArgs, '-o', 'json'])).stdout);
    expect(json.flows[0].fixBothSides.command).toBe(command);
    expect(json.flows[0].fixBothSides.fixes.map((f: { namespace: string }) => f.namespace)).toEqual(
      ['app', 'app'],
    );

    const [, , ...args] = shellSplit(command);
    const saved = join(dir, 'fix.yaml');
    const fix = await runCli([...args, '--save', saved]);
    expect(fix.exitCode).toBe(0);
    const documents = fix.stdout.split(/^---$/m);
    expect(documents).toHaveLength(2);
    expect(documents[0]).toContain('name: allow-frontend-egress');
    expect(documents[1]).toContain('name: allow-backend-ingress');
    expect(fix.stderr).toContain('#   app/frontend -> app/backend: nothing => TCP 8080\n');
    expect(fix.stderr).toContain(
      '# ALLOWED with these policies: app/frontend -> app/backend TCP 8080',
    );
    expect(readFileSync(saved, 'utf8')).toBe(fix.stdout);

    // The policies, added to the manifests, make the check ALLOWED.
    const after = await runCli([...checkArgs, '-f', saved, '--assume-enforced']);
    expect(after.exitCode).toBe(0);
    expect(after.stdout).toMatch(/ALLOWED/);

    // Saving again never overwrites without --force.
    const again = await runCli([...args, '--save', saved]);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain(saved);
  });

  it('scaffold fix names a flow no policy can allow: a host-network peer without an address', async () => {
    const input = stream(
      namespaceYaml('app'),
      // On another node than the backend: traffic with its own node is always allowed.
      podYaml('app/agent', { labels: { app: 'agent' }, hostNetwork: true, nodeName: 'n2' }),
      podYaml('app/backend', { labels: { app: 'backend' }, ips: ['10.0.0.2'], nodeName: 'n1' }),
      policyYaml('app/deny', 'podSelector: {}\npolicyTypes: [Ingress]'),
    );
    const run = await runCli(
      ['scaffold', 'fix', '-f', '-', 'app/agent', 'app/backend', '--port', '80'],
      input,
    );
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(
      'no scaffold can allow app/agent -> app/backend: a host-network peer without an address',
    );
  });

  it('scaffold fix on an allowed flow says there is nothing to fix', async () => {
    const run = await runCli(['scaffold', 'fix', '--demo', NGINX, NGINX, '--port', '80']);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/nothing to fix: .* is ALLOWED/);
  });
});

describe('shellWord', () => {
  it.each([
    ['app.kubernetes.io/name=web', 'app.kubernetes.io/name=web'],
    ['', "''"],
    ['tier in (a,b)', "'tier in (a,b)'"],
    ["it's", `'it'\\''s'`],
  ])('%j -> %s', (word, quoted) => {
    expect(shellWord(word)).toBe(quoted);
    expect(shellSplit(quoted)).toEqual([word]);
  });
});
