/**
 * Calico through the command line: check and matrix -o json answer the conformance cases as the
 * engine does, the trace names each Calico tier and the object deciding it, staged policies are
 * previewed, and the plugin detected decides whether Calico's policies are evaluated at all.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/fake-api.js';

const ROOT = 'test/fixtures/conformance/calico';
const MODEL = `${ROOT}/model.yaml`;

interface Check {
  from: string;
  to: string;
  protocol: string;
  port: number;
  verdict: string;
}

const checksOf = (name: string): Check[] =>
  JSON.parse(readFileSync(`${ROOT}/${name}/expected.json`, 'utf8')).checks;

const CLI_CASES = [
  '001-sample-allow-tcp-6379',
  '004-pass-to-next-tier',
  '007-kubernetes-policy-in-default-tier',
  '010-port-ranges-not-ports',
  '014-admin-tier-at-order-1000',
  '016-not-selector-namespace-scope',
];

/** A DaemonSet that shows the network plugin, as detection reads it. */
function pluginDaemonSet(image: string): string {
  return `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: plugin, namespace: kube-system}
spec:
  template:
    metadata: {labels: {k8s-app: plugin}}
    spec: {hostNetwork: true, containers: [{name: plugin, image: ${image}}]}
`;
}

describe('Calico policies on the command line', () => {
  describe.each(CLI_CASES)('%s', (name) => {
    const files = ['-f', MODEL, '-f', `${ROOT}/${name}/policies.yaml`];

    it('check -o json gives each documented verdict', async () => {
      for (const check of checksOf(name)) {
        const args = [check.from, check.to, '--port', String(check.port)];
        const protocol = check.protocol === 'TCP' ? [] : ['--protocol', check.protocol];
        const run = await runCli(['check', ...args, ...protocol, ...files, '-o', 'json']);
        expect([check, JSON.parse(run.stdout).verdict]).toEqual([check, check.verdict]);
      }
    });

    it('matrix -o json lists a pair allowing the port exactly when check allows it', async () => {
      const run = await runCli(['matrix', ...files, '-o', 'json']);
      const { pairs } = JSON.parse(run.stdout) as {
        pairs: {
          from: string;
          to: string;
          allowed: { protocol: string; ranges: [number, number][] }[];
        }[];
      };
      for (const check of checksOf(name).filter((c) => !/^\d/.test(c.to))) {
        const pair = pairs.find((p) => p.from === check.from && p.to === check.to);
        const allows = (pair?.allowed ?? []).some(
          (entry) =>
            entry.protocol === check.protocol &&
            entry.ranges.some(([from, to]) => from <= check.port && check.port <= to),
        );
        expect([check, allows]).toEqual([check, check.verdict === 'ALLOWED']);
      }
    });
  });

  it('check names every Calico tier on the way and the object that decided', async () => {
    const files = ['-f', MODEL, '-f', `${ROOT}/004-pass-to-next-tier/policies.yaml`];
    const run = await runCli(['check', 'prod/client', 'prod/database', '--port', '6379', ...files]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout.split('\n').slice(0, 7)).toEqual([
      'DENIED  prod/client -> prod/database  TCP 6379',
      '  egress of prod/client: not isolated: no NetworkPolicy selects prod/client for egress',
      '  ingress of prod/database: DENIED by the end of tier default (networkpolicy.projectcalico.org/prod/default.db apply, none matched)',
      '    calico tier security: passed to the next tier by globalnetworkpolicy/security.team-a ingress rule 1',
      '    calico tier default: denied by the end of tier default (networkpolicy.projectcalico.org/prod/default.db apply, none matched)',
      '    networkpolicy.projectcalico.org/prod/default.db ingress rule 1 does not match:',
      "      source: its selector does not hold: role == 'frontend' is false: role is 'client'",
    ]);
    expect(run.stderr).toContain(
      'Calico policies evaluated: the network plugin is not known, so Calico was assumed from the objects',
    );
  });

  it('shows a staged policy as a preview, never enforced', async () => {
    const files = ['-f', MODEL, '-f', `${ROOT}/013-staged-never-enforced/policies.yaml`];
    const args = ['check', 'prod/client', 'prod/database', '--port', '6379', ...files];
    const text = await runCli(args);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toContain(
      'if staged policy stagednetworkpolicy/prod/lockdown were enforced: DENIED\n',
    );
    const json = JSON.parse((await runCli([...args, '-o', 'json'])).stdout);
    expect([json.verdict, json.stagedPreviews]).toEqual([
      'ALLOWED',
      [{ policy: 'stagednetworkpolicy/prod/lockdown', verdict: 'DENIED' }],
    ]);
  });

  it('evaluates Calico policies on a Calico cluster and ignores them, named, under another plugin', async () => {
    const dir = tempDir();
    const calico = join(dir, 'calico-node.yaml');
    const kindnet = join(dir, 'kindnet.yaml');
    writeFileSync(calico, pluginDaemonSet('docker.io/calico/node:v3.27.3'));
    writeFileSync(kindnet, pluginDaemonSet('docker.io/kindest/kindnetd:v20240813-c6f155d6'));
    const policies = `${ROOT}/002-end-of-tier-drops/policies.yaml`;
    const args = ['check', 'prod/client', 'prod/database', '--port', '6379', '-f', MODEL];
    const onCalico = await runCli([...args, '-f', policies, '-f', calico]);
    expect([onCalico.exitCode, onCalico.stderr]).toEqual([1, '']);
    const onKindnet = await runCli([...args, '-f', policies, '-f', kindnet]);
    expect(onKindnet.exitCode).toBe(0);
    expect(onKindnet.stderr).toContain(
      'Calico policies present, but the network plugin is kindnet: they are not evaluated',
    );
  });

  it('a DENIED trace says why each rule of the tier missed, as for NetworkPolicy rules', async () => {
    const files = (name: string) => ['-f', MODEL, '-f', `${ROOT}/${name}/policies.yaml`];
    const check = ['check', 'prod/client', 'prod/database', '--port'];
    const selector = await runCli([...check, '6379', ...files('002-end-of-tier-drops')]);
    expect(selector.stdout).toContain(
      [
        '    globalnetworkpolicy/db-from-frontend ingress rule 1 does not match:',
        "      source: its selector does not hold: role == 'frontend' is false: role is 'client'",
      ].join('\n'),
    );
    const ports = await runCli([...check, '6100', ...files('010-port-ranges-not-ports')]);
    expect(ports.stdout).toContain(
      [
        '    networkpolicy.projectcalico.org/prod/ranges ingress rule 1 does not match:',
        '      port TCP 6000-6099: TCP 6100 is not in it',
        '      port TCP 6101-6500: TCP 6100 is not in it',
        '      port TCP redis: redis is TCP 6379 on the destination, not 6100',
      ].join('\n'),
    );
  });

  it('explain previews a staged policy by the pods whose connections it would change', async () => {
    const web = ['explain', 'tenant-c/web-8d6b7f5c4-hl4zx', '--demo'];
    const run = await runCli(web);
    const lines = run.stdout.split('\n');
    const at = lines.indexOf(
      'if staged policy stagednetworkpolicy/tenant-c/default.tenant-c-lockdown were enforced:',
    );
    // The lockdown allows tenant-c only DNS over UDP: analytics could no longer reach web.
    expect(lines.slice(at + 1, at + 5)).toEqual([
      '  pods that can reach it: 1 pod changes',
      '    tenant-c/analytics-5c7f8d9b6-q9mrt  all ports -> none',
      '  pods it can reach: 12 pods change',
      '    kube-system/coredns-5d78c9869d-4xq7m  TCP 53; UDP 53 -> UDP 53',
    ]);
    const json = JSON.parse((await runCli([...web, '-o', 'json'])).stdout);
    expect(json.stagedPreviews[0].ingress).toEqual([
      {
        pod: 'tenant-c/analytics-5c7f8d9b6-q9mrt',
        before: ['TCP', 'UDP', 'SCTP'].map((protocol) => ({ protocol, ranges: [[1, 65535]] })),
        after: [],
      },
    ]);
    // A pod the staged policy changes nothing for gets no preview.
    const other = await runCli(['explain', 'production/postgres-0', '--demo', '-o', 'json']);
    expect(JSON.parse(other.stdout).stagedPreviews).toBeUndefined();
  });

  describe('StagedKubernetesNetworkPolicy', () => {
    const STAGED = `${ROOT}/019-staged-kubernetes-never-enforced/policies.yaml`;
    const check = ['check', 'prod/client', 'prod/database', '--port', '6379', '-f', MODEL];

    it('is never enforced, and check previews it as the NetworkPolicy it would create', async () => {
      const run = await runCli([...check, '-f', STAGED]);
      expect(run.exitCode).toBe(0);
      expect(run.stdout.split('\n')[0]).toBe('ALLOWED  prod/client -> prod/database  TCP 6379');
      expect(run.stdout).toContain(
        'if staged policy stagedkubernetesnetworkpolicy/prod/db-from-frontend were enforced: DENIED',
      );
      const explain = await runCli(['explain', 'prod/database', '-f', MODEL, '-f', STAGED]);
      expect(explain.stdout).toContain(
        [
          'if staged policy stagedkubernetesnetworkpolicy/prod/db-from-frontend were enforced:',
          '  pods that can reach it: 2 pods change',
          '    prod/client  all ports -> none',
          '    dev/frontend  all ports -> none',
        ].join('\n'),
      );
    });

    it('reads the crd.projectcalico.org/v1 form, and a Delete previews the NetworkPolicy gone', async () => {
      const dir = tempDir();
      const path = join(dir, 'staged-delete.yaml');
      writeFileSync(
        path,
        [
          'apiVersion: networking.k8s.io/v1',
          'kind: NetworkPolicy',
          'metadata: {name: db-closed, namespace: prod}',
          'spec: {podSelector: {matchLabels: {role: database}}, policyTypes: [Ingress]}',
          '---',
          'apiVersion: crd.projectcalico.org/v1',
          'kind: StagedKubernetesNetworkPolicy',
          'metadata: {name: db-closed, namespace: prod}',
          'spec: {stagedAction: Delete, podSelector: {}}',
        ].join('\n'),
      );
      const run = await runCli([...check, '-f', path]);
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toContain(
        'if staged policy stagedkubernetesnetworkpolicy/prod/db-closed were enforced: ALLOWED',
      );
    });

    it('is refused with a one-line error naming it when its stagedAction is unknown', async () => {
      const dir = tempDir();
      const path = join(dir, 'staged-bad.yaml');
      writeFileSync(
        path,
        'apiVersion: projectcalico.org/v3\nkind: StagedKubernetesNetworkPolicy\nmetadata: {name: odd, namespace: prod}\nspec: {stagedAction: Replace, podSelector: {}}\n',
      );
      const run = await runCli([...check, '-f', path]);
      expect(run.stderr).toContain('StagedKubernetesNetworkPolicy prod/odd');
      expect(run.stderr).toContain('spec.stagedAction: Unsupported value: "Replace"');
      expect(run.stdout).not.toContain('if staged policy');
    });

    it('is not previewed under another network plugin', async () => {
      const dir = tempDir();
      const kindnet = join(dir, 'kindnet.yaml');
      writeFileSync(kindnet, pluginDaemonSet('docker.io/kindest/kindnetd:v20240813-c6f155d6'));
      const run = await runCli([...check, '-f', STAGED, '-f', kindnet]);
      expect(run.stdout).not.toContain('if staged policy');
      expect(run.stderr).toContain('Calico policies present, but the network plugin is kindnet');
    });
  });

  it('explain lists the Calico rules by action, each with its policy, rule and tier', async () => {
    const files = ['-f', MODEL, '-f', `${ROOT}/004-pass-to-next-tier/policies.yaml`];
    const run = await runCli(['explain', 'prod/database', ...files]);
    expect(run.stdout).toContain(
      [
        '  rules allow from:',
        `    selector "role == 'frontend'", in namespace prod on all ports  [1 pod]  (networkpolicy.projectcalico.org/prod/default.db ingress rule 1, tier default)`,
        '  rules deny from:',
        '    anyone (the rule names no peers) on all ports  [4 pods]  (globalnetworkpolicy/security.team-a ingress rule 2, tier security)',
        '  rules pass to the next tier traffic from:',
        `    namespaceSelector "team == 'a'" on all ports  [3 pods]  (globalnetworkpolicy/security.team-a ingress rule 1, tier security)`,
      ].join('\n'),
    );
  });

  it('answers UNKNOWN, naming the condition, where a rule matches on service account labels', async () => {
    const files = ['-f', MODEL, '-f', `${ROOT}/018-service-account-names/policies.yaml`];
    const run = await runCli(['check', 'prod/frontend', 'prod/client', '--port', '80', ...files]);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toContain(
      'networkpolicy.projectcalico.org/prod/client-from-labelled-accounts rule 1 matches on source.serviceAccounts.selector (ServiceAccount labels not read), which the engine cannot decide',
    );
  });

  it('answers DENIED, naming the condition that misses, where a rule also matches on service account labels', async () => {
    const files = ['-f', MODEL, '-f', `${ROOT}/020-rule-conditions-anded/policies.yaml`];
    const run = await runCli(['check', 'dev/frontend', 'prod/frontend', '--port', '80', ...files]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      "networkpolicy.projectcalico.org/prod/frontend-from-team-a-accounts ingress rule 1 does not match:\n      source: its namespace does not hold: in namespace dev, not the policy's prod",
    );
  });

  it('answers UNKNOWN where Calico policies govern and Cilium policies are present too, the plugin unknown', async () => {
    const dir = tempDir();
    const cilium = join(dir, 'cilium.yaml');
    writeFileSync(
      cilium,
      'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: x, namespace: dev}\nspec: {endpointSelector: {}}\n',
    );
    const files = ['-f', MODEL, '-f', `${ROOT}/002-end-of-tier-drops/policies.yaml`, '-f', cilium];
    const run = await runCli([
      'check',
      'prod/client',
      'prod/database',
      '--port',
      '6379',
      '--ignore-unmodelled',
      ...files,
    ]);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toContain(
      'Calico, Cilium policies are both present and the network plugin is not known',
    );
    // The answer set aside is Calico's layer, not NetworkPolicies alone: its label says so.
    expect(run.stdout).toContain(
      '    computed with Calico policies and NetworkPolicies, setting that aside: DENIED by the end of tier default',
    );
    expect(run.stdout).not.toContain('NetworkPolicies alone');
  });

  it('audit counts tenant-c egress as open but for what the security tier denies: nothing isolates it', async () => {
    const run = await runCli(['audit', '--demo']);
    expect(run.stdout).toContain(
      '2 pods in tenant-c are isolated by no egress policy and connect anywhere except what calico tier security (globalnetworkpolicy/security.tenant-c-egress) denies: analytics-5c7f8d9b6-q9mrt, web-8d6b7f5c4-hl4zx',
    );
    expect(run.stdout).not.toContain('tenant-c has no default-deny egress policy');
  });

  it('the explain overview counts the security tier as restricting tenant-c egress, not isolating it', async () => {
    const run = await runCli(['explain', '-n', 'tenant-c', '-o', 'wide', '--demo']);
    expect(run.stdout).toMatch(
      /analytics-5c7f8d9b6-q9mrt .*isolated \(2\) +restricted \(calico tier security\) +default-deny-ingress,allow-same-namespace,globalnetworkpolicy\/security\.tenant-c-egress$/m,
    );
  });

  it('explain names the Calico policies governing a pod of the demo, and what the security tier does with its egress', async () => {
    const run = await runCli(['explain', 'tenant-c/analytics-5c7f8d9b6-q9mrt', '--demo']);
    // Its rule 2 passes every connection rule 1 does not deny: the tier's default Deny is never
    // reached, but rule 1 denies some egress (169.254.169.254).
    expect(run.stdout).toContain(
      'Egress: restricted by calico tier security (globalnetworkpolicy/security.tenant-c-egress), not isolated: no NetworkPolicy selects this pod for egress; what no rule denies is allowed\n  Calico policies, in evaluation order: globalnetworkpolicy/security.tenant-c-egress\n  calico tier security passes all egress its earlier rules leave to the next tier (globalnetworkpolicy/security.tenant-c-egress egress rule 2)\n',
    );
    expect(run.stdout).not.toContain('default Deny');
    const metadata = await runCli([
      'check',
      'tenant-c/analytics-5c7f8d9b6-q9mrt',
      '169.254.169.254',
      '--port',
      '80',
      '--demo',
    ]);
    expect(metadata.exitCode).toBe(1);
    expect(metadata.stdout).toContain(
      '    calico tier security: denied by globalnetworkpolicy/security.tenant-c-egress egress rule 1\n',
    );
    // The security tier denies first: the staged policy of the default tier would not govern.
    expect(metadata.stdout).not.toContain('if staged policy');
    const toWeb = await runCli([
      'check',
      'tenant-c/analytics-5c7f8d9b6-q9mrt',
      'tenant-c/web-8d6b7f5c4-hl4zx',
      '--port',
      '80',
      '--demo',
    ]);
    expect([toWeb.exitCode, toWeb.stdout]).toEqual([
      0,
      expect.stringContaining(
        'if staged policy stagednetworkpolicy/tenant-c/default.tenant-c-lockdown were enforced: DENIED\n',
      ),
    ]);
  });
});

describe('explain: what isolates a pod in a Calico tier', () => {
  const explainDatabase = (policies: string) =>
    runCli(['explain', 'prod/database', '-f', MODEL, '-f', `${ROOT}/${policies}/policies.yaml`]);

  it('names the default Deny where connections reach the end of the tier', async () => {
    const run = await explainDatabase('002-end-of-tier-drops');
    expect(run.stdout).toContain('Ingress: isolated by calico tier default (default Deny)\n');
  });

  it('names the rule that denies every connection left, where it comes before the end', async () => {
    const run = await explainDatabase('004-pass-to-next-tier');
    expect(run.stdout).toContain(
      'Ingress: isolated by calico tier security (globalnetworkpolicy/security.team-a ingress rule 2 denies every connection its earlier rules leave), calico tier default (default Deny)\n',
    );
  });
});

describe('audit --demo: staged Calico policies', () => {
  it('warns that the staged tenant-c lockdown would cut DNS over TCP for the pods that have it', async () => {
    const run = await runCli(['audit', '--demo', '-n', 'tenant-c']);
    expect(run.stdout).toContain(
      '  staged-policy-cuts-dns [tenant-c]\n    if staged policy stagednetworkpolicy/tenant-c/default.tenant-c-lockdown were enforced, these 2 pods could no longer get DNS answers too large for UDP (DNS over TCP 53), as they do today: analytics-5c7f8d9b6-q9mrt, web-8d6b7f5c4-hl4zx\n',
    );
  });
});
