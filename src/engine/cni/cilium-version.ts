import { type CniDetection, imageParts } from './detect.js';

/** The Cilium release the cluster's agent runs, from its image tag. */
export interface CiliumVersion {
  readonly major: number;
  readonly minor: number;
  /** The agent image it was read from, to name as evidence. */
  readonly image: string;
}

/** The version each Cilium agent image of the detection tells; undefined where its tag does not. */
function agentVersions(detection: CniDetection): (CiliumVersion | undefined)[] {
  return detection.evidence
    .filter((evidence) => evidence.plugin === 'Cilium')
    .map((evidence) => {
      const match = /^v?(\d+)\.(\d+)/.exec(imageParts(evidence.image).tag);
      return match
        ? { major: Number(match[1]), minor: Number(match[2]), image: evidence.image }
        : undefined;
    });
}

const byRelease = (a: CiliumVersion, b: CiliumVersion) => a.major - b.major || a.minor - b.minor;

/**
 * The version of the Cilium agent the detection found (`quay.io/cilium/cilium:v1.20.2@sha256:…`);
 * undefined without one, or when no tag tells the version (a digest alone, `latest`). Agents of
 * several versions (an upgrade under way) give the oldest.
 */
export function ciliumVersion(detection: CniDetection): CiliumVersion | undefined {
  return agentVersions(detection)
    .filter((version) => version !== undefined)
    .sort(byRelease)[0];
}

/**
 * The first Cilium release that enforces a NetworkPolicy port's `endPort` (cilium/cilium#32389,
 * "policy: Add support for port ranges in network policies"). Before it, `parsePorts` in
 * pkg/k8s/network_policy.go (v1.14.5, v1.15.3) copies only `port`, and the watcher only logs
 * "EndPort in kubernetes NetworkPolicy is not supported" (pkg/k8s/watchers/network_policy.go):
 * the policy is applied with each range cut to its first port.
 */
export const CILIUM_ENDPORT_SINCE = { major: 1, minor: 16 } as const;

/**
 * How the cluster's Cilium reads NetworkPolicy `endPort`: as written (1.16 and later), ignored
 * (an older version, named), or unknown (an agent image whose tag tells no version, or agents
 * of versions on both sides of 1.16).
 */
export type CiliumEndPorts =
  | { readonly kind: 'as-written' }
  | { readonly kind: 'ignored'; readonly version: CiliumVersion }
  | { readonly kind: 'unknown' };

const enforcesEndPort = (version: CiliumVersion) =>
  byRelease(version, { ...CILIUM_ENDPORT_SINCE, image: '' }) >= 0;

/** How the Cilium agents of a detection read NetworkPolicy `endPort`. */
export function ciliumEndPorts(detection: CniDetection): CiliumEndPorts {
  const versions = agentVersions(detection);
  const known = versions.filter((version) => version !== undefined).sort(byRelease);
  const oldest = known[0];
  if (!oldest || known.length < versions.length) return { kind: 'unknown' };
  if (known.every(enforcesEndPort)) return { kind: 'as-written' };
  return known.some(enforcesEndPort) ? { kind: 'unknown' } : { kind: 'ignored', version: oldest };
}
