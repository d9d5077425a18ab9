import { type CniDetection, imageParts } from './detect.js';

/** A plugin release as an image tag tells it (`v3.32.2` is 3.32.2; a missing patch is 0). */
export interface Release {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

/** A release as a tag tells it, and whether the tag names its patch (`v1.16` does not: 0). */
export interface TaggedRelease extends Release {
  readonly patchNamed: boolean;
}

/** The release a component of the cluster runs, and the image it was read from (the evidence). */
export interface AgentVersion extends TaggedRelease {
  readonly image: string;
}

/** Orders releases oldest first. */
export const byRelease = (a: Release, b: Release): number =>
  a.major - b.major || a.minor - b.minor || a.patch - b.patch;

/** The release an image tag names (`v1.20.2`, `3.29.0-build2024`, `v1.16`), if it starts with one. */
export function releaseOfTag(tag: string): TaggedRelease | undefined {
  const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(tag);
  if (!match) return undefined;
  const [, major, minor, patch] = match;
  return {
    major: Number(major),
    minor: Number(minor),
    patch: Number(patch ?? 0),
    patchNamed: patch !== undefined,
  };
}

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
