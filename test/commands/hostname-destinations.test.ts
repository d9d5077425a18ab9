/**
 * `check POD www.example.com --port 443`: a destination outside the cluster known only by name.
 * ClusterNetworkPolicy domainNames rules decide it by name; ipBlocks and networks depend on the
 * addresses the name resolves to; pod and namespace selectors never match it.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const FIXTURE = 'test/fixtures/manifests/domain-names/cluster.yaml';

const check = (...args: string[]) => runCli(['check', '-f', FIXTURE, '--assume-enforced', ...args]);

/** The verdict lines of a check's text output. */
function verdicts(stdout: string): string[] {
  return stdout.split('\n').filter((line) => /^(ALLOWED|DENIED|UNKNOWN) /.test(line));
}

describe('a host name as the destination of a check', () => {
  it('is ALLOWED by an Admin Accept whose domainNames match it (wildcard, any case, final dot)', async () => {
    for (const [host, shown] of [
      ['www.example.com', 'www.example.com'],
      ['API.Partner.IO.', 'api.partner.io'],
    ]) {
      const run = await check('sandbox/toolbox', host as string, '--port', '443');
      expect(run.stderr).toBe('');
      expect(verdicts(run.stdout)).toEqual([`ALLOWED  sandbox/toolbox -> ${shown}  TCP 443`]);
      expect(run.stdout).toContain(
        'Admin tier: accepted by cnp/sandbox-allowlist priority 10 egress rule 2 (allowed-names)',
      );
      expect(run.exitCode).toBe(0);
    }
  });

  it('is DENIED by the Baseline Deny when no domainNames rule names it, with a fix that can name it', async () => {
    // *.example.com does not match example.com itself; the Admin rule is for TCP 443 only.
    for (const [host, port] of [
      ['example.com', '443'],
      ['www.other.org', '443'],
      ['www.example.com', '80'],
    ]) {
      const run = await check('sandbox/toolbox', host as string, '--port', port as string);
      expect(verdicts(run.stdout)).toEqual([`DENIED  sandbox/toolbox -> ${host}  TCP ${port}`]);
      expect(run.stdout).toContain(
        'Baseline tier: denied by cnp/sandbox-default-deny priority 10 egress rule 1 (no-outside)',
      );
      expect(run.stdout).toContain('or accept');
      expect(run.exitCode).toBe(1);
    }
  });

  it('is UNKNOWN when an ipBlock could decide it: it depends on the addresses the name resolves to', async () => {
    const run = await check('lab/ranged', 'www.example.com', '--port', '443');
    expect(verdicts(run.stdout)).toEqual(['UNKNOWN  lab/ranged -> www.example.com  TCP 443']);
    expect(run.stdout).toContain(
      'depends on the addresses www.example.com resolves to: ipBlock 203.0.113.0/24 may or may not hold them',
    );
    expect(run.exitCode).toBe(2);
  });

  it('0.0.0.0/0 alone leaves it UNKNOWN (the name may resolve to IPv6 only); with ::/0 it is ALLOWED', async () => {
    const v4 = await check('lab/ipv4-only', 'www.example.com', '--port', '443');
    expect(verdicts(v4.stdout)).toEqual(['UNKNOWN  lab/ipv4-only -> www.example.com  TCP 443']);
    expect(v4.stdout).toContain('ipBlock 0.0.0.0/0 may or may not hold them');
    const both = await check('lab/anywhere', 'www.example.com', '--port', '443');
    expect(verdicts(both.stdout)).toEqual(['ALLOWED  lab/anywhere -> www.example.com  TCP 443']);
  });

  it('is ALLOWED when blocks that each hold part of the addresses together hold them all', async () => {
    // 0.0.0.0/1 and 128.0.0.0/1: every IPv4 address is in one of them; ::/0 holds IPv6.
    const run = await check('lab/halves', 'www.example.com', '--port', '443');
    expect(verdicts(run.stdout)).toEqual(['ALLOWED  lab/halves -> www.example.com  TCP 443']);
    expect(run.exitCode).toBe(0);
  });

  it('is DENIED by NetworkPolicy egress isolation whose peers select pods only', async () => {
    const run = await check('shop/web', 'www.example.com', '--port', '443');
    expect(verdicts(run.stdout)).toEqual([
      'DENIED  shop/web-6b7f9c-k2m4p -> www.example.com  TCP 443',
    ]);
    expect(run.exitCode).toBe(1);
  });

  it('scaffold fix says why no NetworkPolicy can name a host', async () => {
    const run = await runCli([
      'scaffold',
      'fix',
      'shop/web',
      'www.example.com',
      '--port',
      '443',
      '-f',
      FIXTURE,
    ]);
    expect(run).toEqual({
      exitCode: 2,
      stdout: '',
      stderr:
        'error: no scaffold can allow shop/web-6b7f9c-k2m4p -> www.example.com: NetworkPolicies match addresses, not host names: allow the addresses www.example.com resolves to, or accept it in a ClusterNetworkPolicy domainNames rule (see check)\n',
    });
  });

  it('is never a node: a nodes peer does not make it UNKNOWN, as it does an address', async () => {
    const byName = await check('ops/agent', 'www.example.com', '--port', '443');
    expect(verdicts(byName.stdout)).toEqual(['ALLOWED  ops/agent -> www.example.com  TCP 443']);
    const byAddress = await check('ops/agent', '203.0.113.9', '--port', '443');
    expect(verdicts(byAddress.stdout)).toEqual(['UNKNOWN  ops/agent -> 203.0.113.9  TCP 443']);
  });

  it('is ALLOWED from a pod no policy governs; its own side is outside the cluster', async () => {
    const run = await check('open/client', 'www.example.com', '--port', '443');
    expect(verdicts(run.stdout)).toEqual(['ALLOWED  open/client -> www.example.com  TCP 443']);
    expect(run.stdout).toContain('ingress of www.example.com: not governed');
  });

  it('needs --port, a number', async () => {
    const none = await check('open/client', 'www.example.com');
    expect(none).toMatchObject({ exitCode: 2, stdout: '' });
    expect(none.stderr).toContain('--port is needed: www.example.com is not a Service with a port');
    const named = await check('open/client', 'www.example.com', '--port', 'https');
    expect(named.stderr).toBe('error: www.example.com: a named port needs a pod or a service\n');
  });

  it('-o json says how the target was read and why the verdict is UNKNOWN', async () => {
    const run = await check('lab/ranged', 'www.example.com', '--port', '443', '-o', 'json');
    const answer = JSON.parse(run.stdout);
    expect(answer.verdict).toBe('UNKNOWN');
    expect(answer.notes).toEqual([
      expect.objectContaining({ kind: 'hostname', hostname: 'www.example.com' }),
    ]);
    expect(answer.flows[0].to).toBe('www.example.com');
    expect(answer.flows[0].egress.undecided).toEqual([
      {
        kind: 'hostname-addresses',
        hostname: 'www.example.com',
        ipBlocks: [{ cidr: '203.0.113.0/24', except: [] }],
      },
    ]);
  });
});

describe('NAME.NAMESPACE and bare names', () => {
  it('NAME.NAMESPACE is the Service of that name, as cluster DNS resolves it', async () => {
    const run = await check('open/client', 'api.shop', '--port', '80');
    expect(run.stdout).toContain(
      'note: api.shop is read as NAME.NAMESPACE: service shop/api, as cluster DNS resolves it',
    );
    expect(verdicts(run.stdout)).toEqual(['ALLOWED  open/client -> shop/api-0  TCP 8080']);
  });

  it('NAME.NAMESPACE naming nothing in a known namespace is a host name, with a did-you-mean', async () => {
    const run = await check('open/client', 'apii.shop', '--port', '80');
    expect(run.stdout).toContain(
      'note: apii.shop is checked as a host outside the cluster (namespace shop has no service or pod of that name; did you mean api.shop?)',
    );
    expect(verdicts(run.stdout)).toEqual(['ALLOWED  open/client -> apii.shop  TCP 80']);
  });

  it('a bare NAME is a pod or a pod-name prefix of the -n namespace', async () => {
    const run = await check('web', 'api.shop', '-n', 'shop', '--port', '80');
    expect(verdicts(run.stdout)).toEqual([
      'ALLOWED  shop/web-6b7f9c-k2m4p -> shop/api-0  TCP 8080',
    ]);
    const typo = await check('web', 'apu-0', '-n', 'shop', '--port', '8080');
    expect(typo).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: 'error: apu-0: no pod shop/apu-0 in the input; did you mean api-0?\n',
    });
  });
});

describe('explain of a pod a domainNames rule governs', () => {
  it('lists as UNKNOWN only the ports the domainNames rule could decide', async () => {
    const run = await runCli(['explain', '-f', FIXTURE, 'toolbox', '-n', 'sandbox']);
    const lines = run.stdout.split('\n');
    // 8080 to the api is accepted by a pods rule; 443 only if the api's address is a name's.
    expect(lines).toContain('    shop/api-0  TCP 8080; UNKNOWN: TCP 443');
    expect(lines).toContain('    open/client  TCP 443  (UNKNOWN: ports not surely denied)');
  });
});
