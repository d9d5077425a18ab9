import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { yamlText } from '../../src/render/structured.js';
import { runCli } from '../helpers/cli.js';
import { namedPods } from '../helpers/named-pods.js';

/** Names a YAML writer must quote, escape or fold, and some it must leave alone. */
const HOSTILE_NAMES = [
  'yes',
  'null',
  '- dash',
  'a: b',
  '#hash',
  "it's",
  'say "hi"',
  '1e3',
  '~',
  '@at',
  'next\u0085line',
  'rtl\u202eevil',
  'tab\there',
  'new\nline',
  `long ${'word '.repeat(30)}`,
  '*star',
  '&anchor',
  '!tag',
  '[x]',
  '{y}',
  ' lead',
  'trail ',
];

/** Pods named HOSTILE_NAMES over two namespaces, and a policy letting some of them reach db. */
function hostileManifests(): string {
  const pods = namedPods(HOSTILE_NAMES, ['on', 'ns: odd']);
  const policy = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'db', namespace: 'on' },
    spec: {
      podSelector: { matchLabels: { app: 'db' } },
      ingress: [
        { from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 5432 }] },
      ],
    },
  };
  return [...pods, policy].map((doc) => JSON.stringify(doc)).join('\n---\n');
}

/** More pods than the writer turns into text at once, each reaching only itself. */
function isolatedManifests(pods: number): string {
  const docs = Array.from({ length: pods }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `p${i}`, namespace: 'quiet' },
    spec: { containers: [] },
    status: { podIP: `10.1.${Math.floor(i / 200)}.${(i % 200) + 1}` },
  }));
  const denyAll = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'deny-all', namespace: 'quiet' },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  };
  return [...docs, denyAll].map((doc) => JSON.stringify(doc)).join('\n---\n');
}

/** A folder holding one manifest file. */
function folderWith(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-matrix-yaml-'));
  writeFileSync(join(dir, 'cluster.yaml'), text);
  return dir;
}

describe('kubectl netpol matrix -o yaml', () => {
  const inputs: Record<string, string[]> = {
    shop: ['-f', 'test/fixtures/manifests/shop'],
    'shop, one namespace, one port': [
      '-f',
      'test/fixtures/manifests/shop',
      '-n',
      'payments',
      '--port',
      '8080',
    ],
    'layers (policies not evaluated)': ['-f', 'test/fixtures/manifests/layers'],
  };
  beforeAll(() => {
    inputs['hostile names, more pairs than one chunk'] = ['-f', folderWith(hostileManifests())];
    inputs['more pods than one chunk'] = ['-f', folderWith(isolatedManifests(600))];
    inputs.empty = ['-f', folderWith('apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n')];
  });

  it.each([
    'shop',
    'shop, one namespace, one port',
    'layers (policies not evaluated)',
    'hostile names, more pairs than one chunk',
    'more pods than one chunk',
    'empty',
  ])(
    'on %s, is byte for byte the yaml package’s text of the whole -o json document',
    async (name) => {
      const args = ['matrix', ...(inputs[name] ?? []), '--assume-enforced'];
      const json = await runCli([...args, '-o', 'json']);
      const yaml = await runCli([...args, '-o', 'yaml']);
      expect(json.exitCode).toBe(0);
      expect(yaml.exitCode).toBe(0);
      const whole = yamlText(JSON.parse(json.stdout), { aliasDuplicateObjects: false });
      expect(yaml.stdout).toBe(whole);
    },
  );

  it('quotes what YAML would read otherwise and escapes what a terminal would obey', async () => {
    const yaml = await runCli([
      'matrix',
      ...(inputs['hostile names, more pairs than one chunk'] ?? []),
      '-o',
      'yaml',
    ]);
    expect(yaml.stdout).toContain('    name: "- dash"\n');
    expect(yaml.stdout).toContain('    name: "null"\n');
    expect(yaml.stdout).toContain('    name: "rtl\\u202eevil"\n');
    expect(yaml.stdout).not.toMatch(/[\u0085\u202e]/);
  });

  it('writes empty lists as the whole document does', async () => {
    const yaml = await runCli(['matrix', '-f', inputs.empty?.[1] ?? '', '-o', 'yaml']);
    expect(yaml.stdout).toMatch(/^pods: \[\]\npairs: \[\]\npartial: false\n/);
  });
});
