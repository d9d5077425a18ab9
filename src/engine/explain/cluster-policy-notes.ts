import type {
  ClusterPolicyDoubt,
  ClusterPolicyIgnoredReason,
} from '../cni/cluster-policy-support.js';
import { type AgentVersion, type Release, taggedReleaseText } from '../cni/plugin-version.js';
import type { Analysis } from '../compile/compile.js';
import { type ClusterPolicyKind, clusterPolicyName } from '../model/cluster-policy.js';
import type { Finding } from '../model/findings.js';

const releaseWords = ({ major, minor, patch }: Release) =>
  patch > 0 ? `${major}.${minor}.${patch}` : `${major}.${minor}`;

const runs = (plugin: string, version: AgentVersion) =>
  `the cluster runs ${plugin} ${taggedReleaseText(version)} (${version.image})`;

/** The releases a range names, in words: "from 3.29 to before 3.32". */
function rangeWords(since: Release | undefined, until: Release | undefined): string {
  if (since && until) return `only from ${releaseWords(since)} to before ${releaseWords(until)}`;
  if (since) return `only from ${releaseWords(since)}`;
  return until ? `only before ${releaseWords(until)}` : 'in no release';
}

/** Why the network plugin leaves a cluster policy of `kind` unenforced, in words. */
function ignoredReasonWords(reason: ClusterPolicyIgnoredReason, kind: ClusterPolicyKind): string {
  switch (reason.kind) {
    case 'cilium-v1alpha1':
      return 'Cilium implements no v1alpha1 AdminNetworkPolicy or BaselineAdminNetworkPolicy';
    case 'cilium-version':
      return `Cilium enforces ClusterNetworkPolicy only from 1.20, and the cluster runs Cilium ${reason.version.major}.${reason.version.minor} (${reason.version.image})`;
    case 'cilium-option-off':
      return 'Cilium enforces ClusterNetworkPolicy only when cilium-config sets enable-k8s-cluster-network-policy: "true" (off by default), which it does not';
    case 'cilium-never':
      return 'cilium-config enable-policy=never: Cilium enforces no policy';
    case 'release':
      return `${reason.plugin} enforces ${kind} ${rangeWords(reason.since, reason.until)}, and ${runs(reason.plugin, reason.version)}`;
    case 'flag-off':
      return `${reason.plugin} enforces ${kind} only with --${reason.flag} (off by default), which its containers are not given`;
    case 'unsupported':
      return `${reason.plugin} implements no ${kind}`;
  }
}

/** Why whether the network plugin enforces a cluster policy of `kind` is unknown, in words. */
export function doubtWords(doubt: ClusterPolicyDoubt, kind: ClusterPolicyKind): string {
  switch (doubt.kind) {
    case 'version-unknown': {
      const images = doubt.images.length > 0 ? ` (${doubt.images.join(', ')})` : '';
      return `whether ${doubt.plugin} enforces ${kind} depends on its release, which no image tag tells${images}`;
    }
    case 'release-open':
      return `whether ${doubt.plugin} enforces ${kind} depends on whether it runs ${releaseWords(doubt.release)} or later, which its tag leaves open: ${doubt.plugin} ${doubt.version} (${doubt.image})`;
    case 'components-differ':
      return `${doubt.plugin} runs components (releases or flags) that treat ${kind} differently`;
    case 'setting-unread':
      return `${doubt.plugin} enforces ${kind} only when ${doubt.setting} turns it on (off by default), and the snapshot does not hold it`;
    case 'not-modelled': {
      const version = doubt.version
        ? ` ${taggedReleaseText(doubt.version)} (${doubt.version.image})`
        : '';
      return `whether ${doubt.plugin}${version} enforces ${kind} is not modelled`;
    }
  }
}

/**
 * A warning per reason naming the cluster policies the network plugin does not enforce (they
 * are ignored), and a note per doubt naming those it may not (what they decide is UNKNOWN).
 */
export function clusterPolicyNotes(analysis: Analysis): Finding[] {
  const byReason = new Map<string, string[]>();
  for (const { policy, reason } of analysis.clusterPoliciesIgnored ?? []) {
    const because = ignoredReasonWords(reason, policy.kind);
    byReason.set(because, [...(byReason.get(because) ?? []), clusterPolicyName(policy)]);
  }
  const byDoubt = new Map<string, string[]>();
  for (const { policy, doubt } of analysis.clusterPolicies) {
    if (!doubt) continue;
    const because = doubtWords(doubt.doubt, doubt.policyKind);
    byDoubt.set(because, [...(byDoubt.get(because) ?? []), clusterPolicyName(policy)]);
  }
  return [
    ...[...byReason].map(
      ([because, names]): Finding => ({
        severity: 'warning',
        code: 'cluster-policy-not-enforced',
        message: `${names.join(', ')}: ${because}; ignored, answers come from the other layers`,
      }),
    ),
    ...[...byDoubt].map(
      ([because, names]): Finding => ({
        severity: 'warning',
        code: 'cluster-policy-enforcement-unknown',
        message: `${names.join(', ')}: ${because}; answers they decide are UNKNOWN`,
      }),
    ),
  ];
}
