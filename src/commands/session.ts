import {
  type Analysis,
  type Cluster,
  type CniDetection,
  type CompileOptions,
  ciliumLayerNotes,
  compileCluster,
  detectCni,
  type LabelSelector,
  selectorMatches,
  unknownNamedPortFindings,
  withPodCidrs,
} from '../engine/index.js';
import { UserError } from '../errors.js';
import { type LiveFlags, type LiveInput, loadLive } from '../io/cluster/load-live.js';
import { loadDemo, loadManifests } from '../io/load-input.js';
import { isEmptyCluster, type LoadedInput } from '../io/normalize/loaded-input.js';
import type { Terminal } from '../io/terminal.js';
import { calicoLayerNote } from '../render/calico-tiers.js';
import { findingLine } from '../render/findings.js';

/** Options every analysing command takes. */
export interface InputOptions extends LiveFlags {
  readonly filename?: readonly string[];
  readonly demo?: boolean;
  readonly namespace?: string;
  /** Evaluate as if unmodelled policy kinds did not exist, rather than answer UNKNOWN. */
  readonly ignoreUnmodelled?: boolean;
  /** --pod-cidr: the pod address ranges, for pods whose IP is unknown. */
  readonly podCidr?: readonly string[];
  /** Give the policies' verdict even when the network plugin does not enforce them. */
  readonly assumeEnforced?: boolean;
}

/** A loaded and compiled snapshot for one command run. */
export interface Session {
  readonly input: LoadedInput;
  readonly analysis: Analysis;
  /** The namespace for names given without one. */
  readonly namespace: string;
  /** The network plugin the input shows, and whether it enforces NetworkPolicies. */
  readonly cni: CniDetection;
  /** The cluster read, when the input is live: what to apply to. */
  readonly live?: LiveInput;
}

/** Compiles a snapshot as the options say: more pod ranges, unmodelled kinds ignored or not. */
export function compileInput(
  cluster: Cluster,
  options: InputOptions,
  preview: Pick<CompileOptions, 'enforceStaged'> = {},
): Analysis {
  return compileCluster(withPodCidrs(cluster, options.podCidr ?? []), {
    ...preview,
    ...(options.ignoreUnmodelled ? { ignoreUnmodelled: true } : {}),
  });
}

/**
 * Loads the input the options name, reports its findings on stderr and compiles it.
 * `checkNamedPorts: false` leaves the named-port warnings, and those on policies of removed API
 * versions, to a command that reports them itself (the audit).
 */
export async function openSession(
  options: InputOptions,
  terminal: Terminal,
  checkNamedPorts = true,
): Promise<Session> {
  const paths = options.filename ?? [];
  const live =
    !options.demo && paths.length === 0
      ? await loadLive(options, terminal.env, (text) => terminal.err(text))
      : undefined;
  const input =
    live ?? (options.demo ? loadDemo() : await loadManifests(paths, terminal.readStdin));
  if (isEmptyCluster(input.cluster)) {
    for (const finding of input.findings) terminal.err(`${findingLine(finding)}\n`);
    throw new UserError(
      `nothing to analyse: no Namespace, Pod, workload or NetworkPolicy in ${input.description}`,
    );
  }
  const analysis = compileInput(input.cluster, options);
  const cni = detectCni(input.cluster.workloads ?? []);
  const calicoNote = calicoLayerNote(analysis, cni.plugin);
  const checked = [
    ...(checkNamedPorts ? unknownNamedPortFindings(analysis) : []),
    ...ciliumLayerNotes(analysis, cni.plugin),
    ...(calicoNote ? [calicoNote] : []),
  ];
  const located = checked.map((finding) => {
    const location = finding.object ? input.locations.get(finding.object) : undefined;
    return location ? { ...finding, location } : finding;
  });
  const shown = checkNamedPorts
    ? input.findings
    : input.findings.filter((finding) => finding.code !== 'removed-api-version');
  for (const finding of [...shown, ...located]) terminal.err(`${findingLine(finding)}\n`);
  return {
    input,
    analysis,
    namespace: options.namespace ?? live?.kubeconfig.namespace ?? 'default',
    cni,
    ...(live ? { live } : {}),
  };
}

/**
 * The pods a listing shows: those of `candidates` (every pod when undefined) that `selector`
 * selects; undefined (every pod) when neither narrows. An error when the selector leaves none.
 */
export function selectedPods(
  analysis: Analysis,
  candidates: readonly number[] | undefined,
  selector: LabelSelector | undefined,
): number[] | undefined {
  if (!selector) return candidates ? [...candidates] : undefined;
  const pool = candidates ?? analysis.pods.map((_, idx) => idx);
  const selected = pool.filter((idx) => {
    const pod = analysis.pods[idx];
    return pod !== undefined && selectorMatches(selector, pod.labels);
  });
  if (selected.length === 0) throw new UserError('no pods match the label selector (-l)');
  return selected;
}
