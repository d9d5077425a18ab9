/**
 * The Cilium demo cluster (`--demo=cilium`, issue 18) through the command line: its shop
 * namespace shows each kind of Cilium rule deciding a check, and a bare `--demo` is still the
 * Calico demo and still takes no value.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const WEB = 'shop/web-7b6c9d8f5-k2m4x';
const API = 'shop/api-5d8e7f6a4-r7t2q';
const ADMIN = 'shop/admin-6c9b8a7d5-w3n8z';

/** The verdict lines of a check's text output. */
const verdicts = (stdout: string) =>
  stdout.split('\n').filter((line) => /^(ALLOWED|DENIED|UNKNOWN) /.test(line));

describe('check --demo=cilium', () => {
  it("allows web -> api only for the L7 rule's requests (GET /api/...), through the Service", async () => {
    const run = await runCli([
      'check',
      WEB,
      'svc/api',
      '-n',
      'shop',
      '--port',
      '80',
      '--demo=cilium',
    ]);
    expect(verdicts(run.stdout)).toEqual([`ALLOWED  ${WEB} -> ${API}  TCP 8080`]);
    expect(run.stdout).toContain(
      'allowed at L4 only for the listed HTTP requests: GET /api/.*; others are refused by',
    );
    expect(run.exitCode).toBe(0);
  });

  it('denies admin -> api by the ingressDeny rule, over the admin egress allow', async () => {
    const run = await runCli(['check', ADMIN, API, '--port', '8080', '--demo=cilium']);
    expect(verdicts(run.stdout)).toEqual([`DENIED  ${ADMIN} -> ${API}  TCP 8080`]);
    expect(run.stdout).toContain(
      'denied by ciliumnetworkpolicy/shop/api-deny-admin ingressDeny rule 1',
    );
    expect(run.exitCode).toBe(1);
  });

  it('is UNKNOWN for a bare IP that only the toFQDNs rule could admit', async () => {
    const run = await runCli(['check', WEB, '203.0.113.9', '--port', '443', '--demo=cilium']);
    expect(verdicts(run.stdout)).toEqual([`UNKNOWN  ${WEB} -> 203.0.113.9  TCP 443`]);
    expect(run.stdout).toContain(
      'ciliumnetworkpolicy/shop/web-egress egress rule 3 has toFQDNs: which addresses it matches depends on DNS',
    );
  });

  it('admits the ingress controller to web by the clusterwide policy', async () => {
    const run = await runCli([
      'check',
      'ingress-nginx/ingress-nginx-controller-6f79748cff-k8z2w',
      WEB,
      '--port',
      '8080',
      '--demo=cilium',
    ]);
    expect(run.stdout).toContain(
      'allowed by ciliumclusterwidenetworkpolicy/shop-web-from-ingress ingress rule 1',
    );
    expect(run.exitCode).toBe(0);
  });

  it('takes the last --demo given, as `npm run demo -- --demo=cilium` passes both', async () => {
    const run = await runCli(['check', ADMIN, API, '--port', '8080', '--demo', '--demo=cilium']);
    expect(verdicts(run.stdout)).toEqual([`DENIED  ${ADMIN} -> ${API}  TCP 8080`]);
  });

  it('refuses an unknown demo in one line naming the choices', async () => {
    const run = await runCli(['check', WEB, API, '--demo=weave']);
    expect(run.stderr).toContain(
      'error: --demo: no demo cluster "weave": give --demo (Calico) or --demo=cilium',
    );
    expect(run.exitCode).not.toBe(0);
  });
});

describe('matrix --demo=cilium -n shop -o json', () => {
  it('answers from the Cilium rules: L7-restricted port, deny, and FQDN-only UNKNOWN', async () => {
    const run = await runCli(['matrix', '--demo=cilium', '-n', 'shop', '-o', 'json']);
    type Ports = { protocol: string; ranges: number[][] }[];
    const { pairs, enforcement } = JSON.parse(run.stdout) as {
      pairs: { from: string; to: string; allowed: Ports; unknown?: Ports }[];
      enforcement: { plugin: string; enforcesPolicies: boolean };
    };
    expect(enforcement).toMatchObject({ plugin: 'Cilium', enforcesPolicies: true });
    const tcp = (from: string, to: string) =>
      pairs
        .find((pair) => pair.from === from && pair.to === to)
        ?.allowed.find((entry) => entry.protocol === 'TCP')?.ranges;
    expect(tcp(WEB, API)).toEqual([[8080, 8080]]);
    expect(pairs.some((pair) => pair.from === ADMIN && pair.to === API)).toBe(false);
    // web's toFQDNs rule may resolve to any address: its port 443 is UNKNOWN, not denied.
    expect(pairs.find((pair) => pair.from === WEB && pair.to === ADMIN)?.unknown).toEqual([
      { protocol: 'TCP', ranges: [[443, 443]] },
    ]);
    expect(run.exitCode).toBe(0);
  });
});

describe('a bare --demo', () => {
  it('is still the Calico demo, and takes no value: the positional after it is a target', async () => {
    const run = await runCli(['explain', '--demo', 'production/postgres-0']);
    expect(run.stdout).toContain('Pod production/postgres-0');
    expect(run.exitCode).toBe(0);
  });

  it('knows no shop namespace (the Cilium variant only)', async () => {
    const run = await runCli(['check', WEB, API, '--demo']);
    expect(run.exitCode).not.toBe(0);
  });
});

describe('completion of --demo', () => {
  it('offers the demo clusters after --demo=', async () => {
    const run = await runCli(['__complete', 'check', '--demo=c']);
    expect(run.stdout.split('\n')).toEqual(
      expect.arrayContaining(['--demo=calico', '--demo=cilium']),
    );
  });

  it("completes targets from the Cilium demo's pods", async () => {
    const run = await runCli(['__complete', 'check', '--demo=cilium', 'shop/w']);
    expect(run.stdout).toContain('shop/web-7b6c9d8f5-k2m4x');
  });
});

describe('audit --demo=cilium', () => {
  it('counts pods a Cilium policy isolates as isolated: only the open side of shop is reported', async () => {
    const run = await runCli(['audit', '--demo=cilium']);
    const shop = run.stdout
      .split('\n')
      .filter((line) => / pods? in shop is isolated by no/.test(line));
    expect(shop).toEqual([
      "    1 pod in shop is isolated by no ingress policy and accepts connections from anywhere except what Cilium's SCTP drop denies: admin-6c9b8a7d5-w3n8z",
      "    1 pod in shop is isolated by no egress policy and connects anywhere except what Cilium's SCTP drop denies: api-5d8e7f6a4-r7t2q",
    ]);
  });
});

describe('explain --demo=cilium', () => {
  it('names the Cilium policy isolating web, in the pod view and the overview', async () => {
    const pod = await runCli(['explain', WEB, '--demo=cilium']);
    expect(pod.stdout).toContain(
      'Ingress: isolated by ciliumclusterwidenetworkpolicy/shop-web-from-ingress\n',
    );
    const overview = await runCli(['explain', '-n', 'shop', '-o', 'wide', '--demo=cilium']);
    expect(overview.stdout).toMatch(
      /web-7b6c9d8f5-k2m4x .*isolated \(1\) +isolated \(1\) +ciliumclusterwidenetworkpolicy\/shop-web-from-ingress,ciliumnetworkpolicy\/shop\/web-egress/,
    );
  });
});

describe('audit --demo=cilium', () => {
  it("names the legacy NetworkPolicy rule that Cilium's deny always decides first, with both objects", async () => {
    const run = await runCli(['audit', '--demo=cilium', '-n', 'shop', '-o', 'json']);
    const { findings } = JSON.parse(run.stdout) as {
      findings: { code: string; severity: string; message: string; objects: unknown[] }[];
    };
    const shadowed = findings.filter((f) => f.code === 'rule-shadowed-across-layers');
    expect(shadowed).toMatchObject([
      {
        severity: 'warning',
        objects: [
          { kind: 'NetworkPolicy', namespace: 'shop', name: 'api-from-admin-legacy' },
          { kind: 'CiliumNetworkPolicy', namespace: 'shop', name: 'api-deny-admin' },
        ],
      },
    ]);
    expect(shadowed[0]?.message).toContain(
      'Cilium deny ciliumnetworkpolicy/shop/api-deny-admin ingressDeny rule 1 [deny] decides everything it matches first',
    );
  });
});
