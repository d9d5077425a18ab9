import {
  type Analysis,
  type Cluster,
  type CniDetection,
  compileCluster,
  withPodCidrs,
} from '../engine/index.js';
import type { LoadedInput } from '../io/normalize/loaded-input.js';

/** How the UI answers, as the commands' global flags ask. */
export interface AnswerOptions {
  /** Evaluate as if unmodelled policy kinds did not exist, rather than answer UNKNOWN. */
  readonly ignoreUnmodelled?: boolean;
  /** --pod-cidr: the pod address ranges, for pods whose IP is unknown. */
  readonly podCidr?: readonly string[];
  /** Give the policies' verdict even when the network plugin does not enforce them. */
  readonly assumeEnforced?: boolean;
}

/** Whether the snapshot's network plugin enforces the policies, and whether that is assumed. */
export interface PluginEnforcement {
  readonly cni: CniDetection;
  /** --assume-enforced: answers are the policies' verdicts whatever the plugin does. */
  readonly assumed: boolean;
}

/** A snapshot compiled for answers, with the network plugin it shows. */
export interface SnapshotAnalysis {
  readonly analysis: Analysis;
  readonly plugin: PluginEnforcement;
}

/**
 * Compiles a cluster as the UI answers: with the --pod-cidr ranges and --ignore-unmodelled, the
 * network plugin its workloads show when `cni` has it already, and the staged policies
 * `enforceStaged` names enforced (a preview).
 */
export function compileSnapshot(
  cluster: Cluster,
  options: AnswerOptions,
  cni?: CniDetection,
  enforceStaged: readonly string[] = [],
): Analysis {
  return compileCluster(withPodCidrs(cluster, options.podCidr ?? []), {
    ...(options.ignoreUnmodelled ? { ignoreUnmodelled: true } : {}),
    ...(cni ? { cni } : {}),
    ...(enforceStaged.length > 0 ? { enforceStaged } : {}),
  });
}

/** The snapshot's network plugin, and whether --assume-enforced takes its verdict as enforced. */
export function pluginEnforcement(cni: CniDetection, options: AnswerOptions): PluginEnforcement {
  return { cni, assumed: options.assumeEnforced === true };
}

/** Compiles a snapshot and detects its network plugin, as the commands do for one run. */
export function analyseSnapshot(input: LoadedInput, options: AnswerOptions): SnapshotAnalysis {
  const analysis = compileSnapshot(input.cluster, options);
  return { analysis, plugin: pluginEnforcement(analysis.cni, options) };
}
