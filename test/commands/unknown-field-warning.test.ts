import { mkdtempSync, writeFileSync } from 'node:fs';
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
      `warning: ${file}:20 (document 5): NetworkPolicy a/api-in: unknown field spec.ingress[0].from[0].podSelector.matchLabel (did you mean matchLabels?): kubectl apply refuses this field (strict validation); if applied without validation the API server drops it, and this analysis drops it too\n`,
    );
    expect(run.stderr).toContain('unknown field spec.ingress[0].port (did you mean ports?)');
  });
});
