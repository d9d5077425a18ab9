import type { CiliumConfig } from '../model/cilium-policy.js';
import type { UnreadList } from '../model/types.js';
import type { CniDetection } from './detect.js';
import {
  agentVersions,
  byTaggedRelease,
  type ReleaseSide,
  releaseSide,
  type TaggedRelease,
} from './plugin-version.js';

/** The Cilium release the cluster's agent runs, from its image tag. */
export interface CiliumVersion {
  readonly major: number;
  readonly minor: number;
  /** The patch release; undefined where the tag names none (`v1.16`, `v1.16-custom`). */
  readonly patch?: number;
  /** The pre-release the tag names (`v1.17.0-pre.1`: `pre.1`), if any. */
  readonly preRelease?: string;
  /** The agent image it was read from, to name as evidence. */
  readonly image: string;
}

/** The version each Cilium agent image of the detection tells; undefined where its tag does not. */
const ciliumAgentVersions = (detection: CniDetection): (CiliumVersion | undefined)[] =>
  agentVersions(detection, (plugin) => plugin === 'Cilium').map(
    (version) =>
      version && {
        major: version.major,
        minor: version.minor,
        ...(version.patchNamed ? { patch: version.patch } : {}),
        ...(version.preRelease !== undefined ? { preRelease: version.preRelease } : {}),
        image: version.image,
      },
  );

/** A Cilium version as the tag told it. */
const tagged = (version: CiliumVersion): TaggedRelease => ({
  major: version.major,
  minor: version.minor,
  patch: version.patch ?? 0,
  patchNamed: version.patch !== undefined,
  ...(version.preRelease !== undefined ? { preRelease: version.preRelease } : {}),
});

const byVersion = (a: CiliumVersion, b: CiliumVersion) => byTaggedRelease(tagged(a), tagged(b));

/**
 * Where a Cilium version stands against `release` (see plugin-version.ts's releaseSide): a
 * release naming no patch is its `.0`; `unknown` where the version's tag leaves it open (`v1.16`
 * against 1.16.7, `v1.17.0-pre.1` against 1.17.0).
 */
export const ciliumSide = (version: CiliumVersion, release: CiliumRelease): ReleaseSide =>
  releaseSide(tagged(version), { ...release, patch: release.patch ?? 0 });

/**
 * The version of the Cilium agent the detection found (`quay.io/cilium/cilium:v1.20.2@sha256:…`);
 * undefined without one, or when no tag tells the version (a digest alone, `latest`). Agents of
 * several versions (an upgrade under way) give the oldest.
 */
export function ciliumVersion(detection: CniDetection): CiliumVersion | undefined {
  return ciliumAgentVersions(detection)
    .filter((version) => version !== undefined)
    .sort(byVersion)[0];
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

/** A Cilium release, by major and minor version, and patch where a backport makes it matter. */
export interface CiliumRelease {
  readonly major: number;
  readonly minor: number;
  readonly patch?: number;
}

/** A release in words: `1.16.7`, `1.17` without a patch, `1.17.0-pre.1`. */
export const ciliumReleaseText = (release: CiliumRelease & { readonly preRelease?: string }) =>
  `${release.major}.${release.minor}${release.patch === undefined ? '' : `.${release.patch}`}${
    release.preRelease === undefined ? '' : `-${release.preRelease}`
  }`;

/**
 * Where the Cilium agents of a detection stand against a release: every one at it or later,
 * every one before it (the oldest named), or unknown (no agent, an image tag telling no version,
 * or agents on both sides: an upgrade under way).
 */
export type CiliumReleaseSide =
  | { readonly kind: 'since' }
  | { readonly kind: 'before'; readonly version: CiliumVersion }
  | { readonly kind: 'unknown' };

/**
 * Where the Cilium agents of a detection stand against `release`; unknown too where an agent's
 * tag leaves it open (no patch, or a pre-release: see ciliumSide).
 */
export function ciliumReleaseSide(
  detection: CniDetection,
  release: CiliumRelease,
): CiliumReleaseSide {
  const versions = ciliumAgentVersions(detection);
  const known = versions.filter((version) => version !== undefined).sort(byVersion);
  const oldest = known[0];
  if (!oldest || known.length < versions.length) return { kind: 'unknown' };
  const sides = new Set(known.map((version) => ciliumSide(version, release)));
  if (sides.size > 1 || sides.has('unknown')) return { kind: 'unknown' };
  return sides.has('since') ? { kind: 'since' } : { kind: 'before', version: oldest };
}

/** How the Cilium agents of a detection read NetworkPolicy `endPort`. */
export function ciliumEndPorts(detection: CniDetection): CiliumEndPorts {
  const side = ciliumReleaseSide(detection, CILIUM_ENDPORT_SINCE);
  if (side.kind === 'since') return { kind: 'as-written' };
  return side.kind === 'before' ? { kind: 'ignored', version: side.version } : side;
}

/**
 * The first Cilium release whose datapath can pass SCTP ("Add preliminary support for SCTP",
 * cilium/cilium#20033; "basic support for SCTP was introduced in Cilium 1.13",
 * https://isovalent.com/labs/cilium-sctp). Before it, "Cilium simply drops SCTP packets"
 * (cilium/cilium#20490): the conntrack lookup of bpf/lib/conntrack.h returns
 * DROP_CT_UNKNOWN_PROTO for any protocol but TCP, UDP and ICMP.
 */
export const CILIUM_SCTP_SINCE = { major: 1, minor: 13 } as const;

/**
 * Whether the cluster's Cilium passes SCTP. From 1.13 it does only with cilium-config
 * `enable-sctp` ("SCTP support (beta) … Pass --set sctp.enabled=true to helm",
 * https://docs.cilium.io/en/stable/configuration/sctp/; `EnableSCTP = false` by default in
 * pkg/defaults/defaults.go, v1.13 to v1.18). The option only defines ENABLE_SCTP for the BPF
 * programs (pkg/datapath/loader); without it, `ct_extract_ports4`/`ct_lookup6`
 * (bpf/lib/conntrack.h, v1.14 to v1.18) fall to `default: return DROP_CT_UNKNOWN_PROTO`, and
 * bpf_lxc's conntrack lookup, made for every packet leaving or entering an endpoint before any
 * policy, drops it ("CT: Unknown L4 protocol"). Policies naming SCTP, NetworkPolicies and
 * Cilium's alike, are still accepted but never see an SCTP packet.
 */
export type CiliumSctp =
  | { readonly kind: 'passed' }
  /** Dropped: cilium-config leaves enable-sctp off, or every agent predates 1.13 (named). */
  | { readonly kind: 'dropped'; readonly version?: CiliumVersion }
  /**
   * Unknown: cilium-config is not in the input, or could not be read (`unread`), or it turns
   * SCTP on but some agents (`olderAgent`, the oldest) predate 1.13.
   */
  | { readonly kind: 'unknown'; readonly unread?: UnreadList; readonly olderAgent?: CiliumVersion };

/**
 * How the Cilium of a detection treats SCTP, given what cilium-config says (`config`, undefined
 * when it is not in the input) and, when it could not be read, why (`unread`).
 */
export function ciliumSctp(
  detection: CniDetection,
  config: CiliumConfig | undefined,
  unread?: UnreadList,
): CiliumSctp {
  const known = ciliumAgentVersions(detection)
    .filter((version) => version !== undefined)
    .sort(byVersion);
  const oldest = known[0];
  const sides = known.map((version) => ciliumSide(version, CILIUM_SCTP_SINCE));
  if (oldest && sides.every((side) => side === 'before'))
    return { kind: 'dropped', version: oldest };
  if (config && !config.sctp) return { kind: 'dropped' };
  if (!config) return { kind: 'unknown', ...(unread ? { unread } : {}) };
  // Agents before 1.13 drop SCTP whatever cilium-config says.
  return oldest && sides.some((side) => side !== 'since')
    ? { kind: 'unknown', olderAgent: oldest }
    : { kind: 'passed' };
}
