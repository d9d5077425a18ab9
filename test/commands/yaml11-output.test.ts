import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseManifestText } from '../../src/io/manifests/parse-text.js';
import { runCli } from '../helpers/cli.js';

// kubectl reads YAML 1.1, where plain y/yes/on/n/no/off are booleans, ~ and null are null,
// 0755 is octal, 1_000 and 12:30 are numbers. Every -o yaml must quote such strings, or what
// kubectl applies differs from what was printed.

/** Pod names and label values a YAML 1.1 reader takes for something other than a string. */
const YAML11_WORDS = ['yes', 'n', 'off', 'null', '0755', 'y'];

/** Namespace `on`: pods whose names and app labels are YAML11_WORDS, and a default-deny. */
function onNamespace(): string {
  const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'on' } };
  const pods = YAML11_WORDS.map((word, i) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: word, namespace: 'on', labels: { app: word, y: 'N', build: '1_000' } },
    spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }] }] },
    status: { podIP: `10.0.0.${i + 1}` },
  }));
  const deny = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'deny', namespace: 'on' },
    spec: { podSelector: {}, policyTypes: ['Ingress'] },
  };
  return [namespace, ...pods, deny].map((doc) => JSON.stringify(doc)).join('\n---\n');
}

/** The document as kubectl (YAML 1.1) reads it. */
const asKubectlReads = (text: string): unknown => parse(text, { version: '1.1' });

describe('-o yaml as kubectl (YAML 1.1) reads it', () => {
  let input: string[] = [];
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'netpol-yaml11-'));
    writeFileSync(join(dir, 'on.yaml'), onNamespace());
    input = ['-f', dir];
  });

  it.each([
    ['matrix', []],
    ['explain', ['on/yes']],
    ['explain', ['-n', 'on']],
    ['audit', []],
  ])('%s %j: a YAML 1.1 reader reads what -o json says', async (command, args) => {
    const json = await runCli([command, ...input, ...args, '-o', 'json']);
    const yaml = await runCli([command, ...input, ...args, '-o', 'yaml']);
    expect(json.exitCode).toBe(0);
    expect(yaml.exitCode).toBe(0);
    expect(yaml.stdout).toContain('"on"');
    expect(asKubectlReads(yaml.stdout)).toEqual(JSON.parse(json.stdout));
  });

  it('scaffold writes a policy for namespace on that kubectl applies as printed', async () => {
    const run = await runCli([
      'scaffold',
      'allow',
      ...input,
      '-n',
      'on',
      '--to',
      'app=yes',
      '--from',
      'app=off',
      '--port',
      '80/TCP',
      '-o',
      'yaml',
    ]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('namespace: "on"\n');
    const policy = asKubectlReads(run.stdout) as {
      metadata: { namespace: unknown };
      spec: { podSelector: unknown; ingress: { from: { podSelector: unknown }[] }[] };
    };
    expect(policy.metadata.namespace).toBe('on');
    expect(policy.spec.podSelector).toEqual({ matchLabels: { app: 'yes' } });
    expect(policy.spec.ingress[0]?.from[0]?.podSelector).toEqual({ matchLabels: { app: 'off' } });
    // Read back as a manifest: nothing kubectl would read as a boolean is left unquoted.
    const reread = parseManifestText(run.stdout, 'scaffold.yaml');
    expect(reread.findings.filter((f) => f.code === 'yaml11-boolean')).toEqual([]);
  });
});
