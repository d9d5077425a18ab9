import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('explain netpol/NAME', () => {
  it('prints what the policy selects, its peers and the flows it alone allows', async () => {
    const run = await runCli([
      'explain',
      '--demo',
      'netpol/allow-api-ingress-from-frontend',
      '-n',
      'production',
    ]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('selects 2 pods: production/api-7d9f8b6c5-x2k4p');
    expect(run.stdout).toContain('pods with tier=frontend in namespace production: 2 pods');
    expect(run.stdout).toContain('alone allows 4 flows (removing it would close them)');
    expect(run.stdout).toContain(
      'production/frontend-84c5d9b7f6-hx2lq -> production/api-7d9f8b6c5-x2k4p: nothing => TCP 8080',
    );
  });

  it('gives the same view as JSON', async () => {
    const run = await runCli([
      'explain',
      '--demo',
      'networkpolicy/default-deny-all',
      '-n',
      'production',
      '-o',
      'json',
    ]);
    expect(run.exitCode).toBe(0);
    const view = JSON.parse(run.stdout);
    expect(view.name).toBe('default-deny-all');
    expect(view.selected.count).toBe(6);
    expect(view.isolates).toEqual(['ingress', 'egress']);
    expect(view.effect.opened).toEqual([]);
    expect(view.effect.closed.length).toBeGreaterThan(0);
  });

  it('names an absent policy and suggests the closest one', async () => {
    const run = await runCli(['explain', '--demo', 'netpol/allow-api-ingres', '-n', 'production']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(
      'networkpolicy production/allow-api-ingres not found; did you mean allow-api-ingress-from-frontend?',
    );
  });

  it('explains a cluster policy: what it governs, its rules and the flows it blocks', async () => {
    const run = await runCli(['explain', '--demo', 'cnp/protect-kube-system']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('cluster policy cnp/protect-kube-system, Admin tier, priority 10');
    expect(run.stdout).toContain('governs 3 pods: kube-system/coredns-5d78c9869d-4xq7m');
    expect(run.stdout).toContain('ingress rule 1 (allow-dns): Accept all pods in all namespaces');
    expect(run.stdout).toContain(
      'monitoring/prometheus-k8s-0 -> kube-system/coredns-5d78c9869d-4xq7m: all ports => TCP 53; UDP 53',
    );
  });

  it('lists the flows each cluster policy rule decides, and pods reaching themselves', async () => {
    const run = await runCli(['explain', '--demo', 'cnp/protect-kube-system']);
    const lines = run.stdout.split('\n');
    const deny = lines.indexOf(
      'ingress rule 2 (deny-other-namespaces): Deny all pods in namespaces with kubernetes.io/metadata.name notin (kube-system), all ports',
    );
    expect(lines[deny + 1]).toBe('  denies 78 flows:');
    expect(lines[deny + 2]).toBe(
      '    ingress-nginx/ingress-nginx-controller-6f79748cff-k8z2w -> kube-system/coredns-5d78c9869d-4xq7m: TCP 1-52,54-65535; UDP 1-52,54-65535; SCTP 1-65535',
    );
    expect(run.stdout).toContain(
      "  accepts a pod's traffic to itself through a Service (never by its own IP) for 3 pods: kube-system/coredns-5d78c9869d-4xq7m,",
    );
  });

  it('gives each cluster policy rule its flows as JSON', async () => {
    const run = await runCli(['explain', '--demo', 'cnp/legacy-default-deny', '-o', 'json']);
    expect(run.exitCode).toBe(0);
    const [rule] = JSON.parse(run.stdout).rules;
    expect(rule.rule.action).toBe('Deny');
    expect(rule.flows).toContainEqual({
      from: 'monitoring/prometheus-k8s-0',
      to: 'legacy/mysql-0',
      ports: [
        { protocol: 'TCP', ranges: [[1, 65535]] },
        { protocol: 'UDP', ranges: [[1, 65535]] },
        { protocol: 'SCTP', ranges: [[1, 65535]] },
      ],
    });
    expect(rule.flows.filter((f: { itself?: boolean }) => f.itself)).toHaveLength(3);
  });

  it('names an absent cluster policy and suggests the closest one', async () => {
    const run = await runCli(['explain', '--demo', 'clusternetworkpolicy/protect-kube']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(
      'cnp/protect-kube not found; did you mean cnp/protect-kube-system?',
    );
  });

  it('takes NAMESPACE/netpol/NAME and netpol/NAME.NAMESPACE as netpol/NAME -n NAMESPACE', async () => {
    const expected = await runCli([
      'explain',
      '--demo',
      'netpol/allow-api-ingress-from-frontend',
      '-n',
      'production',
    ]);
    for (const form of [
      'production/netpol/allow-api-ingress-from-frontend',
      'networkpolicy/allow-api-ingress-from-frontend.production',
    ]) {
      const run = await runCli(['explain', '--demo', form, '-n', 'staging']);
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toBe(expected.stdout);
    }
  });

  it('names the absent policy as the dotted form reads it', async () => {
    const run = await runCli(['explain', '--demo', 'netpol/allow-api-ingres.production']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(
      'networkpolicy production/allow-api-ingres not found; did you mean allow-api-ingress-from-frontend?',
    );
  });

  it('rejects a namespace before a cluster policy, which is cluster-scoped', async () => {
    const run = await runCli(['explain', '--demo', 'kube-system/cnp/protect-kube-system']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(
      'error: kube-system/cnp/protect-kube-system: cnp/protect-kube-system is cluster-scoped; name it without a namespace: cnp/protect-kube-system\n',
    );
  });
});
