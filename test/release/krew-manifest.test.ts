import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_VERSION, RELEASE_DIR, readManifest } from './artifacts.js';
import { type KrewPlatform, type KrewPlugin, reviewerProblems } from './krew-rules.js';

const RELEASED = ['linux/amd64', 'linux/arm64', 'darwin/amd64', 'darwin/arm64', 'windows/amd64'];

const osArch = (platform: KrewPlatform) =>
  `${platform.selector?.matchLabels?.os}/${platform.selector?.matchLabels?.arch}`;

describe('krew manifest of the release build (dist-release/krew-manifest.yaml)', () => {
  const manifest = () => readManifest(join(RELEASE_DIR, 'krew-manifest.yaml'));
  const platforms = () => manifest().spec?.platforms ?? [];

  it('meets the krew index reviewers’ rules', () => {
    expect(reviewerProblems(manifest())).toEqual([]);
  });

  it('is the package version, with one platform per released os/arch', () => {
    expect(manifest().spec?.version).toBe(PACKAGE_VERSION);
    expect(platforms().map(osArch).sort()).toEqual([...RELEASED].sort());
  });
});

describe('krew manifest committed at the top (krew-manifest.yaml)', () => {
  it('is the one this commit’s release build wrote, byte for byte', () => {
    const committed = readFileSync('krew-manifest.yaml', 'utf8');
    const built = readFileSync(join(RELEASE_DIR, 'krew-manifest.yaml'), 'utf8');
    expect(committed, 'krew-manifest.yaml is stale: run npm run release and commit it').toBe(built);
  });
});

describe('the index reviewers’ rules catch what they reject', () => {
  const valid: KrewPlugin = {
    spec: {
      homepage: 'https://example.com/netpol',
      shortDescription: 'Explain NetworkPolicies',
      description: 'Explains NetworkPolicies.\n',
    },
  };
  const withSpec = (change: object): KrewPlugin => ({ spec: { ...valid.spec, ...change } });

  it('accepts a manifest that keeps them', () => {
    expect(reviewerProblems(valid)).toEqual([]);
  });

  it.each([
    ['an http homepage', withSpec({ homepage: 'http://example.com/netpol' })],
    ['a short description over 50 characters', withSpec({ shortDescription: 'x'.repeat(51) })],
    ['no description', withSpec({ description: '' })],
    ['a description line over 80 characters', withSpec({ description: `${'word '.repeat(17)}\n` })],
    ['a caveats line over 80 characters', withSpec({ caveats: `${'word '.repeat(17)}\n` })],
  ] as const)('rejects %s', (_, plugin) => {
    expect(reviewerProblems(plugin)).not.toEqual([]);
  });
});
