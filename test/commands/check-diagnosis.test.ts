/**
 * `kubectl netpol check` on denied flows: the closest rules, likely mistakes and a fix command
 * that can be pasted as it is printed.
 */
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
    ]);
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
