import { type CniDetection, imageParts } from './detect.js';

/** A plugin release (`3.32.2`). */
export interface Release {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

/**
 * A release as an image tag tells it: whether the tag names its patch (`v1.16` does not: `patch`
 * is then 0), and the pre-release it names (`v1.17.0-pre.1`: `pre.1`), if any.
 */
export interface TaggedRelease extends Release {
  readonly patchNamed: boolean;
  readonly preRelease?: string;
}

/** The release a component of the cluster runs, and the image it was read from (the evidence). */
export interface AgentVersion extends TaggedRelease {
  readonly image: string;
}

/** Orders releases oldest first. */
export const byRelease = (a: Release, b: Release): number =>
  a.major - b.major || a.minor - b.minor || a.patch - b.patch;

/** Orders tagged releases oldest first, a pre-release before the release it names. */
export const byTaggedRelease = (a: TaggedRelease, b: TaggedRelease): number =>
  byRelease(a, b) || Number(b.preRelease !== undefined) - Number(a.preRelease !== undefined);

/**
 * Whether a tag's suffix names a pre-release, a build made before the release it names: Cilium's
 * monthly snapshots of its main branch and release candidates (`v1.17.0-pre.1`, `v1.17.0-rc.0`,
 * Documentation/contributing/release/organization.rst and
 * Documentation/network/kubernetes/compatibility-table.rst, cilium/cilium v1.17.0), Calico's
 * master builds, described from the `vX.Y.0-0.dev` tag put on master when release-vX.(Y-1) is
 * branched off ("Begin development on vX.Y.0", release/build/main.go, projectcalico/calico), and
 * semver's alpha and beta. Other suffixes are builds of the release itself (Rancher's
 * `v3.27.3-build20240423`, Isovalent's `v1.16.5-cee.1`).
 */
const PRE_RELEASE = /^(?:0\.dev|dev|pre|rc|alpha|beta)(?=$|[.\d-])/i;

/** The release an image tag names (`v1.20.2`, `v1.17.0-pre.1`, `v1.16`), if it starts with one. */
export function releaseOfTag(tag: string): TaggedRelease | undefined {
  const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:-(.+))?/.exec(tag);
  if (!match) return undefined;
  const [, major, minor, patch, suffix] = match;
  return {
    major: Number(major),
    minor: Number(minor),
    patch: Number(patch ?? 0),
    patchNamed: patch !== undefined,
    ...(suffix && PRE_RELEASE.test(suffix) ? { preRelease: suffix } : {}),
  };
}

/** Where a release stands against another: at it or later, before it, or either (`unknown`). */
export type ReleaseSide = 'since' | 'before' | 'unknown';

const LAST = Number.MAX_SAFE_INTEGER;

/**
 * The first and last release a tag may stand for. A tag without a patch (`v1.16`) is any patch
 * of its minor. A pre-release is built from the main branch before the release it names: one of
 * `X.Y.0` comes after `X.(Y-1).0` branched off but may lack what was later fixed there
 * (fixes are "first merged into the main branch, then backported",
 * Documentation/contributing/release/organization.rst, cilium/cilium v1.17.0) and what `X.Y.0`
 * brings; one of a patch release lies after the patch before it.
 */
function releaseBounds(version: TaggedRelease): { first: Release; last: Release } {
  const { major, minor, patch, patchNamed, preRelease } = version;
  const last = { major, minor, patch: patchNamed ? patch : LAST };
  if (preRelease === undefined) return { first: { major, minor, patch }, last };
  if (patchNamed && patch > 0) return { first: { major, minor, patch: patch - 1 }, last };
  const first =
    minor > 0 ? { major, minor: minor - 1, patch: 0 } : { major: major - 1, minor: LAST, patch: 0 };
  return { first, last };
}

/**
 * Where a tagged release stands against `release`: `unknown` where the releases the tag may
 * stand for lie on both sides (`v1.16` against 1.16.7; `v3.32.0-0.dev` against 3.32.0).
 */
export function releaseSide(version: TaggedRelease, release: Release): ReleaseSide {
  const { first, last } = releaseBounds(version);
  if (byRelease(first, release) >= 0) return 'since';
  return byRelease(last, release) < 0 ? 'before' : 'unknown';
}

/** Whether a tagged release may be later than `release` (`v2.1` may be 2.1.3, after 2.1.0). */
export const mayBeAfter = (version: TaggedRelease, release: Release): boolean =>
  byRelease(releaseBounds(version).last, release) > 0;

/** A tagged release in words, as its tag names it: `1.16`, `3.32.2`, `1.17.0-pre.1`. */
export const taggedReleaseText = (version: TaggedRelease): string =>
  `${version.major}.${version.minor}${version.patchNamed ? `.${version.patch}` : ''}${
    version.preRelease === undefined ? '' : `-${version.preRelease}`
  }`;

/**
 * The version of each component of the detection that `shows` picks (by its plugin name and
 * image repository); undefined where the image tag tells none (a digest alone, `latest`).
 */
export function agentVersions(
  detection: CniDetection,
  shows: (plugin: string, repository: string) => boolean,
): (AgentVersion | undefined)[] {
  return detection.evidence.flatMap((evidence) => {
    const { repository, tag } = imageParts(evidence.image);
    if (!shows(evidence.plugin, repository)) return [];
    const release = releaseOfTag(tag);
    return [release ? { ...release, image: evidence.image } : undefined];
  });
}
