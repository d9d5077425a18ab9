/**
 * Targets as users type them (`kubectl netpol check` and `explain`): Service DNS names,
 * svc/NAME.NAMESPACE, workloads, NAMESPACE/NAME prefixes, Services without selectors and
 * ClusterIPs, with a "did you mean" when nothing matches.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const FIXTURE = 'test/fixtures/manifests/services-and-names/cluster.yaml';

const check = (...args: string[]) => runCli(['check', '-f', FIXTURE, ...args]);

/** The verdict lines of a check's text output. */
function verdicts(stdout: string): string[] {
  return stdout.split('\n').filter((line) => /^(ALLOWED|DENIED) /.test(line));
}

describe('check resolves the names users type', () => {
  it('NAMESPACE/NAME of a Deployment and a Service DNS name', async () => {
    const run = await check('namespace-a/nginx', 'nginx.secure-ns.svc.cluster.local.', '-p', '80');
    expect(run.exitCode).toBe(1);
    expect(verdicts(run.stdout)).toEqual([
      'DENIED  namespace-a/nginx-7d4b9c-x2x -> secure-ns/nginx-0  TCP 8080',
      'DENIED  namespace-a/nginx-7d4b9c-z9z -> secure-ns/nginx-0  TCP 8080',
    ]);
  });

  it('NAMESPACE/KIND/NAME, whatever -n says; a policy is refused as no end of a connection', async () => {
    const run = await check('namespace-a/deploy/frontend', 'secure-ns/svc/nginx', '-p', 'http');
    expect(run.exitCode).toBe(0);
    expect(verdicts(run.stdout)).toEqual([
      'ALLOWED  namespace-a/frontend -> secure-ns/nginx-0  TCP 8080',
    ]);
    const policy = await check('netpol/web', 'secure-ns/svc/nginx', '-p', '80');
    expect(policy.exitCode).toBe(2);
    expect(policy.stderr).toBe(
      'error: netpol/web: a NetworkPolicy is not an end of a connection; give a pod, workload, Service or address (kubectl netpol explain netpol/web shows the policy)\n',
    );
  });

  it('an address block is refused with its range, or taken as its one address', async () => {
    const block = await check('namespace-a/nginx', '10.0.0.0/8', '-p', '80');
    expect(block.exitCode).toBe(2);
    expect(block.stderr).toBe(
      'error: 10.0.0.0/8: an address block is not one end of a connection; give one address of it (10.0.0.0 to 10.255.255.255)\n',
    );
    const bad = await check('namespace-a/nginx', '10.0.0.0/33', '-p', '80');
    expect(bad.stderr).toMatch(/^error: 10\.0\.0\.0\/33: not an address block: /);
    const host = await check('namespace-a/nginx', '10.244.2.10/32', '-p', '8080');
    expect(host.exitCode).toBe(1);
    expect(verdicts(host.stdout)).toEqual([
      'DENIED  namespace-a/nginx-7d4b9c-x2x -> secure-ns/nginx-0  TCP 8080',
      'DENIED  namespace-a/nginx-7d4b9c-z9z -> secure-ns/nginx-0  TCP 8080',
    ]);
  });

  it('deploy/NAME and svc/NAME.NAMESPACE', async () => {
    const run = await check(
      'deploy/frontend',
      'svc/nginx.secure-ns',
      '-n',
      'namespace-a',
      '-p',
      'http',
    );
    expect(run.exitCode).toBe(0);
    expect(verdicts(run.stdout)).toEqual([
      'ALLOWED  namespace-a/frontend -> secure-ns/nginx-0  TCP 8080',
    ]);
  });

  it('a Service as the source stands for its pods, whatever ports it serves', async () => {
    // svc/frontend serves port 80 only; the question is about the api's port 8080.
    const run = await runCli([
      'check',
      '--demo',
      'svc/frontend',
      'svc/api',
      '-n',
      'production',
      '--port',
      '8080',
    ]);
    expect(run.stderr).toBe('');
    expect(verdicts(run.stdout)).toContain(
      'ALLOWED  production/frontend-84c5d9b7f6-hx2lq -> production/api-7d9f8b6c5-x2k4p  TCP 8080',
    );
  });

  it('a Service without selector is answered for its EndpointSlice addresses', async () => {
    const run = await check(
      'namespace-a/nginx-7d4b9c-x2x',
      'svc/billing-db',
      '-n',
      'namespace-a',
      '-p',
      '5432',
    );
    expect(run.exitCode).toBe(0);
    expect(verdicts(run.stdout)).toEqual([
      'ALLOWED  namespace-a/nginx-7d4b9c-x2x -> 192.0.2.50  TCP 5432',
    ]);
    expect(run.stdout).toContain(
      '(service port 5432 -> endpoint port 5432 of EndpointSlice billing-db-1)',
    );
  });

  it.each([
    [
      ['namespace-a/ngnx', 'svc/nginx.secure-ns', '-p', '80'],
      'error: namespace-a/ngnx: no pod namespace-a/ngnx in the input; did you mean namespace-a/nginx?\n',
    ],
    [
      ['deploy/frontend', 'svc/ngix.secure-ns', '-n', 'namespace-a', '-p', '80'],
      'error: svc/ngix.secure-ns: no service secure-ns/ngix in the input; did you mean svc/nginx.secure-ns?\n',
    ],
    [
      ['deploy/frontnd', 'svc/nginx.secure-ns', '-n', 'namespace-a', '-p', '80'],
      'error: deploy/frontnd: no Deployment namespace-a/frontnd in the input; did you mean deploy/frontend?\n',
    ],
    [
      // Without -n a bare name is read in `default`: the namespace that holds it is offered.
      ['deploy/frontend', 'svc/nginx', '-p', '80'],
      'error: deploy/frontend: no Deployment default/frontend in the input; did you mean deploy/frontend -n namespace-a?\n',
    ],
    [
      ['deploy/frontend', 'svc/nginx', '-n', 'namespace-a', '-p', '80'],
      'error: svc/nginx: no service namespace-a/nginx in the input; did you mean svc/nginx.secure-ns?\n',
    ],
    [
      ['namespace-a/nginx-7d4b9c', 'svc/nginx.secure-ns', '-p', '80'],
      'error: namespace-a/nginx-7d4b9c is ambiguous: it could be namespace-a/nginx-7d4b9c-x2x, namespace-a/nginx-7d4b9c-z9z; name one of them\n',
    ],
  ])('%j names nothing: one line, exit 2', async (args, stderr) => {
    const run = await check(...args);
    expect(run).toEqual({ exitCode: 2, stdout: '', stderr });
  });
});

describe('a ClusterIP destination', () => {
  it('is answered for the backends, with a note in the text and in the JSON', async () => {
    const text = await check('namespace-a/nginx-7d4b9c-x2x', '10.96.0.1', '-p', '443');
    expect(text.exitCode).toBe(1);
    expect(text.stdout.split('\n')[0]).toBe(
      'note: 10.96.0.1 is the ClusterIP of service default/kubernetes (port 443/TCP): answered for its backends on port 6443, because NetworkPolicy implementations usually see the backend address and port after Service translation, not the ClusterIP',
    );
    expect(verdicts(text.stdout)).toEqual([
      'DENIED  namespace-a/nginx-7d4b9c-x2x -> 172.18.0.2  TCP 6443',
    ]);
    const json = await check(
      'namespace-a/nginx-7d4b9c-x2x',
      '10.96.0.1',
      '-p',
      '443',
      '-o',
      'json',
    );
    const answer = JSON.parse(json.stdout);
    expect(answer.notes).toEqual([
      expect.objectContaining({
        kind: 'service-address',
        address: '10.96.0.1',
        service: 'default/kubernetes',
        port: 443,
        protocol: 'TCP',
        backendPorts: [6443],
      }),
    ]);
    expect(answer.flows.map((f: { to: string; port: number }) => [f.to, f.port])).toEqual([
      ['172.18.0.2', 6443],
    ]);
  });

  it('an ipBlock naming the ClusterIP that misses the backend is a caveat of the verdict', async () => {
    const caveat =
      'peer 1 of namespace-a/nginx-egress egress rule 1 does not admit this backend; its ipBlock 10.96.0.1/32 contains the ClusterIP of service default/kubernetes (10.96.0.1): most network plugins apply policies after the Service translation, so they see the backend address and port (targetPort), not the ClusterIP; the backend 172.18.0.2 is outside it';
    const text = await check('namespace-a/nginx-7d4b9c-x2x', '10.96.0.1', '-p', '443');
    expect(text.stdout.split('\n')).toContain(`  caveat: ${caveat}`);
    const json = await check(
      'namespace-a/nginx-7d4b9c-x2x',
      '10.96.0.1',
      '-p',
      '443',
      '-o',
      'json',
    );
    expect(JSON.parse(json.stdout).flows[0].caveats).toEqual([
      {
        decided: 'denied',
        peer: {
          policy: { namespace: 'namespace-a', name: 'nginx-egress' },
          direction: 'egress',
          ruleIndex: 0,
          peerIndex: 0,
        },
        cidr: '10.96.0.1/32',
        except: [],
        services: [
          { service: 'default/kubernetes', clusterIPs: ['10.96.0.1'], backends: ['172.18.0.2'] },
        ],
        backendsOutside: ['172.18.0.2'],
        message: caveat,
      },
    ]);
  });

  it('explain shows the caveat under the rule peer', async () => {
    const run = await runCli(['explain', '-f', FIXTURE, 'namespace-a/nginx-7d4b9c-x2x']);
    const lines = run.stdout.split('\n');
    const peer = lines.findIndex((line) => line.includes('addresses in 10.96.0.1/32'));
    expect(lines[peer + 1]).toBe(
      '      caveat: ipBlock 10.96.0.1/32 contains the ClusterIP of service default/kubernetes (10.96.0.1): most network plugins apply policies after the Service translation, so they see the backend address and port (targetPort), not the ClusterIP',
    );
  });

  it('whose backends are unknown gives no verdict (exit 2) and says why', async () => {
    const run = await check('namespace-a/nginx-7d4b9c-x2x', '10.96.100.30', '-p', '80');
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'error: 10.96.100.30: the ClusterIP of service namespace-a/legacy, whose backends are unknown (no selector, no EndpointSlice in the input); policies usually see the backend address after Service translation, so the ClusterIP alone gives no verdict\n',
    );
  });

  it('a check by name has no note (JSON unchanged)', async () => {
    const json = await check(
      'deploy/frontend',
      'svc/nginx.secure-ns',
      '-n',
      'namespace-a',
      '-p',
      '80',
      '-o',
      'json',
    );
    expect(JSON.parse(json.stdout)).not.toHaveProperty('notes');
  });
});

describe('explain takes the new forms', () => {
  it('a pod-name prefix names the one pod', async () => {
    const run = await runCli(['explain', '-f', FIXTURE, 'secure-ns/nginx', '-o', 'json']);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout).pod.id).toBe('secure-ns/nginx-0');
  });

  it('a workload of several pods is refused with its pods named', async () => {
    const run = await runCli(['explain', '-f', FIXTURE, 'deploy/nginx', '-n', 'namespace-a']);
    expect(run).toEqual({
      exitCode: 2,
      stdout: '',
      stderr:
        'error: deploy/nginx: explain takes one pod; this names 2: namespace-a/nginx-7d4b9c-x2x, namespace-a/nginx-7d4b9c-z9z\n',
    });
  });
});

describe('audit', () => {
  it('finds an ipBlock holding a Service ClusterIP, with the policy, rule, Service and backends', async () => {
    const run = await runCli(['audit', '-f', FIXTURE, '-o', 'json']);
    const findings = JSON.parse(run.stdout).findings.filter(
      (f: { code: string }) => f.code === 'ip-block-contains-service-ip',
    );
    expect(findings).toEqual([
      expect.objectContaining({
        severity: 'warning',
        peer: {
          policy: { namespace: 'namespace-a', name: 'nginx-egress' },
          direction: 'egress',
          ruleIndex: 0,
          peerIndex: 0,
        },
        cidr: '10.96.0.1/32',
        services: [
          { service: 'default/kubernetes', clusterIPs: ['10.96.0.1'], backends: ['172.18.0.2'] },
        ],
      }),
    ]);
    const text = await runCli(['audit', '-f', FIXTURE]);
    expect(text.stdout).toContain(
      'peer 1 of namespace-a/nginx-egress egress rule 1: ipBlock 10.96.0.1/32 contains the ClusterIP of service default/kubernetes (10.96.0.1): most network plugins apply policies after the Service translation',
    );
  });
});
