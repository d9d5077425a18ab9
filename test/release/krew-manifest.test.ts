import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  archiveEntries,
  archiveOf,
  PACKAGE_VERSION,
  RELEASE_DIR,
  readManifest,
} from './artifacts.js';
import { type KrewPlatform, type KrewPlugin, krewProblems } from './krew-rules.js';

const RELEASED = ['linux/amd64', 'linux/arm64', 'darwin/amd64', 'darwin/arm64', 'windows/amd64'];

const osArch = (platform: KrewPlatform) =>
  `${platform.selector?.matchLabels?.os}/${platform.selector?.matchLabels?.arch}`;

/** What krew installs from an archive: each `files` entry moved to its `to` (`.`: its name). */
function installedFiles(platform: KrewPlatform, entries: readonly string[]): string[] {
  if (!platform.files) return [...entries];
  return platform.files.flatMap(({ from = '', to = '' }) =>
    entries.includes(from) ? [to === '.' ? from : to] : [],
  );
}

describe('krew manifest of the release build (dist-release/krew-manifest.yaml)', () => {
  const manifest = () => readManifest(join(RELEASE_DIR, 'krew-manifest.yaml'));
  const platforms = () => manifest().spec?.platforms ?? [];

  it("passes krew's validation, as plugins/netpol.yaml of the index", () => {
    expect(krewProblems(manifest(), 'netpol')).toEqual([]);
  });

  it('is the package version, with one platform per released os/arch', () => {
    expect(manifest().spec?.version).toBe(PACKAGE_VERSION);
    expect(platforms().map(osArch).sort()).toEqual([...RELEASED].sort());
  });

  it.each(RELEASED)('%s: the sha256 is the archive’s', (target) => {
    const platform = platforms().find((p) => osArch(p) === target);
    const archive = readFileSync(archiveOf(platform ?? {}));
    expect(platform?.sha256).toBe(createHash('sha256').update(archive).digest('hex'));
  });

  it.each(RELEASED)('%s: installs the bin and a LICENSE from the archive', (target) => {
    const platform = platforms().find((p) => osArch(p) === target) ?? {};
    const entries = archiveEntries(archiveOf(platform));
    for (const file of platform.files ?? []) expect(entries).toContain(file.from);
    const installed = installedFiles(platform, entries);
    expect(installed).toContain(platform.bin);
    expect(installed).toContain('LICENSE');
  });
});

describe('krew manifest committed at the top (krew-manifest.yaml)', () => {
  it('passes krew’s validation and is that of this version’s release', () => {
    const committed = readManifest('krew-manifest.yaml');
    const built = readManifest(join(RELEASE_DIR, 'krew-manifest.yaml'));
    expect(krewProblems(committed, 'netpol')).toEqual([]);
    expect(committed.spec?.version).toBe(PACKAGE_VERSION);
    const uris = (plugin: KrewPlugin) => plugin.spec?.platforms?.map((p) => p.uri);
    expect(uris(committed)).toEqual(uris(built));
  });
});

describe('the krew rules catch what the index rejects', () => {
  const valid: KrewPlugin = {
    apiVersion: 'krew.googlecontainertools.github.com/v1alpha2',
    kind: 'Plugin',
    metadata: { name: 'netpol' },
    spec: {
      version: 'v1.2.3',
      homepage: 'https://example.com/netpol',
      shortDescription: 'Explain NetworkPolicies',
      description: 'Explains NetworkPolicies.\n',
      platforms: [
        {
          selector: { matchLabels: { os: 'linux', arch: 'amd64' } },
          uri: 'https://example.com/netpol_linux_amd64.tar.gz',
          sha256: 'a'.repeat(64),
          bin: 'kubectl-netpol',
        },
      ],
    },
  };
  const spec = valid.spec ?? {};
  const platform = spec.platforms?.[0] ?? {};
  const withSpec = (change: object): KrewPlugin => ({ ...valid, spec: { ...spec, ...change } });
  const withPlatform = (change: KrewPlatform) =>
    withSpec({ platforms: [{ ...platform, ...change }] });

  it('accepts a valid manifest', () => {
    expect(krewProblems(valid, 'netpol')).toEqual([]);
  });

  it.each([
    ['another apiVersion', { ...valid, apiVersion: 'krew.googlecontainertools.github.com/v1' }],
    ['a name other than the file', { ...valid, metadata: { name: 'net-pol' } }],
    ['a version without v', withSpec({ version: '1.2.3' })],
    ['a version that is no semver', withSpec({ version: 'v1.2' })],
    ['a short description over 50 characters', withSpec({ shortDescription: 'x'.repeat(51) })],
    ['a short description on two lines', withSpec({ shortDescription: 'one\ntwo' })],
    ['no platforms', withSpec({ platforms: [] })],
    ['an uppercase sha256', withPlatform({ sha256: 'A'.repeat(64) })],
    [
      'a selector key other than os/arch',
      withPlatform({ selector: { matchLabels: { os: 'linux', distro: 'debian' } } }),
    ],
    [
      'a selector matching no platform',
      withPlatform({ selector: { matchLabels: { os: 'plan9' } } }),
    ],
    [
      'a Windows bin without .exe',
      withPlatform({ selector: { matchLabels: { os: 'windows', arch: 'amd64' } } }),
    ],
    ['no bin', withPlatform({ bin: '' })],
    ['empty files', withPlatform({ files: [] })],
    [
      'overlapping platforms',
      withSpec({
        platforms: [platform, { ...platform, selector: { matchLabels: { os: 'linux' } } }],
      }),
    ],
  ] as const)('rejects %s', (_, plugin) => {
    expect(krewProblems(plugin, 'netpol')).not.toEqual([]);
  });
});
