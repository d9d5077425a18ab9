import type { CiliumConfig } from '../model/cilium-policy.js';
import type { ClusterNetworkPolicy, ClusterPolicyKind } from '../model/cluster-policy.js';
import type { Workload } from '../model/types.js';
import { type CiliumVersion, ciliumReleaseText, ciliumSide } from './cilium-version.js';
import {
  CLUSTER_POLICY_FACTS,
  type ClusterPolicyFacts,
  type KindSupport,
} from './cluster-policy-facts.js';
import { type CniDetection, imageParts } from './detect.js';
import type { NetworkPlugin } from './network-plugin.js';
import {
  type AgentVersion,
  agentVersions,
  byTaggedRelease,
  mayBeAfter,
  type Release,
  releaseSide,
  taggedReleaseText,
} from './plugin-version.js';

/**
 * Which cluster policies the network plugin enforces. Facts from Cilium v1.20.2's source (Go
 * module proxy): ClusterNetworkPolicy support arrived in 1.20 ("Support for the Kubernetes
 * ClusterNetworkPolicy (KCNP) is available starting with Cilium 1.20", cilium/cilium#47227) and is
 * off unless cilium-config sets `enable-k8s-cluster-network-policy` (pkg/defaults/defaults.go:
 * `EnableK8sClusterNetworkPolicy = false`); it reads only policy.networking.k8s.io/v1alpha2
 * ClusterNetworkPolicy (pkg/k8s/cluster_network_policy.go), never the v1alpha1
 * AdminNetworkPolicy or BaselineAdminNetworkPolicy; and `enable-policy: never` computes no rule
 * for any endpoint (computePolicyEnforcementAndRules, pkg/policy/repository.go), KCNP included.
 * Other plugins by the table of cluster-policy-facts.ts. With no plugin seen at all (manifest
 * files alone), cluster policies are taken as enforced, as NetworkPolicies are.
 */

/** Why the network plugin leaves a cluster policy unenforced. */
export type ClusterPolicyIgnoredReason =
  /** Cilium implements no v1alpha1 AdminNetworkPolicy or BaselineAdminNetworkPolicy. */
  | { readonly kind: 'cilium-v1alpha1' }
  /** The Cilium agent is older than 1.20. */
  | { readonly kind: 'cilium-version'; readonly version: CiliumVersion }
  /** cilium-config does not turn on enable-k8s-cluster-network-policy. */
  | { readonly kind: 'cilium-option-off' }
  /** cilium-config says enable-policy: never. */
  | { readonly kind: 'cilium-never' }
  /** The plugin's release (the oldest the cluster runs) does not enforce the policy's kind. */
  | {
      readonly kind: 'release';
      readonly plugin: string;
      readonly version: AgentVersion;
      readonly since?: Release;
      readonly until?: Release;
    }
  /** The plugin runs without the container flag (off by default) that turns the kind on. */
  | { readonly kind: 'flag-off'; readonly plugin: string; readonly flag: string }
  /** No release of the plugin implements the policy's kind. */
  | { readonly kind: 'unsupported'; readonly plugin: string };

/** Why whether the network plugin enforces a cluster policy cannot be told. */
export type ClusterPolicyDoubt =
  /** The kind depends on the plugin's release and no image tag tells it (`images`: those seen). */
  | {
      readonly kind: 'version-unknown';
      readonly plugin: string;
      readonly images: readonly string[];
    }
  /**
   * The kind depends on whether the plugin's release is `release` or later, which its tag
   * (`version`, in words, of `image`) leaves open: no patch named, or a pre-release.
   */
  | {
      readonly kind: 'release-open';
      readonly plugin: string;
      readonly version: string;
      readonly image: string;
      readonly release: Release;
    }
  /** Components of the plugin run releases (or flags) that treat the kind differently. */
  | { readonly kind: 'components-differ'; readonly plugin: string }
  /** A setting, off by default, must turn the kind on, and the snapshot does not hold it. */
  | { readonly kind: 'setting-unread'; readonly plugin: string; readonly setting: string }
  /** What the plugin (at `version`, newer than the facts) does with the kind is not modelled. */
  | { readonly kind: 'not-modelled'; readonly plugin: string; readonly version?: AgentVersion };

/**
 * A cluster policy the plugin may or may not enforce: taken as enforced, and the answers leaving
 * it out would change are UNKNOWN for this reason. One object per kind, shared by its policies.
 */
export interface ClusterPolicySupportUnknown {
  readonly kind: 'cluster-policy-support';
  readonly policyKind: ClusterPolicyKind;
  readonly doubt: ClusterPolicyDoubt;
}

/** A cluster policy the network plugin does not enforce, and why. */
export interface IgnoredClusterPolicy {
  readonly policy: ClusterNetworkPolicy;
  readonly reason: ClusterPolicyIgnoredReason;
}

/** A cluster policy taken as enforced; `doubt` when the plugin may not enforce it. */
export interface EnforcedClusterPolicy {
  readonly policy: ClusterNetworkPolicy;
  readonly doubt?: ClusterPolicySupportUnknown;
}

/** The first Cilium release that enforces ClusterNetworkPolicy. */
export const CILIUM_CLUSTER_POLICY_SINCE = { major: 1, minor: 20 } as const;

/** What the compiler knows about the plugin when it sorts cluster policies. */
export interface ClusterPolicyPlugin {
  readonly networkPlugin: NetworkPlugin | undefined;
  /** The components the snapshot's workloads show, and their versions. */
  readonly cni: CniDetection;
  /** The snapshot's workloads, whose containers' flags some plugins are configured by. */
  readonly workloads: readonly Workload[];
  /** The oldest Cilium agent version the snapshot shows, if any tag tells it. */
  readonly ciliumVersion: CiliumVersion | undefined;
  /** cilium-config as read; undefined when it was not (absent, or refused). */
  readonly ciliumConfig: CiliumConfig | undefined;
  /** Whether the cilium-config read was refused: then enforcement is weighed, not decided. */
  readonly ciliumConfigUnread: boolean;
}

/** How the plugin treats one kind: enforced, ignored (why), or unknown (why). */
type Support =
  | { readonly kind: 'enforced' }
  | { readonly kind: 'ignored'; readonly reason: ClusterPolicyIgnoredReason }
  | { readonly kind: 'unknown'; readonly doubt: ClusterPolicyDoubt };

const ENFORCED: Support = { kind: 'enforced' };

/** Unknown: the plugin's tag (`version`, in words) leaves open whether it runs `release` or later. */
const releaseOpen = (
  plugin: string,
  version: string,
  image: string,
  release: Release,
): Support => ({
  kind: 'unknown',
  doubt: { kind: 'release-open', plugin, version, image, release },
});

/** How Cilium treats a kind; enforced too when it may (the unread cilium-config is weighed). */
function ciliumSupport(kind: ClusterPolicyKind, plugin: ClusterPolicyPlugin): Support {
  const ignored = (reason: ClusterPolicyIgnoredReason): Support => ({ kind: 'ignored', reason });
  if (kind !== 'ClusterNetworkPolicy') return ignored({ kind: 'cilium-v1alpha1' });
  const { ciliumVersion: version, ciliumConfig: config } = plugin;
  const side = version && ciliumSide(version, CILIUM_CLUSTER_POLICY_SINCE);
  if (version && side === 'before') return ignored({ kind: 'cilium-version', version });
  if (config?.enforcement === 'never') return ignored({ kind: 'cilium-never' });
  if (!plugin.ciliumConfigUnread && !config?.clusterNetworkPolicy)
    return ignored({ kind: 'cilium-option-off' });
  if (!version) {
    const images = plugin.cni.evidence.filter((e) => e.plugin === 'Cilium').map((e) => e.image);
    return { kind: 'unknown', doubt: { kind: 'version-unknown', plugin: 'Cilium', images } };
  }
  if (side === 'unknown') {
    const release = { ...CILIUM_CLUSTER_POLICY_SINCE, patch: 0 };
    return releaseOpen('Cilium', ciliumReleaseText(version), version.image, release);
  }
  return ENFORCED;
}

/** Go's strconv.ParseBool true words, how the Go flag package reads a boolean flag's value. */
const GO_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);

/** Whether a Go boolean flag is on in a container's arguments (`--flag`, `-flag=true`; last wins). */
function boolFlagOn(args: readonly string[], flag: string): boolean {
  let on = false;
  for (const arg of args) {
    const [name, value] = arg.replace(/^--?/, '').split('=', 2);
    if (name === flag && arg.startsWith('-')) on = value === undefined || GO_TRUE.has(value);
  }
  return on;
}

/** The containers of the snapshot that run a plugin's versioned images. */
function pluginContainers(facts: ClusterPolicyFacts, workloads: readonly Workload[]) {
  const runs = facts.versionedBy;
  if (!runs) return [];
  return workloads.flatMap((w) => w.containers.filter((c) => runs(imageParts(c.image).repository)));
}

/** How one release of a plugin (undefined: releases do not matter) treats a kind. */
function releaseSupport(
  facts: ClusterPolicyFacts,
  support: KindSupport,
  version: AgentVersion | undefined,
  workloads: readonly Workload[],
): Support {
  const { plugin } = facts;
  if (version && facts.checkedThrough && mayBeAfter(version, facts.checkedThrough))
    return { kind: 'unknown', doubt: { kind: 'not-modelled', plugin, version } };
  if (support.kind === 'not-known')
    return { kind: 'unknown', doubt: { kind: 'not-modelled', plugin } };
  if (support.kind === 'none') return { kind: 'ignored', reason: { kind: 'unsupported', plugin } };
  const { since, until, flag, setting } = support;
  const fromSince = since && version ? releaseSide(version, since) : 'since';
  const toUntil = until && version ? releaseSide(version, until) : 'before';
  if (version && (fromSince === 'before' || toUntil === 'since')) {
    const range = { ...(since ? { since } : {}), ...(until ? { until } : {}) };
    return { kind: 'ignored', reason: { kind: 'release', plugin, version, ...range } };
  }
  const open = fromSince === 'unknown' ? since : toUntil === 'unknown' ? until : undefined;
  if (version && open) return releaseOpen(plugin, taggedReleaseText(version), version.image, open);
  if (setting) return { kind: 'unknown', doubt: { kind: 'setting-unread', plugin, setting } };
  if (!flag) return ENFORCED;
  const on = pluginContainers(facts, workloads).map((c) => boolFlagOn(c.args, flag));
  if (on.length > 0 && on.every(Boolean)) return ENFORCED;
  if (!on.some(Boolean)) return { kind: 'ignored', reason: { kind: 'flag-off', plugin, flag } };
  return { kind: 'unknown', doubt: { kind: 'components-differ', plugin } };
}

const sameSupport = (a: Support, b: Support) =>
  a.kind === b.kind &&
  (a.kind !== 'ignored' || b.kind !== 'ignored' || a.reason.kind === b.reason.kind);

/** How a modelled plugin treats a kind, by the releases its components run. */
function factSupport(
  facts: ClusterPolicyFacts,
  kind: ClusterPolicyKind,
  cni: CniDetection,
  workloads: readonly Workload[],
): Support {
  const support = facts.kinds[kind];
  const versionedBy = facts.versionedBy;
  const byVersion =
    facts.checkedThrough !== undefined ||
    (support.kind === 'enforced' && (support.since ?? support.until) !== undefined);
  if (!versionedBy || !byVersion) return releaseSupport(facts, support, undefined, workloads);
  const shown = agentVersions(
    cni,
    (p, repository) => p === facts.plugin && versionedBy(repository),
  );
  const known = shown.filter((v) => v !== undefined).sort(byTaggedRelease);
  if (known.length === 0 || known.length < shown.length) {
    const images = cni.evidence.filter((e) => e.plugin === facts.plugin).map((e) => e.image);
    return { kind: 'unknown', doubt: { kind: 'version-unknown', plugin: facts.plugin, images } };
  }
  const each = known.map((version) => releaseSupport(facts, support, version, workloads));
  const [oldest] = each as [Support];
  if (each.every((s) => sameSupport(s, oldest))) return oldest;
  return { kind: 'unknown', doubt: { kind: 'components-differ', plugin: facts.plugin } };
}

/** The plugins (by detect.ts's names) whose policy engines decide, besides Cilium's. */
function deciders(plugin: ClusterPolicyPlugin): string[] {
  if (plugin.networkPlugin === 'calico') return ['Calico'];
  const engines = plugin.cni.evidence.filter((e) => e.role === 'policy');
  const deciding = engines.length > 0 ? engines : plugin.cni.evidence;
  return [...new Set(deciding.map((e) => e.plugin))].filter((name) => name !== 'Calico');
}

/** How the network plugin (all its policy engines) treats a kind. */
function kindSupport(kind: ClusterPolicyKind, plugin: ClusterPolicyPlugin): Support {
  if (plugin.networkPlugin === 'cilium') return ciliumSupport(kind, plugin);
  const names = deciders(plugin);
  const each = names.map((name) => {
    const facts = CLUSTER_POLICY_FACTS.get(name);
    return facts
      ? factSupport(facts, kind, plugin.cni, plugin.workloads)
      : ({ kind: 'unknown', doubt: { kind: 'not-modelled', plugin: name } } as const);
  });
  const [first] = each;
  if (!first) {
    const doubt = { kind: 'not-modelled', plugin: 'the network plugin' } as const;
    return { kind: 'unknown', doubt };
  }
  const unknown = each.find((s) => s.kind === 'unknown');
  if (unknown) return unknown;
  if (each.every((s) => s.kind === first.kind)) return first;
  return { kind: 'unknown', doubt: { kind: 'components-differ', plugin: names.join(' + ') } };
}

/**
 * Splits an input's cluster policies into those the network plugin enforces (with a doubt where
 * it may not) and the rest, with why.
 */
export function sortClusterPolicies(
  policies: readonly ClusterNetworkPolicy[],
  plugin: ClusterPolicyPlugin,
): { enforced: EnforcedClusterPolicy[]; ignored: IgnoredClusterPolicy[] } {
  const enforced: EnforcedClusterPolicy[] = [];
  const ignored: IgnoredClusterPolicy[] = [];
  if (!plugin.networkPlugin) return { enforced: policies.map((policy) => ({ policy })), ignored };
  const byKind = new Map<ClusterPolicyKind, Support>();
  const doubts = new Map<ClusterPolicyKind, ClusterPolicySupportUnknown>();
  for (const policy of policies) {
    const kind = policy.kind;
    const support = byKind.get(kind) ?? kindSupport(kind, plugin);
    byKind.set(kind, support);
    if (support.kind === 'ignored') {
      ignored.push({ policy, reason: support.reason });
      continue;
    }
    if (support.kind === 'enforced') {
      enforced.push({ policy });
      continue;
    }
    const doubt = doubts.get(kind) ?? {
      kind: 'cluster-policy-support',
      policyKind: kind,
      doubt: support.doubt,
    };
    doubts.set(kind, doubt);
    enforced.push({ policy, doubt });
  }
  return { enforced, ignored };
}
