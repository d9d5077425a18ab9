import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const pod = (name: string, ip: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: a, labels: {app: ${name}}}
status: {podIP: ${ip}}
`;

/** `matchLabel` and `port` are typos: the rule admits every pod of namespace a, on all ports. */
const MANIFEST = [
  'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n',
  pod('cli', '10.0.0.1'),
  pod('other', '10.0.0.3'),
  pod('api', '10.0.0.2'),
  `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-in, namespace: a}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress: [{from: [{podSelector: {matchLabel: {app: cli}}}], port: [{port: 80}]}]
`,
].join('---\n');

describe('check warns of unknown fields in the policies it reads', () => {
  it('answers as the API server would keep the policy and says which field was dropped, where', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netpol-fields-'));
    const file = join(dir, 'typo.yaml');
    writeFileSync(file, MANIFEST);
    const run = await runCli(['check', 'a/other', 'a/api', '--port', '8080', '-f', file]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^ALLOWED/);
    expect(run.stderr).toContain(
      `warning: ${file}:25:36 (document 5): NetworkPolicy a/api-in: unknown field spec.ingress[0].from[0].podSelector.matchLabel (did you mean matchLabels?): kubectl apply refuses this field (strict validation); if applied without validation the API server drops it, and this analysis drops it too\n`,
    );
    expect(run.stderr).toContain(
      `warning: ${file}:25:63 (document 5): NetworkPolicy a/api-in: unknown field spec.ingress[0].port (did you mean ports?)`,
    );
  });
});

/** A List of two policies: the second's typo, and a CIDR no API server takes, in block style. */
const LIST = `apiVersion: v1
kind: List
items:
- apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: one, namespace: a}
  spec:
    podSelector: {}
- apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: two, namespace: a}
  spec:
    podSelector: {}
    ingress:
    - from:
      - podSelectr: {}
      - ipBlock:
          cidr: 10.0.0.0/33
`;

describe('warnings and errors about a field give its line and column', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-field-lines-'));
  const manifests = join(dir, 'typo.yaml');
  const list = join(dir, 'list.yaml');
  writeFileSync(manifests, MANIFEST);
  writeFileSync(list, LIST);
  const args = ['check', 'a/other', 'a/api', '--port', '80', '-f', manifests, '-f', list];
  const expected = [
    `warning: ${list}:16:9 (document 1, item 2): NetworkPolicy a/two: unknown field spec.ingress[0].from[0].podSelectr (did you mean podSelector?)`,
    `error: ${list}:18:17 (document 1, item 2): NetworkPolicy a/two: spec.ingress[0].from[1].ipBlock.cidr: Invalid value: "10.0.0.0/33"`,
  ];

  it("in a List's item, at the key of an unknown field and the value of a bad one", async () => {
    const run = await runCli(args);
    for (const line of expected) expect(run.stderr).toContain(line);
  });

  it('the same when the file is read from the manifest cache', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'netpol-field-cache-'));
    const first = await runCli([...args, '--cache-dir', cache]);
    const entries = readdirSync(join(cache, 'netpol', 'manifests'));
    expect(entries).toHaveLength(2);
    const hit = await runCli([...args, '--cache-dir', cache]);
    expect(readdirSync(join(cache, 'netpol', 'manifests'))).toEqual(entries);
    for (const line of expected) expect(hit.stderr).toContain(line);
    expect(hit.stderr).toBe(first.stderr);
  });

  it("names a workload's template field by its path in the object, at its line", async () => {
    const file = join(dir, 'deployment.yaml');
    writeFileSync(
      file,
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: a}
spec:
  template:
    metadata: {labels: {app: web}}
    spec:
      hostNetwork: maybe
`,
    );
    const run = await runCli([
      'check',
      'a/other',
      'a/api',
      '--port',
      '80',
      '-f',
      manifests,
      '-f',
      file,
    ]);
    expect(run.stderr).toContain(
      `error: ${file}:8:20 (document 1): Deployment a/web: spec.template.spec.hostNetwork: Invalid value: "maybe": must be true or false`,
    );
  });
});
