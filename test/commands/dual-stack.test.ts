/**
 * `check`, `matrix` and `explain` on dual-stack pods: shop/db admits only the IPv4 pod range, so
 * shop/web reaches it over IPv4 and not over IPv6. check says both, exits 1 (a script asking
 * "can web reach db" must not hear yes while IPv6 connections are refused), and the matrix, its
 * graphs and explain's lists show the pair with the family that allows it, neither as allowed
 * nor left out.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const FIXTURE = ['-f', 'test/fixtures/manifests/dual-stack/cluster.yaml', '--assume-enforced'];

const check = (...args: string[]) => runCli(['check', ...FIXTURE, ...args]);

describe('check between dual-stack pods', () => {
  it('names the verdict of each family, the stricter first, and exits 1', async () => {
    const run = await check('shop/web', 'shop/db', '-p', '5432');
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('DENIED over IPv6, ALLOWED over IPv4  shop/web -> shop/db  TCP 5432');
    expect(lines).toContain('  over IPv4:');
    expect(lines).toContain('    ingress of shop/db: allowed (isolated by shop/db-in)');
    expect(lines).toContain('  over IPv6:');
    expect(lines).toContain('    ingress of shop/db: DENIED (isolated by shop/db-in)');
  });

  it('gives each family in -o json, with the flow and the answer as the stricter', async () => {
    const run = await check('shop/web', 'shop/db', '-p', '5432', '-o', 'json');
    expect(run.exitCode).toBe(1);
    const answer = JSON.parse(run.stdout);
    expect(answer.verdict).toBe('DENIED');
    expect(answer.allowed).toBe(false);
    const [flow] = answer.flows;
    expect(flow.verdict).toBe('DENIED');
    expect(flow.families.IPv4.verdict).toBe('ALLOWED');
    expect(flow.families.IPv4.ingress.kind).toBe('allowed');
    expect(flow.families.IPv6.verdict).toBe('DENIED');
    expect(flow.families.IPv6.ingress.kind).toBe('denied');
  });

  it('is one plain verdict when both families agree', async () => {
    const run = await check('shop/web', 'shop/cache', '-p', '6379', '-o', 'json');
    expect(run.exitCode).toBe(0);
    const [flow] = JSON.parse(run.stdout).flows;
    expect(flow.verdict).toBe('ALLOWED');
    expect(flow.families).toBeUndefined();
  });

  it('answers a ClusterIP of a dual-stack Service over that address family', async () => {
    const overIpv4 = await check('shop/web', '10.96.0.20');
    expect(overIpv4.exitCode).toBe(0);
    expect(overIpv4.stdout).toContain('ALLOWED  shop/web -> shop/db  TCP 5432');
    const overIpv6 = await check('shop/web', 'fd00:96::20');
    expect(overIpv6.exitCode).toBe(1);
    expect(overIpv6.stdout).toContain('DENIED  shop/web -> shop/db  TCP 5432');
    // By name, the Service may be reached over either family.
    const byName = await check('shop/web', 'svc/db', '-n', 'shop');
    expect(byName.stdout).toContain('DENIED over IPv6, ALLOWED over IPv4  shop/web -> shop/db');
  });
});

describe('matrix of dual-stack pods', () => {
  it('lists a pair allowed over one family with `families`, and nothing as allowed', async () => {
    const run = await runCli(['matrix', ...FIXTURE, '-A', '-o', 'json']);
    expect(run.exitCode).toBe(0);
    const { pairs } = JSON.parse(run.stdout);
    const pair = (from: string, to: string) =>
      pairs.find((p: { from: string; to: string }) => p.from === from && p.to === to);
    expect(pair('shop/web', 'shop/db')).toEqual({
      from: 'shop/web',
      to: 'shop/db',
      allowed: [],
      families: {
        IPv4: { allowed: [{ protocol: 'TCP', ranges: [[5432, 5432]] }] },
        IPv6: { allowed: [] },
      },
    });
    // Pairs whose families agree keep the contract as it was.
    expect(pair('shop/web', 'shop/cache')).toEqual({
      from: 'shop/web',
      to: 'shop/cache',
      allowed: [{ protocol: 'TCP', ranges: [[6379, 6379]] }],
    });
    // shop/legacy is IPv4-only and excepted: no family reaches db.
    expect(pair('shop/legacy', 'shop/db')).toBeUndefined();
  });

  it('marks such a pair in the text matrix and says what each family gets', async () => {
    const run = await runCli(['matrix', ...FIXTURE, '-A', '--port', '5432']);
    const lines = run.stdout.split('\n');
    expect(lines).toContain('1   shop/web      X/.X');
    expect(run.stdout).toContain('/ differs by IP family (listed below)');
    expect(lines).toContain('  shop/web -> shop/db: TCP 5432 (IPv4 only)');
  });

  it('draws such a pair as an edge of the family that allows it, in dot and mermaid', async () => {
    const dot = await runCli(['matrix', ...FIXTURE, '-A', '-o', 'dot']);
    const edges = dot.stdout.split('\n');
    // web, db, cache, legacy are n0..n3, in the order of the input.
    expect(edges).toContain('  n0 -> n1 [label="TCP 5432 (IPv4 only)"];');
    expect(edges).toContain('  n0 -> n2 [label="TCP 6379"];');
    expect(edges[0]).toContain('"(IPv4 only)", "(IPv6 only)": over that IP family only');
    const mermaid = await runCli(['matrix', ...FIXTURE, '-A', '-o', 'mermaid']);
    expect(mermaid.stdout).toContain('  n0 -->|"TCP 5432 (IPv4 only)"| n1');
    // legacy is IPv4-only and excepted: no edge to db at all.
    expect(mermaid.stdout).not.toMatch(/n3 -->\|[^|]*\| n1/);
  });
});

describe('explain of dual-stack pods', () => {
  const explain = (pod: string, ...args: string[]) => runCli(['explain', pod, ...FIXTURE, ...args]);

  it('lists the pods one family reaches, saying which family', async () => {
    const db = (await explain('shop/db')).stdout.split('\n');
    expect(db).toContain("  pods that can reach it (both sides' policies applied): 2");
    expect(db).toContain('    shop/web  TCP 5432 (IPv4 only)');
    expect(db).toContain('    shop/cache  TCP 5432 (IPv4 only)');
    const web = (await explain('shop/web')).stdout.split('\n');
    expect(web).toContain('    shop/db  TCP 5432 (IPv4 only)');
    // Both families reach cache alike: listed as before.
    expect(web).toContain('    shop/cache  TCP 6379');
  });

  it('gives each family in -o json where they differ, and allowed as what both allow', async () => {
    const run = await explain('shop/db', '-o', 'json');
    const { pods } = JSON.parse(run.stdout).ingress;
    expect(pods.find((p: { pod: string }) => p.pod === 'shop/web')).toEqual({
      pod: 'shop/web',
      allowed: [],
      families: {
        IPv4: { allowed: [{ protocol: 'TCP', ranges: [[5432, 5432]] }] },
        IPv6: { allowed: [] },
      },
    });
    const web = JSON.parse((await explain('shop/web', '-o', 'json')).stdout);
    expect(web.egress.pods.find((p: { pod: string }) => p.pod === 'shop/cache')).toEqual({
      pod: 'shop/cache',
      allowed: [{ protocol: 'TCP', ranges: [[6379, 6379]] }],
    });
  });
});

describe('diff and effect previews of dual-stack pods', () => {
  const DIFF = [
    'diff',
    '--base',
    'test/fixtures/manifests/dual-stack/cluster.yaml',
    '-f',
    'test/fixtures/diff/dual-stack-deny-db-ipv4.yaml',
    '--assume-enforced',
  ];

  it('diff lists a flow one family alone closes, with that family, and exits 1', async () => {
    // Over IPv6 web never reached db: what both families allow stays nothing.
    const run = await runCli([...DIFF, '-n', 'shop']);
    expect(run.exitCode).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('1 object changed; flows: 0 opened, 1 closed');
    expect(lines).toContain('added   ClusterNetworkPolicy web-not-to-db-ipv4');
    expect(lines).toContain(
      'closed   shop/web   shop/db   TCP 5432 (IPv4 only)   ALLOWED   DENIED   cnp/web-not-to-db-ipv4 egress rule 1: Deny',
    );
  });

  it('diff -o json carries the family on such a row', async () => {
    const run = await runCli([...DIFF, '-o', 'json']);
    const { flows } = JSON.parse(run.stdout);
    expect(flows).toHaveLength(1);
    expect(flows[0]).toMatchObject({
      change: 'closed',
      from: 'shop/web',
      to: 'shop/db',
      ports: [{ protocol: 'TCP', ranges: [[5432, 5432]] }],
      before: 'ALLOWED',
      after: 'DENIED',
      families: ['IPv4'],
    });
  });

  it("a scaffold's effect counts a flow only one family loses, saying which", async () => {
    const run = await runCli([
      'scaffold',
      'default-deny',
      '-n',
      'shop',
      '--direction',
      'egress',
      ...FIXTURE,
    ]);
    const preview = run.stderr.split('\n');
    // Nine flows before, and the two shop/db received over IPv4 alone.
    expect(preview).toContain('# blocks 11 flows');
    expect(preview).toContain('#   shop/web -> shop/db: TCP 5432 (IPv4 only) => nothing');
    expect(preview).toContain('#   shop/web -> shop/cache: TCP 6379 => nothing');
  });

  it("a policy's effect in explain -o json gives each family where they differ", async () => {
    const run = await runCli([
      'explain',
      'networkpolicy/db-in',
      '-n',
      'shop',
      ...FIXTURE,
      '-o',
      'json',
    ]);
    const { closed } = JSON.parse(run.stdout).effect;
    const ALL = [
      { protocol: 'TCP', ranges: [[1, 65535]] },
      { protocol: 'UDP', ranges: [[1, 65535]] },
      { protocol: 'SCTP', ranges: [[1, 65535]] },
    ];
    expect(closed.find((f: { from: string }) => f.from === 'shop/web')).toEqual({
      from: 'shop/web',
      to: 'shop/db',
      before: ALL,
      after: [],
      families: {
        IPv4: { before: ALL, after: [{ protocol: 'TCP', ranges: [[5432, 5432]] }] },
        IPv6: { before: ALL, after: [] },
      },
    });
  });
});
