import { type CniDetection, imageParts } from './detect.js';

/** The Cilium release the cluster's agent runs, from its image tag. */
export interface CiliumVersion {
  readonly major: number;
  readonly minor: number;
  /** The agent image it was read from, to name as evidence. */
  readonly image: string;
}

/**
 * The version of the Cilium agent the detection found (`quay.io/cilium/cilium:v1.20.2@sha256:…`);
 * undefined without one, or when no tag tells the version (a digest alone, `latest`). Agents of
 * several versions (an upgrade under way) give the oldest.
 */
export function ciliumVersion(detection: CniDetection): CiliumVersion | undefined {
  const versions = detection.evidence
    .filter((evidence) => evidence.plugin === 'Cilium')
    .flatMap((evidence): CiliumVersion[] => {
      const match = /^v?(\d+)\.(\d+)/.exec(imageParts(evidence.image).tag);
      return match
        ? [{ major: Number(match[1]), minor: Number(match[2]), image: evidence.image }]
        : [];
    });
  return versions.sort((a, b) => a.major - b.major || a.minor - b.minor)[0];
}
