/**
 * The five tutorials of ../shared/seeds walked as their readers walk them: each probe they run
 * by hand (curl, wget, nslookup from a pod) asked as `kubectl netpol check` with the target they
 * type, after the same policy steps, must give the verdict and exit code the tutorial observes
 * and name the policy that decides it; the troubleshooting they describe must be found, with a
 * fix that works. Fixtures: test/fixtures/manifests/tutorials/seed-NNN-TOPIC/.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const TUTORIALS = 'test/fixtures/manifests/tutorials';

type Outcome = 'ALLOWED' | 'DENIED' | 'UNKNOWN';
const EXIT: Record<Outcome, number> = { ALLOWED: 0, DENIED: 1, UNKNOWN: 2 };

/** The `-f` flags reading a tutorial's cluster and the files applied on top of it. */
const input = (seed: string, ...applied: string[]) =>
  ['cluster.yaml', ...applied].flatMap((file) => ['-f', `${TUTORIALS}/${seed}/${file}`]);

/** Runs `check ARGS` and asserts the verdict its (first) flow line and its exit code give. */
async function probe(args: readonly string[], expected: Outcome): Promise<string> {
  const run = await runCli(['check', ...args]);
  expect(run.stderr).not.toMatch(/error|warning/);
  const verdictLine = run.stdout
    .split('\n')
    .find((line) => /^(ALLOWED|DENIED|UNKNOWN) {2}/.test(line));
  expect(verdictLine, run.stdout).toMatch(new RegExp(`^${expected} {2}`));
  expect(run.exitCode, run.stdout).toBe(EXIT[expected]);
  return run.stdout;
}

/** check's arguments for a name lookup from SOURCE (nslookup): the cluster DNS on port 53. */
const lookup = (source: string, protocol: 'UDP' | 'TCP', ...namespace: string[]) => [
  source,
  'svc/kube-dns.kube-system',
  ...namespace,
  '--protocol',
  protocol,
];

/** Audit's JSON findings of an input. */
async function findings(args: readonly string[]) {
  const run = await runCli(['audit', ...args, '-o', 'json']);
  expect(run.exitCode).toBe(0);
  const answer = JSON.parse(run.stdout) as {
    cni: { plugin: string; enforcesPolicies: boolean | 'unknown' };
    findings: {
      code: string;
      namespace?: string;
      message: string;
      fixes: { text: string; command?: string }[];
    }[];
  };
  return answer;
}

/** The YAML a suggested `kubectl netpol scaffold ...` command prints. */
async function scaffolded(command: string): Promise<string> {
  const args = command.split(' ');
  expect(args.slice(0, 3)).toEqual(['kubectl', 'netpol', 'scaffold']);
  const run = await runCli(args.slice(2));
  expect(run.exitCode, run.stderr).toBe(0);
  return run.stdout;
}

describe('seed 000: deny-all, then allow the same namespace, in secure-ns (AWS VPC CNI)', () => {
  const SEED = 'seed-000-secure-ns';
  const NGINX = 'nginx.secure-ns.svc.cluster.local';
  // Probes are typed as the tutorial's wget lines, without a port: the Service's only one.
  const sameNamespace = input(SEED, '01-deny-all.yaml', '02-allow-same-ns.yaml');

  it('before any policy, busybox in default reaches nginx (everything talks to everything)', async () => {
    const out = await probe(['default/busybox', NGINX, '--port', '80', ...input(SEED)], 'ALLOWED');
    expect(out).toContain('ingress of secure-ns/nginx: not isolated');
    expect(out).not.toContain('could not be identified');
  });

  it('step 5: after deny-all, wget from busybox fails, because deny-all only isolates', async () => {
    const out = await probe(
      ['default/busybox', NGINX, ...input(SEED, '01-deny-all.yaml')],
      'DENIED',
    );
    expect(out).toContain('ingress of secure-ns/nginx: DENIED (isolated by secure-ns/deny-all)');
    expect(out).toContain('secure-ns/deny-all has no ingress rules: it only isolates');
    expect(out).toContain('(service port 80 -> targetPort 80)');
  });

  it('step 7: after allow-same-ns, wget from test-pod in secure-ns works', async () => {
    const out = await probe(['secure-ns/test-pod', NGINX, ...sameNamespace], 'ALLOWED');
    expect(out).toContain(
      'allowed by secure-ns/allow-same-ns ingress rule 1: all pods in namespace secure-ns, on all ports',
    );
  });

  it('step 7: busybox outside the namespace is still refused, and told why', async () => {
    const out = await probe(['default/busybox', `${NGINX}.`, ...sameNamespace], 'DENIED');
    expect(out).toContain(
      'peer 1 (all pods in namespace secure-ns): the peer only selects pods in namespace secure-ns, not default',
    );
  });

  it('its troubleshooting probe (nc -zv nginx 80 from test-pod) reads svc/nginx in -n secure-ns', async () => {
    await probe(['pod/test-pod', 'svc/nginx', '-n', 'secure-ns', ...sameNamespace], 'ALLOWED');
  });

  it('explain takes the Service names it probes: the pods behind them, whatever their ports', async () => {
    const nginx = await runCli(['explain', NGINX, ...input(SEED, '01-deny-all.yaml')]);
    expect(nginx.stderr).toBe('');
    expect(nginx.exitCode).toBe(0);
    expect(nginx.stdout).toMatch(/^Pod secure-ns\/nginx\n/);
    expect(nginx.stdout).toContain('Ingress: isolated by secure-ns/deny-all');
    const dns = await runCli(['explain', 'svc/kube-dns', '-n', 'kube-system', ...input(SEED)]);
    expect(dns.stdout).toMatch(/^Pod kube-system\/coredns-787cb67946-2xk9v\n/);
  });

  it('a probe without a port at a Service of several ports asks which one', async () => {
    const run = await runCli([
      'check',
      'default/busybox',
      'svc/kube-dns.kube-system',
      ...input(SEED),
    ]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(
      'error: --port is needed: svc/kube-dns.kube-system has ports 53/UDP (dns), 53/TCP (dns-tcp)\n',
    );
  });

  it('"allow specific namespaces" wants name=frontend, a label no namespace has by itself', async () => {
    const applied = input(
      SEED,
      'frontend-and-backend.yaml',
      '01-deny-all.yaml',
      '04-allow-from-frontend.yaml',
    );
    const out = await probe(
      ['frontend/web', 'deploy/backend', '-n', 'secure-ns', '--port', '8080', ...applied],
      'DENIED',
    );
    expect(out).toContain('namespace frontend has no label name (wanted name=frontend)');
    expect(out).toContain(
      'likely mistake: label the namespace: kubectl label namespace frontend name=frontend\n    or select it by the label every namespace has: in secure-ns/allow-from-frontend spec.ingress[0].from[0].namespaceSelector, name=frontend -> kubernetes.io/metadata.name=frontend\n',
    );
    const found = (await findings(applied)).findings.find(
      (f) => f.code === 'namespace-selector-matches-nothing',
    );
    expect(found?.fixes.map((f) => f.command ?? f.text).slice(0, 2)).toEqual([
      'kubectl label namespace frontend name=frontend',
      'set spec.ingress[0].from[0].namespaceSelector of secure-ns/allow-from-frontend to kubernetes.io/metadata.name=frontend',
    ]);
  });

  describe('the egress example: only UDP 53 leaves secure-ns', () => {
    const applied = input(
      SEED,
      '01-deny-all.yaml',
      '02-allow-same-ns.yaml',
      '03-deny-all-egress.yaml',
    );

    it('test-pod can no longer reach nginx: its own egress denies it', async () => {
      const out = await probe(['secure-ns/test-pod', NGINX, '--port', '80', ...applied], 'DENIED');
      expect(out).toContain(
        'egress of secure-ns/test-pod: DENIED (isolated by secure-ns/deny-all-egress)',
      );
      expect(out).toContain('port 1 (UDP 53): it is for UDP, not TCP');
      expect(out).toContain(
        'kubectl netpol scaffold allow -n secure-ns --direction egress --from run=test-pod --to run=nginx --port 80/TCP',
      );
    });

    it('names still resolve over UDP, and only the TCP fallback is blocked', async () => {
      const udp = await probe([...lookup('secure-ns/test-pod', 'UDP'), ...applied], 'ALLOWED');
      expect(udp).toContain(
        'allowed by secure-ns/deny-all-egress egress rule 1: anyone (the rule names no peers), on UDP 53',
      );
      const tcp = await probe([...lookup('secure-ns/test-pod', 'TCP'), ...applied], 'DENIED');
      expect(tcp).toContain(
        'dns: secure-ns/test-pod resolves names over UDP 53, but DNS over TCP 53 is blocked',
      );
      expect(tcp).toContain('kubectl netpol scaffold allow-dns -n secure-ns');
    });
  });
});

describe('seed 001: namespace-b closed, then opened to namespace-a only (Cilium)', () => {
  const SEED = 'seed-001-cross-namespace';
  const NGINX_A_IP = '10.0.0.106';
  const NGINX_B_IP = '10.0.0.165';

  it('identifies Cilium from its DaemonSet in kube-system', async () => {
    const { cni } = await findings(input(SEED));
    expect(cni).toMatchObject({ plugin: 'Cilium', enforcesPolicies: true });
  });

  it('before any policy, namespace-c curls the pod IP of namespace-a', async () => {
    await probe(
      ['namespace-c/nginx-6d8f5c7b9d-gmz9k', NGINX_A_IP, '--port', '80', ...input(SEED)],
      'ALLOWED',
    );
  });

  it('deny-all-traffic: neither namespace-a nor namespace-c reaches namespace-b', async () => {
    for (const source of ['namespace-a/nginx', 'namespace-c/nginx']) {
      const out = await probe(
        [source, NGINX_B_IP, '--port', '80', ...input(SEED, '01-deny-all-traffic.yaml')],
        'DENIED',
      );
      expect(out).toContain(
        'ingress of namespace-b/nginx-7854ff8877-m69p4: DENIED (isolated by namespace-b/deny-all-traffic)',
      );
    }
  });

  it('deny-all-traffic deleted: namespace-a reaches svc/nginx.namespace-b again', async () => {
    await probe(
      ['namespace-a/nginx', 'svc/nginx.namespace-b', '--port', '80', ...input(SEED)],
      'ALLOWED',
    );
  });

  it('nginx-ingress: namespace-a curls 10.0.0.165 and gets through', async () => {
    const out = await probe(
      [
        'deploy/nginx',
        '-n',
        'namespace-a',
        NGINX_B_IP,
        '--port',
        '80',
        ...input(SEED, '02-nginx-ingress.yaml'),
      ],
      'ALLOWED',
    );
    expect(out).toContain(
      'allowed by namespace-b/nginx-ingress ingress rule 1: all pods in namespaces with ns=namespacea, on all ports',
    );
  });

  it('nginx-ingress: namespace-c is refused, with the label it lacks and no typo claimed', async () => {
    const out = await probe(
      ['namespace-c/nginx', NGINX_B_IP, '--port', '80', ...input(SEED, '02-nginx-ingress.yaml')],
      'DENIED',
    );
    expect(out).toContain('namespace namespace-c has ns=namespacec, wanted ns=namespacea');
    expect(out).not.toContain('likely mistake');
  });
});

describe('targets typed as in the tutorials’ kubectl exec and curl lines', () => {
  it('a bare pod name (kubectl exec test-attacker -n production) is the pod of the -n namespace', async () => {
    const seed003 = input('seed-003-microservices', 'cni-calico.yaml');
    for (const source of ['test-attacker', 'pod/test-attacker']) {
      await probe(
        [source, 'svc/api-service', '-n', 'production', '--port', '8080', ...seed003],
        'ALLOWED',
      );
    }
  });

  it('HOST:PORT (wget http://api-service:8080/health) is pointed at --port', async () => {
    const seed003 = input('seed-003-microservices');
    const run = await runCli(['check', 'production/test-frontend', 'api-service:8080', ...seed003]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('give the port with --port: api-service --port 8080');
  });

  it('a Service by its short DNS name (curl nginx.namespace-b) is that Service, with a note', async () => {
    const seed001 = input('seed-001-cross-namespace');
    const args = ['namespace-a/nginx', 'nginx.namespace-b', '--port', '80', ...seed001];
    const [byName, bySvc] = await Promise.all([
      runCli(['check', ...args]),
      runCli(['check', 'namespace-a/nginx', 'svc/nginx.namespace-b', ...args.slice(2)]),
    ]);
    expect(byName.stdout).toContain(
      'note: nginx.namespace-b is read as NAME.NAMESPACE: service namespace-b/nginx, as cluster DNS resolves it',
    );
    const verdictLines = (stdout: string) =>
      stdout.split('\n').filter((line) => /^(ALLOWED|DENIED|UNKNOWN) /.test(line));
    expect(verdictLines(byName.stdout)).toEqual(verdictLines(bySvc.stdout));
    expect(verdictLines(byName.stdout).length).toBeGreaterThan(0);
    expect(byName.exitCode).toBe(bySvc.exitCode);
  });
});

describe('seed 002: default deny and a three-tier app in production (Calico)', () => {
  const SEED = 'seed-002-three-tier';
  const frontendToBackend = [
    'deploy/frontend',
    'svc/backend',
    '-n',
    'production',
    '--port',
    '8080',
  ];

  describe('deny-all both ways, and an ingress allow to backend', () => {
    const applied = input(SEED, '01-deny-all.yaml', '02-allow-frontend.yaml');

    it('frontend still cannot reach backend: its own egress is denied', async () => {
      const out = await probe([...frontendToBackend, ...applied], 'DENIED');
      expect(out).toContain(
        'egress of production/frontend-6b9f7d8c5d-x7k2p: DENIED (isolated by production/deny-all)',
      );
      expect(out).toContain(
        'allowed by production/allow-frontend ingress rule 1: pods with app=frontend in namespace production, on TCP 8080',
      );
    });

    it('audit finds the one-sided allow, and its fix opens the flow', async () => {
      const { findings: found } = await findings(applied);
      const oneSided = found.find((f) => f.code === 'one-sided-allow');
      expect(oneSided?.message).toContain(
        'production/allow-frontend ingress rule 1 admits 1 pod (frontend-6b9f7d8c5d-x7k2p) that cannot use it',
      );
      const command = oneSided?.fixes.find((f) => f.command)?.command ?? '';
      expect(command).toContain(
        'scaffold allow -n production --direction egress --from app=frontend --to app=backend --port 8080/TCP',
      );
      const policy = await scaffolded(command);
      await probe([...frontendToBackend, ...applied, '-f', '-'], 'DENIED');
      const after = await runCli(['check', ...frontendToBackend, ...applied, '-f', '-'], policy);
      expect(after.stdout).toMatch(/^ALLOWED {2}/);
      expect(after.exitCode).toBe(0);
    });
  });

  it('allow-dns (UDP only): lookups work, the TCP fallback does not', async () => {
    const applied = input(SEED, '01-deny-all.yaml', '03-allow-dns.yaml');
    const frontend = (protocol: 'UDP' | 'TCP') =>
      lookup('deploy/frontend', protocol, '-n', 'production');
    const udp = await probe([...frontend('UDP'), ...applied], 'ALLOWED');
    expect(udp).toContain('allowed by production/allow-dns egress rule 1');
    const tcp = await probe([...frontend('TCP'), ...applied], 'DENIED');
    expect(tcp).toContain('resolves names over UDP 53, but DNS over TCP 53 is blocked');
  });

  describe('the complete example', () => {
    const applied = input(SEED, '04-three-tier.yaml');

    it('frontend -> backend -> database works, each hop named by both policies', async () => {
      const hop1 = await probe([...frontendToBackend, ...applied], 'ALLOWED');
      expect(hop1).toContain('allowed by production/frontend-policy egress rule 1');
      expect(hop1).toContain('allowed by production/backend-policy ingress rule 1');
      const hop2 = await probe(
        ['deploy/backend', 'svc/database', '-n', 'production', '--port', '5432', ...applied],
        'ALLOWED',
      );
      expect(hop2).toContain('allowed by production/database-policy ingress rule 1');
    });

    it('frontend cannot skip to the database: both sides deny, both fixes offered', async () => {
      const out = await probe(
        ['deploy/frontend', 'svc/database', '-n', 'production', '--port', '5432', ...applied],
        'DENIED',
      );
      expect(out).toContain(
        'pod production/frontend-6b9f7d8c5d-x7k2p has tier=frontend, wanted tier=backend',
      );
      expect(out).toContain('to allow both sides in one go');
    });

    it('backend cannot resolve names: its egress has no DNS rule; audit says the same', async () => {
      const out = await probe(
        [...lookup('deploy/backend', 'UDP', '-n', 'production'), ...applied],
        'DENIED',
      );
      expect(out).toContain(
        'dns: production/backend-5c8d9f6b7c-m4n8q cannot resolve names: its egress is isolated and no rule allows UDP 53 to the cluster DNS',
      );
      const blocked = (await findings(applied)).findings.find((f) => f.code === 'dns-blocked');
      expect(blocked?.message).toContain('1 pod in production cannot resolve names');
      expect(blocked?.message).toContain('backend-5c8d9f6b7c-m4n8q');
    });
  });
});

describe('seed 003: the microservice policies and the troubleshooting table', () => {
  const SEED = 'seed-003-microservices';
  const enforced = input(SEED, 'cni-calico.yaml', '01-default-deny.yaml', '02-microservice.yaml');

  // Its "Testing Network Policies" block, and the ingress controller its frontend policy admits.
  it.each<[string, string, string, Outcome, string]>([
    [
      'production/test-frontend',
      'svc/api-service.production',
      '8080',
      'ALLOWED',
      'allowed by production/api-policy ingress rule 1: pods with tier=frontend',
    ],
    [
      'production/test-attacker',
      'api-service.production.svc',
      '8080',
      'DENIED',
      'pod production/test-attacker has tier=attacker, wanted tier=frontend',
    ],
    [
      'production/test-attacker',
      'svc/db-service.production',
      '5432',
      'DENIED',
      'pod production/test-attacker has tier=attacker, wanted tier=api',
    ],
    [
      'production/test-db',
      '93.184.215.14',
      '443',
      'DENIED',
      'egress of production/test-db: DENIED (isolated by production/default-deny, production/database-policy)',
    ],
    [
      'ingress-nginx/ingress-nginx-controller',
      'production/test-frontend',
      '80',
      'ALLOWED',
      'all pods in namespaces with app.kubernetes.io/name=ingress-nginx, on TCP 80',
    ],
  ])('%s -> %s:%s is %s', async (source, destination, port, expected, because) => {
    const out = await probe([source, destination, '--port', port, ...enforced], expected);
    expect(out).toContain(because);
  });

  describe('"NetworkPolicy has no effect": Flannel', () => {
    const flannel = input(SEED, 'cni-flannel.yaml', '01-default-deny.yaml', '02-microservice.yaml');
    const attack = ['production/test-attacker', 'svc/api-service.production', '--port', '8080'];

    it('check says the traffic flows (exit 0) and what the policies would have done', async () => {
      const run = await runCli(['check', ...attack, ...flannel]);
      expect(run.exitCode).toBe(0);
      expect(run.stdout.split('\n').slice(0, 3)).toEqual([
        "not enforced: DENIED by policy, but Flannel does not enforce NetworkPolicies, so the traffic flows whatever they say (--assume-enforced: the policies' verdict)",
        'ALLOWED  production/test-attacker -> production/test-api  TCP 8080  (DENIED by policy, not enforced by Flannel)',
        '  egress of production/test-attacker: DENIED (isolated by production/default-deny)',
      ]);
      const json = JSON.parse(
        (await runCli(['check', ...attack, ...flannel, '-o', 'json'])).stdout,
      );
      expect(json).toMatchObject({ verdict: 'ALLOWED', policyVerdict: 'DENIED' });
      await probe([...attack, ...flannel, '--assume-enforced'], 'DENIED');
    });

    it('audit reports it as an error, with the fix the table gives', async () => {
      const found = (await findings(flannel)).findings.find(
        (f) => f.code === 'cni-ignores-policies',
      );
      expect(found?.message).toContain('Flannel does not enforce NetworkPolicies');
      expect(found?.fixes.map((f) => f.text)).toEqual([
        'add a policy engine (Calico with Flannel is Canal) or move to a CNI that enforces policies',
      ]);
    });
  });

  it('"pods can\'t resolve DNS after deny-all": found, and the fix makes lookups work', async () => {
    const denyOnly = input(SEED, 'cni-calico.yaml', '01-default-deny.yaml');
    const out = await probe([...lookup('production/test-api', 'UDP'), ...denyOnly], 'DENIED');
    expect(out).toContain('dns: production/test-api cannot resolve names');
    const command =
      out
        .split('\n')
        .find((line) => line.includes('scaffold allow-dns'))
        ?.trim() ?? '';
    expect(command).toMatch(/^kubectl netpol scaffold allow-dns -n production /);
    const policy = await scaffolded(command);
    for (const protocol of ['UDP', 'TCP'] as const) {
      const after = await runCli(
        ['check', ...lookup('production/test-api', protocol), ...denyOnly, '-f', '-'],
        policy,
      );
      expect(after.exitCode, after.stdout).toBe(0);
    }
  });

  it('"cross-namespace traffic still blocked": the unlabelled monitoring namespace, and its label', async () => {
    const applied = [...enforced, '-f', `${TUTORIALS}/${SEED}/03-allow-monitoring-scrape.yaml`];
    const scrape = ['monitoring/prometheus', 'production/test-api', '--port', '9090'];
    const out = await probe([...scrape, ...applied], 'DENIED');
    expect(out).toContain('namespace monitoring has no label purpose (wanted purpose=monitoring)');
    expect(out).toContain(
      'likely mistake: label the namespace: kubectl label namespace monitoring purpose=monitoring',
    );
    const audit = (await findings(applied)).findings.find(
      (f) => f.code === 'namespace-selector-matches-nothing',
    );
    expect(audit?.fixes[0]?.command).toBe('kubectl label namespace monitoring purpose=monitoring');
    const cluster = readFileSync(`${TUTORIALS}/${SEED}/cluster.yaml`, 'utf8');
    const labelled = cluster.replace(
      '{"kubernetes.io/metadata.name": "monitoring"}',
      '{"kubernetes.io/metadata.name": "monitoring", "purpose": "monitoring"}',
    );
    expect(labelled).not.toBe(cluster);
    const after = await runCli(['check', ...scrape, '-f', '-', ...applied.slice(2)], labelled);
    expect(after.stdout).toMatch(/^ALLOWED {2}/);
    expect(after.stdout).toContain('allowed by production/allow-monitoring-scrape ingress rule 1');
  });
});

describe('seed 004: zero trust, step by step (Cilium)', () => {
  const SEED = 'seed-004-zero-trust';
  const app = input(SEED, '01-default-deny-all.yaml', '02-allow-dns.yaml', '04-three-tier.yaml');

  it('after default deny, pods cannot reach anything, not even DNS', async () => {
    const out = await probe(
      [
        ...lookup('deploy/api', 'UDP', '-n', 'production'),
        ...input(SEED, '01-default-deny-all.yaml'),
      ],
      'DENIED',
    );
    expect(out).toContain('production/default-deny-all has no egress rules: it only isolates');
    expect(out).toContain('cannot resolve names');
  });

  it('allow-dns opens UDP and TCP 53 to kube-dns', async () => {
    for (const protocol of ['UDP', 'TCP'] as const) {
      const out = await probe(
        [...lookup('deploy/api', protocol, '-n', 'production'), ...app],
        'ALLOWED',
      );
      expect(out).toContain(
        `allowed by production/allow-dns egress rule 1: pods with k8s-app=kube-dns in namespaces with kubernetes.io/metadata.name=kube-system, on ${protocol} 53`,
      );
    }
  });

  it('pattern 1: every frontend replica reaches every api replica, and api reaches postgres', async () => {
    const out = await probe(
      ['deploy/frontend', 'svc/api', '-n', 'production', '--port', '8080', ...app],
      'ALLOWED',
    );
    expect(
      out.match(/^ALLOWED {2}production\/frontend-\S+ -> production\/api-\S+ {2}TCP 8080$/gm),
    ).toHaveLength(4);
    expect(out).toContain('allowed by production/frontend-egress egress rule 1');
    expect(out).toContain('allowed by production/api-ingress ingress rule 1');
    await probe(
      ['deploy/api', 'svc/postgres.production', '-n', 'production', '--port', '5432', ...app],
      'ALLOWED',
    );
  });

  it('pattern 1: the frontend cannot reach postgres, and ingress-nginx reaches the frontend', async () => {
    await probe(
      ['deploy/frontend', 'svc/postgres', '-n', 'production', '--port', '5432', ...app],
      'DENIED',
    );
    const out = await probe(
      ['ingress-nginx/ingress-nginx-controller', 'svc/frontend.production', '--port', '80', ...app],
      'ALLOWED',
    );
    expect(out).toContain('allowed by production/frontend-ingress ingress rule 1');
  });

  it('allow-kube-api names the ClusterIP: the backend on 6443 stays denied, and says why', async () => {
    const out = await probe(
      [
        'deploy/api',
        '10.96.0.1',
        '-n',
        'production',
        '--port',
        '443',
        ...app,
        '-f',
        `${TUTORIALS}/${SEED}/03-allow-kube-api.yaml`,
      ],
      'DENIED',
    );
    expect(out).toContain('10.96.0.1 is the ClusterIP of service default/kubernetes');
    expect(out).toContain('production/allow-kube-api egress rule 1 does not match (closest)');
    expect(out).toContain('--to-cidr 172.18.0.2/32 --port 6443/TCP');
  });

  it('the L7 CiliumNetworkPolicy on api is evaluated: it restricts only what no other rule allows', async () => {
    const l7 = ['-f', `${TUTORIALS}/${SEED}/05-api-l7-policy.yaml`];
    const flow = ['deploy/frontend', 'svc/api', '-n', 'production', '--port', '8080'];
    const run = await runCli(['check', ...flow, ...app, ...l7]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^ALLOWED {2}/);
    expect(run.stdout).toContain(
      'allowed by ciliumnetworkpolicy/production/api-l7-policy ingress rule 1',
    );
    // The NetworkPolicy api-ingress allows the port at L4 too: the L7 rules restrict nothing.
    expect(run.stdout).toContain(
      'its L7 rules do not restrict this: another rule allows the port without L7 rules',
    );
    // Alone (no NetworkPolicy on api), the L7 rule allows the port only for the listed requests.
    const alone = await runCli(['check', ...flow, ...input(SEED), ...l7]);
    expect(alone.exitCode).toBe(0);
    expect(alone.stdout).toContain('allowed at L4, only for the listed requests');
    expect(alone.stdout).toContain(
      'allowed at L4 only for the listed HTTP requests: GET /api/v1/.*, POST /api/v1/orders',
    );
  });

  describe('pattern 2, namespace isolation in team-a', () => {
    const isolated = input(SEED, 'team-a.yaml', '06-namespace-isolation.yaml');

    it('team-a talks to itself; other namespaces are shut out', async () => {
      const inside = await probe(
        ['team-a/worker', 'team-a/web', '--port', '80', ...isolated],
        'ALLOWED',
      );
      expect(inside).toContain(
        'allowed by team-a/namespace-isolation egress rule 1: all pods in namespace team-a',
      );
      await probe(['netpol-test/client', 'team-a/web', '--port', '80', ...isolated], 'DENIED');
    });

    it('what the tutorial does not say: its pods can no longer resolve names', async () => {
      const worker = lookup('team-a/worker', 'UDP');
      const out = await probe([...worker, ...isolated], 'DENIED');
      expect(out).toContain('dns: team-a/worker cannot resolve names');
      const blocked = (await findings(isolated)).findings.find((f) => f.code === 'dns-blocked');
      expect(blocked?.message).toContain('2 pods in team-a cannot resolve names');
      const policy = await scaffolded(blocked?.fixes[0]?.command ?? '');
      const after = await runCli(['check', ...worker, ...isolated, '-f', '-'], policy);
      expect(after.exitCode, after.stdout).toBe(0);
    });
  });

  it('testing: curl server works, then times out after deny-all', async () => {
    // curl -s server: the Service's only port.
    const curl = ['netpol-test/client', 'svc/server', '-n', 'netpol-test'];
    await probe([...curl, ...input(SEED)], 'ALLOWED');
    const out = await probe([...curl, ...input(SEED, 'netpol-test-deny-all.yaml')], 'DENIED');
    expect(out).toContain(
      'ingress of netpol-test/server: DENIED (isolated by netpol-test/deny-all)',
    );
  });
});
