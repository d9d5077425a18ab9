/** `kubectl netpol audit` and `check` on the tutorials' scenarios: the fixes they print. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { HOSTILE, unsafeChars } from '../helpers/terminal-safety.js';

const TUTORIALS = 'test/fixtures/manifests/tutorials';

describe('fixes for a namespace lacking the label a namespaceSelector wants', () => {
  const file = `${TUTORIALS}/namespace-labels.yaml`;
  const checkToB = (source: string) =>
    runCli(['check', source, 'namespace-b/nginx-b', '--port', '80', '-f', file]);

  it('audit labels the namespace meant, not the policy pointed at its own namespace', async () => {
    const run = await runCli(['audit', '-f', file]);
    expect(run.stdout).toContain(
      'namespaceSelector ns=namespacea matches no namespace; namespace namespace-a has no label ns',
    );
    expect(run.stdout).toContain('kubectl label namespace namespace-a ns=namespacea');
    expect(run.stdout).not.toContain('ns=namespaceb\n');
    expect(run.stdout).not.toContain('to ns=namespaceb');
  });

  it('check claims no typo for the label another namespace really carries', async () => {
    const run = await checkToB('namespace-c/nginx-c');
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('namespace namespace-c has ns=namespacec, wanted ns=namespacea');
    expect(run.stdout).not.toContain('typo');
    expect(run.stdout).not.toContain('likely mistake');
  });

  it('check from the unlabelled namespace still says to label it', async () => {
    const run = await checkToB('namespace-a/nginx-a');
    expect(run.stdout).toContain('kubectl label namespace namespace-a ns=namespacea');
  });
});

describe('fixes for a typo that may be the pod’s', () => {
  it('offers relabelling the pod (or the workload template) besides editing the policy', async () => {
    const run = await runCli(['audit', '-f', `${TUTORIALS}/pod-label-typo.yaml`, '-o', 'json']);
    const findings = JSON.parse(run.stdout).findings as {
      code: string;
      fixes: { text: string; command?: string }[];
    }[];
    const fixes = (code: string) => findings.find((f) => f.code === code)?.fixes ?? [];
    expect(fixes('policy-selects-no-pods').map((f) => f.command ?? f.text)).toEqual([
      'set spec.podSelector of shop/p to app=web-frontend',
      expect.stringContaining(
        'kubectl netpol scaffold allow -n shop --name p --to app=web-frontend',
      ),
      'kubectl label pod web-1 -n shop app=web-frontent --overwrite',
    ]);
    expect(fixes('pod-selector-matches-nothing').at(-1)?.text).toBe(
      "label the pod template of Deployment shop/api tier=backend (if the typo is the pod's)",
    );
  });
});

describe('check offers relabelling the pod when its label may be the typo', () => {
  const pod = (name: string, labels: string, ip: string) =>
    `---\napiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: shop, labels: ${labels}}\nspec: {containers: [{name: c, image: x}]}\nstatus: {podIP: ${ip}}\n`;
  const manifest = `${pod('web', '{app: web}', '10.0.0.1')}${pod('api', '{tier: backend}', '10.0.0.2')}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: shop}
spec: {podSelector: {}, policyTypes: [Ingress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: to-backend, namespace: shop}
spec:
  podSelector: {matchLabels: {tier: backnd}}
  ingress: [{from: [{podSelector: {}}]}]
`;

  it('after the selector edit', async () => {
    const run = await runCli(
      ['check', 'shop/web', 'shop/api', '--port', '80', '-f', '-'],
      manifest,
    );
    expect(run.stdout).toContain(
      "likely mistake: in shop/to-backend spec.podSelector, tier=backnd should probably be tier=backend\n    or, if the pod's label is the typo: kubectl label pod api -n shop tier=backnd --overwrite",
    );
  });
});

describe('an allow the other side denies (deny-all both ways, ingress allows only)', () => {
  const file = 'test/fixtures/audit/one-sided-allow/triggers.yaml';

  it('audit names both policies and prints the other side’s half as a scaffold command', async () => {
    const run = await runCli(['audit', '-f', file]);
    expect(run.stdout).toContain(
      'production/allow-frontend-to-api ingress rule 1 admits 1 pod (frontend) that cannot use it: its egress, isolated by production/default-deny-all, does not allow that traffic',
    );
    const command = `kubectl netpol scaffold allow -n production --direction egress --from app=frontend --to app=api --port 8080/TCP -f ${file}`;
    expect(run.stdout).toContain(command);
    const scaffold = await runCli(command.split(' ').slice(2));
    expect(scaffold.exitCode).toBe(0);
    expect(scaffold.stderr).toContain('production/frontend -> production/api: nothing => TCP 8080');
  });

  it('is silent once both sides agree', async () => {
    const run = await runCli(['audit', '-f', 'test/fixtures/audit/one-sided-allow/clean.yaml']);
    expect(run.stdout).not.toContain('cannot use it');
  });
});

describe('DNS over UDP and TCP, and NodeLocal DNSCache', () => {
  const udpOnly = 'test/fixtures/audit/dns-tcp-blocked/triggers.yaml';
  const COREDNS = 'kube-system/coredns-5d78c9869d-4xq7m';
  const checkDns = (protocol: string, input: string[], stdin = '') =>
    runCli(
      ['check', 'shop/frontend', COREDNS, '--port', '53', '--protocol', protocol, ...input],
      stdin,
    );

  it('check on TCP 53 with only UDP 53 allowed does not say names cannot resolve', async () => {
    const run = await checkDns('TCP', ['-f', udpOnly]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      'dns: shop/frontend resolves names over UDP 53, but DNS over TCP 53 is blocked: answers too large for UDP (truncated, retried over TCP) fail',
    );
    expect(run.stdout).not.toContain('cannot resolve names');
  });

  it('audit warns of the TCP fallback, not of names that do not resolve', async () => {
    const run = await runCli(['audit', '-f', udpOnly]);
    expect(run.stdout).toContain(
      '3 pods in shop resolve names over UDP, but DNS over TCP, the fallback for answers too large for UDP, is blocked',
    );
    expect(run.stdout).not.toContain('cannot resolve names');
  });

  it('check names NodeLocal DNSCache when egress to its address is denied', async () => {
    const manifest = readFileSync(`${TUTORIALS}/node-local-dns.yaml`, 'utf8');
    const withoutAllow = manifest.slice(0, manifest.lastIndexOf('---'));
    const run = await runCli(
      ['check', 'shop/app', '169.254.20.10', '--port', '53', '--protocol', 'UDP', '-f', '-'],
      withoutAllow,
    );
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      'dns: shop/app cannot resolve names: its egress is isolated and no rule allows UDP 53 to NodeLocal DNSCache',
    );
    expect(run.stdout).toContain('--to-cidr 169.254.20.10/32 --port 53/UDP');
  });

  it('check on UDP 53 with only TCP 53 allowed says names do not resolve, and why', async () => {
    const tcpOnly = readFileSync(udpOnly, 'utf8').replace(
      'ports: [{protocol: UDP, port: 53}]',
      'ports: [{protocol: TCP, port: 53}]',
    );
    const run = await checkDns('UDP', ['-f', '-'], tcpOnly);
    expect(run.stdout).toContain(
      'dns: shop/frontend cannot resolve names: resolvers ask over UDP 53 first, and only TCP 53 is allowed',
    );
  });

  it('audit takes egress to NodeLocal DNSCache (169.254.20.10) for DNS egress', async () => {
    const run = await runCli(['audit', '-f', `${TUTORIALS}/node-local-dns.yaml`, '-o', 'json']);
    const codes = JSON.parse(run.stdout).findings.map((f: { code: string }) => f.code);
    expect(codes).not.toContain('dns-blocked');
    expect(codes).not.toContain('dns-tcp-blocked');
  });
});

describe('port names declared twice, CIDRs with host bits, removed API versions', () => {
  const auditFixture = (code: string) =>
    runCli(['audit', '-f', `test/fixtures/audit/${code}/triggers.yaml`]);

  it('audit reports a port name two containers declare', async () => {
    const run = await auditFixture('ambiguous-named-port');
    expect(run.stdout).toContain(
      '1 pod in shop declares the TCP port name metrics more than once, for ports 9090, 15090: a policy naming it may open either',
    );
  });

  it('audit reports 10.0.0.5/24 with the network it matches and both fixes', async () => {
    const run = await auditFixture('non-canonical-cidr');
    expect(run.stdout).toContain(
      'spec.egress[0].to[0].ipBlock.cidr 10.0.0.5/24 has host bits set beyond its prefix length; plugins and this analysis match the network 10.0.0.0/24',
    );
    expect(run.stdout).toContain('to 10.0.0.0/24 (what it matches today)');
    expect(run.stdout).toContain('to 10.0.0.5/32 (if only that address was meant)');
  });

  it('check warns, naming the file and object of an extensions/v1beta1 policy', async () => {
    const file = 'test/fixtures/audit/removed-api-version/triggers.yaml';
    const check = await runCli(['check', '10.0.0.9', 'shop/api', '--port', '80', '-f', file]);
    expect(check.stderr).toContain(
      `warning: ${file}:8 (document 2): NetworkPolicy shop/deny-all: apiVersion extensions/v1beta1 was removed in Kubernetes 1.16`,
    );
    expect(check.stdout).toContain('ALLOWED');
  });

  it('audit reports it once, as a finding that --fail-on warning counts', async () => {
    const file = 'test/fixtures/audit/removed-api-version/triggers.yaml';
    const run = await runCli(['audit', '-f', file, '--fail-on', 'warning']);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(
      `${file}:8 (document 2): shop/deny-all is written for apiVersion extensions/v1beta1, which Kubernetes 1.16 removed`,
    );
    expect(run.stdout).toContain('write apiVersion: networking.k8s.io/v1');
  });
});

describe('the new findings show untrusted text escaped', () => {
  it('port names, protocols and pod names of a hostile manifest', async () => {
    const namespace = 'shop';
    const ports = [
      { name: `m${HOSTILE}`, containerPort: 9090, protocol: HOSTILE },
      { name: `m${HOSTILE}`, containerPort: 9091, protocol: HOSTILE },
    ];
    const manifest = JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
        ...['a', 'b'].map((name, i) => ({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: `${name}${HOSTILE}`, namespace, labels: { app: name } },
          spec: { containers: [{ name: 'c', image: 'x', ports }] },
          status: { podIP: `10.0.0.${i + 1}` },
        })),
        {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: { name: 'deny-all', namespace },
          spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
        },
        {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: { name: 'b-from-a', namespace },
          spec: {
            podSelector: { matchLabels: { app: 'b' } },
            ingress: [{ from: [{ podSelector: { matchLabels: { app: 'a' } } }] }],
          },
        },
      ],
    });
    const run = await runCli(['audit', '-f', '-'], manifest);
    expect(unsafeChars(run.stdout)).toEqual([]);
    expect(unsafeChars(run.stderr)).toEqual([]);
    expect(run.stdout).toContain('one-sided-allow');
    expect(run.stdout).toContain('ambiguous-named-port');
  });
});

describe('audit -f DIR: DNS cut by a Calico deny in a tier before the NetworkPolicies', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-dns-deny-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const pod = (id: string, labels: string, ip: string) => {
    const [namespace, name] = id.split('/');
    return `---\napiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: ${namespace}, labels: ${labels}}\nspec: {containers: [{name: c, image: x}]}\nstatus: {podIP: ${ip}}\n`;
  };
  writeFileSync(
    join(dir, 'cluster.yaml'),
    `${pod('shop/web', '{app: web}', '10.0.2.7')}${pod('kube-system/coredns', '{k8s-app: kube-dns}', '10.0.9.1')}---
apiVersion: v1
kind: Service
metadata: {name: kube-dns, namespace: kube-system}
spec:
  clusterIP: 10.96.0.10
  selector: {k8s-app: kube-dns}
  ports: [{name: dns, port: 53, protocol: UDP}, {name: dns-tcp, port: 53, protocol: TCP}]
`,
  );
  writeFileSync(
    join(dir, 'policies.yaml'),
    `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-out, namespace: shop}
spec: {podSelector: {}, policyTypes: [Egress]}
---
apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: security}
spec: {order: 100}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: security.no-dns}
spec:
  tier: security
  selector: all()
  types: [Egress]
  egress:
  - {action: Deny, destination: {namespaceSelector: "projectcalico.org/name == 'kube-system'"}}
  - {action: Pass}
`,
  );

  it('fixes the Calico rule first, then adds allow-dns for the NetworkPolicy that cuts DNS too', async () => {
    const run = await runCli(['audit', '-f', dir]);
    const text = run.stdout;
    const early = text.indexOf(
      'allow DNS to k8s-app=kube-dns in kube-system, behind the Service kube-system/kube-dns, on UDP and TCP 53 with an Allow rule ahead of Calico (tier security) globalnetworkpolicy/security.no-dns egress rule 1 [deny] in its tier, or narrow that rule to leave DNS out',
    );
    const allowDns = text.indexOf('kubectl netpol scaffold allow-dns -n shop');
    expect(early).toBeGreaterThan(-1);
    expect(allowDns).toBeGreaterThan(early);
  });
});
