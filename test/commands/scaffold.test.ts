import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../helpers/cli.js';

const scaffold = (...args: string[]) => runCli(['scaffold', ...args, '--demo']);

describe('kubectl netpol scaffold', () => {
  it('prints a default-deny and, with --allow-dns, the DNS allow, and previews the effect', async () => {
    const run = await scaffold(
      'default-deny',
      '-n',
      'legacy',
      '--direction',
      'egress',
      '--allow-dns',
    );
    expect(run.exitCode).toBe(0);
    const docs = run.stdout.split('---\n').map((doc) => parse(doc));
    expect(docs.map((d) => d.metadata.name)).toEqual(['default-deny-egress', 'allow-dns-egress']);
    expect(docs[0].spec).toEqual({ podSelector: {}, policyTypes: ['Egress'] });
    expect(run.stderr).toContain('# blocks ');
    expect(run.stderr).not.toContain('blocks DNS');
  });

  it('warns when a default-deny would block DNS', async () => {
    const run = await scaffold('default-deny', '-n', 'legacy', '--direction', 'egress');
    expect(run.stderr).toContain(
      '# blocks DNS: 3 pods cannot resolve names: egress to UDP 53 of the cluster DNS pods (k8s-app=kube-dns in kube-system, behind the Service kube-system/kube-dns, known by name) is not allowed: legacy/inventory-5b7f9c8d4-t2wnq, legacy/mysql-0, legacy/busybox (add --allow-dns, or scaffold allow-dns)\n',
    );
  });

  it('allow egress suggests scaffolding allow-dns, not --allow-dns, which allow rejects', async () => {
    const run = await scaffold(
      'allow',
      '-n',
      'legacy',
      '--direction',
      'egress',
      '--from',
      'app=inventory',
      '--to',
      'app=mysql',
    );
    expect(run.stderr).toContain('# blocks DNS');
    expect(run.stderr).toContain('(scaffold allow-dns for them too)');
    expect(run.stderr).not.toContain('--allow-dns');
  });

  it('takes --except as a comma list, names the policy by what it allows, and checks each block', async () => {
    const run = await scaffold(
      'allow',
      '-n',
      'shop',
      '--direction',
      'egress',
      '--to-cidr',
      '10.0.0.0/8',
      '--except',
      '10.1.0.0/16,10.2.0.0/16',
      '--port',
      '443',
    );
    expect(run.exitCode).toBe(0);
    const policy = parse(run.stdout);
    expect(policy.metadata.name).toBe('allow-egress-to-10.0.0.0-8-443');
    expect(policy.spec.egress[0].to[0].ipBlock.except).toEqual(['10.1.0.0/16', '10.2.0.0/16']);
    const bad = await scaffold(
      'allow',
      '-n',
      'shop',
      '--direction',
      'egress',
      '--to-cidr',
      '10.0.0.0/8',
      '--except',
      '10.1.0.0/16,nope',
    );
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stderr).toBe('error: --except nope: not a CIDR (expected e.g. 10.0.0.0/8)\n');
  });

  it('counts the flows an egress to an address block opens, not only those between pods', async () => {
    const run = await scaffold(
      'allow',
      '-n',
      'production',
      '--direction',
      'egress',
      '--to-cidr',
      '203.0.113.0/24',
      '--port',
      '443',
    );
    expect(run.stderr).toContain('# opens 4 flows\n');
    expect(run.stderr).toContain(
      '#   production/postgres-0 -> 203.0.113.0/24: nothing => TCP 443\n',
    );
  });

  it('takes * for every pod of a namespace as the peer', async () => {
    const run = await scaffold('allow', '-n', 'shop', '--to', 'app=web', '--from', '*');
    const policy = parse(run.stdout);
    expect(policy.spec.ingress[0].from).toEqual([{ podSelector: {} }]);
    expect(policy.metadata.name).toBe('allow-web-ingress-from-same-namespace');
  });

  it('prints JSON with -o json', async () => {
    const run = await scaffold(
      'allow',
      '-n',
      'staging',
      '--to',
      'app=web-frontend',
      '--from-namespace',
      'ingress-nginx',
      '--port',
      '8080/TCP',
      '-o',
      'json',
    );
    expect(run.exitCode).toBe(0);
    const policy = JSON.parse(run.stdout);
    expect(policy.spec.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
          },
        ],
        ports: [{ protocol: 'TCP', port: 8080 }],
      },
    ]);
    expect(run.stderr).toMatch(/# opens 4 flows/);
  });

  it('rejects invalid input as the API server would, naming the field', async () => {
    const cidr = await scaffold(
      'allow',
      '--to',
      'app=a',
      '--from-cidr',
      '10.0.0.0/33',
      '--port',
      '80',
    );
    expect(cidr.exitCode).toBe(2);
    expect(cidr.stderr).toContain(
      'spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "10.0.0.0/33"',
    );
    const range = await scaffold('allow', '--to', 'app=a', '--port', '9000-8000/TCP');
    expect(range.exitCode).toBe(2);
    expect(range.stderr).toContain(
      'spec.ingress[0].ports[0].endPort: Invalid value: 8000: must be greater than or equal to `port`',
    );
    const except = await scaffold(
      'allow',
      '--to',
      'app=a',
      '--from-cidr',
      '10.0.0.0/16',
      '--except',
      '10.1.0.0/24',
    );
    expect(except.stderr).toContain('must be a strict subset of `cidr`');
  });

  it('saves atomically and never overwrites without --force', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'netpol-save-')), 'deny.yaml');
    const first = await scaffold('default-deny', '-n', 'shop', '--save', file);
    expect(first.exitCode).toBe(0);
    expect(parse(readFileSync(file, 'utf8')).metadata.name).toBe('default-deny-all');
    writeFileSync(file, 'precious');
    const again = await scaffold('default-deny', '-n', 'shop', '--save', file);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain(`${file} already exists; use --force to overwrite it`);
    expect(readFileSync(file, 'utf8')).toBe('precious');
    const forced = await scaffold('default-deny', '-n', 'shop', '--save', file, '--force');
    expect(forced.exitCode).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('kind: NetworkPolicy');
  });

  it('refuses every write in --read-only mode', async () => {
    const run = await scaffold(
      'default-deny',
      '-n',
      'shop',
      '--read-only',
      '--save',
      '/tmp/x.yaml',
    );
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe('error: --read-only forbids --save, --apply and --dry-run=server\n');
  });

  it('needs a live cluster to apply', async () => {
    const run = await scaffold('default-deny', '-n', 'shop', '--apply', '--yes');
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('--apply and --dry-run=server need a live cluster');
  });
});

describe('kubectl netpol scaffold refuses what it cannot write faithfully', () => {
  it.each([
    [
      ['allow', '--to', 'app=a', '--port', '80/TCP/x'],
      'error: --port 80/TCP/x: cannot parse port "80/TCP/x"',
    ],
    [
      ['allow', '--to', 'app=a', '--from', 'app in (a'],
      'error: --from app in (a: cannot parse selector term "app in (a"',
    ],
    [
      ['allow', '--direction', 'egress', '--from', 'app=api', '--from-cidr', '10.0.0.0/8'],
      'error: --from-cidr does not apply to egress: its peers are --to, --to-namespace, --to-cidr',
    ],
    [
      ['allow', '--to', 'app=api', '--to-namespace', 'x'],
      'error: --to-namespace does not apply to ingress: its peers are --from, --from-namespace, --from-cidr',
    ],
    [
      ['allow', '--to', 'app=api', '--except', '10.0.0.0/24'],
      'error: --except needs --from-cidr to leave addresses out of',
    ],
    [
      ['default-deny', '--direction', 'ingress', '--allow-dns'],
      'error: --allow-dns allows DNS egress, but --direction ingress denies no egress',
    ],
  ])('%j', async (args, message) => {
    const run = await scaffold(...args);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n').at(-1)).toBe(message);
  });

  it('requires canonical CIDRs, as the API server does for new objects', async () => {
    const hostBits = await scaffold('allow', '--to', 'app=a', '--from-cidr', '10.0.0.1/8');
    expect(hostBits.exitCode).toBe(2);
    expect(hostBits.stderr).toContain('must not have bits set beyond the prefix length');
    const zeros = await scaffold('allow', '--to', 'app=a', '--from-cidr', '10.0.0.0/08');
    expect(zeros.stderr).toContain('must not have leading 0s in IP or prefix length');
    const embedded = await scaffold('allow', '--to', 'app=a', '--from-cidr', '::10.0.0.0/104');
    expect(embedded.exitCode).toBe(0);
  });
});
