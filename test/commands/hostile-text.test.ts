import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { HOSTILE, unsafeChars } from '../helpers/terminal-safety.js';

/** Names and labels carrying escape sequences, C1 and bidi controls, as a manifest may. */
const NAMESPACE = `shop${HOSTILE}`;
const POD = `web${HOSTILE}`;
const POLICY = `deny${HOSTILE}`;
const LABEL_KEY = `k${HOSTILE}`;

/** The manifest as JSON, which carries every character exactly. */
const MANIFEST = JSON.stringify({
  apiVersion: 'v1',
  kind: 'List',
  items: [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: NAMESPACE, labels: { team: HOSTILE } },
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: POD, namespace: NAMESPACE, labels: { app: 'web', [LABEL_KEY]: HOSTILE } },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
      status: { podIP: '10.0.0.1' },
    },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'db', namespace: 'shop', labels: { app: 'db' } },
      spec: { containers: [{ name: 'c', image: 'postgres' }] },
      status: { podIP: '10.0.0.2' },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-web2', namespace: 'shop' },
      spec: {
        podSelector: { matchLabels: { app: 'db' } },
        ingress: [
          { from: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'web2' } } }] },
        ],
      },
    },
    // Rejected as the API server would, and reported on stderr with its name.
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: POLICY, namespace: NAMESPACE },
      spec: { podSelector: { matchLabels: { app: HOSTILE } } },
    },
    { apiVersion: 'v1', kind: `Kind${HOSTILE}`, metadata: { name: HOSTILE } },
  ],
});

const run = (...args: string[]) => runCli([...args, '-f', '-'], MANIFEST);

/** What every text run must satisfy: nothing raw on either stream, the value shown escaped. */
function expectSafe(output: { stdout: string; stderr: string }) {
  expect(unsafeChars(output.stdout)).toEqual([]);
  expect(unsafeChars(output.stderr)).toEqual([]);
}

const ESCAPED = 'x\\x1b]52;c;cHduZWQ=\\x07\\x1b[2J\\x1b[31mred\\x9b1m\\u202eevil';

describe('untrusted text is shown escaped, never raw', () => {
  it('in the overview, with the input finding about an unknown kind on stderr', async () => {
    const output = await run('explain');
    expect(output.exitCode).toBe(0);
    expectSafe(output);
    expect(output.stdout).toContain(`web${ESCAPED}`);
    expect(output.stderr).toContain(`Kind${ESCAPED}`);
  });

  it('in explain POD', async () => {
    const output = await run('explain', `${NAMESPACE}/${POD}`);
    expect(output.exitCode).toBe(0);
    expectSafe(output);
    expect(output.stdout).toContain(`k${ESCAPED}=${ESCAPED}`);
  });

  it('in check, its explanation, diagnosis and fix', async () => {
    const output = await run('check', `${NAMESPACE}/${POD}`, 'shop/db', '--port', '80');
    expect(output.exitCode).toBe(1);
    expectSafe(output);
    expect(output.stdout).toContain('shop/allow-web2 ingress rule 1');
    expect(output.stdout).toContain(`pod shop${ESCAPED}/web${ESCAPED} has app=web`);
    expect(output.stderr).toContain(`NetworkPolicy shop${ESCAPED}/deny${ESCAPED}: metadata.name`);
  });

  it('in the matrix', async () => {
    const output = await run('matrix');
    expect(output.exitCode).toBe(0);
    expectSafe(output);
    expect(output.stdout).toContain(`shop${ESCAPED}/web${ESCAPED}`);
  });

  it('in the audit', async () => {
    const output = await run('audit');
    expect(output.exitCode).toBe(0);
    expectSafe(output);
    expect(output.stdout).toContain(`[shop${ESCAPED}]`);
    expect(output.stdout).toContain(`web${ESCAPED}`);
  });

  it('in the audit of cluster policies: rule names and the pods of an example flow', async () => {
    const rule = (action: string, name: string) => ({
      name,
      action,
      from: [{ namespaces: {} }],
    });
    const cnp = (name: string, ingress: unknown[]) => ({
      apiVersion: 'policy.networking.k8s.io/v1alpha2',
      kind: 'ClusterNetworkPolicy',
      metadata: { name },
      spec: { tier: 'Admin', priority: 10, subject: { namespaces: {} }, ingress },
    });
    const manifest = JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        ...(JSON.parse(MANIFEST) as { items: unknown[] }).items.slice(0, 2),
        cnp('a', [rule('Deny', `first${HOSTILE}`), rule('Deny', `second${HOSTILE}`)]),
        cnp('b', [rule('Accept', 'accept')]),
      ],
    });
    const output = await runCli(['audit', '-f', '-'], manifest);
    expectSafe(output);
    expect(output.stdout).toContain('shadowed-cluster-rule');
    expect(output.stdout).toContain(`(second${ESCAPED}) [Deny] never decides`);
    expect(output.stdout).toContain('equal-priority-conflict');
    expect(output.stdout).toContain(`pod shop${ESCAPED}/web${ESCAPED}`);
  });

  it('in errors that echo an argument', async () => {
    const missing = await run('explain', `nope${HOSTILE}`);
    expect(missing.exitCode).toBe(2);
    expectSafe(missing);
    expect(missing.stderr).toContain(`nope${ESCAPED}`);
    const unknown = await runCli(['matrix', `--bogus${HOSTILE}`, '--demo']);
    expect(unknown.exitCode).toBe(2);
    expectSafe(unknown);
    expect(unknown.stderr).toContain('error: unknown flag: --bogusx\\x1b]52');
  });

  it('shows a newline inside a value escaped, on the line of the value', async () => {
    const manifest = MANIFEST.replaceAll(JSON.stringify(POD).slice(1, -1), 'web\\nFAKE LINE');
    const output = await runCli(['explain', '-f', '-'], manifest);
    expect(output.stdout).toContain('web\\x0aFAKE LINE');
    expect(output.stdout).not.toMatch(/^FAKE LINE/m);
  });

  it('-o json and -o yaml keep the exact values, with nothing raw either', async () => {
    for (const format of ['json', 'yaml'] as const) {
      const overview = await run('explain', '-o', format);
      expectSafe(overview);
      const pods = (parse(overview.stdout) as { pods: { name: string }[] }).pods;
      expect(pods.map((pod) => pod.name)).toContain(POD);

      const pod = await run('explain', `${NAMESPACE}/${POD}`, '-o', format);
      expectSafe(pod);
      expect(parse(pod.stdout).pod.labels).toEqual({ app: 'web', [LABEL_KEY]: HOSTILE });

      const matrix = await run('matrix', '-o', format);
      expectSafe(matrix);
      expect(parse(matrix.stdout).pods.map((p: { id: string }) => p.id)).toContain(
        `${NAMESPACE}/${POD}`,
      );

      const check = await run(
        'check',
        `${NAMESPACE}/${POD}`,
        'shop/db',
        '--port',
        '80',
        '-o',
        format,
      );
      expectSafe(check);
      expect(parse(check.stdout).flows[0].from).toBe(`${NAMESPACE}/${POD}`);

      const audit = await run('audit', '-o', format);
      expectSafe(audit);
      const findings = (parse(audit.stdout) as { findings: { namespace?: string }[] }).findings;
      expect(findings.map((f) => f.namespace)).toContain(NAMESPACE);
    }
  });
});
