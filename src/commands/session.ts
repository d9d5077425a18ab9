import {
  type Analysis,
  type AskedCompile,
  ciliumLayerNotes,
  clusterPolicyNotes,
  compileAsAsked,
  type LabelSelector,
  scaledToZeroNamed,
  selectorMatches,
  unknownNamedPortFindings,
  withScaledToZeroRunning,
} from '../engine/index.js';
import { UserError } from '../errors.js';
import type { LiveFlags, LiveInput } from '../io/cluster/load-live.js';
import type { ReadFocus, ReadReach } from '../io/cluster/targeted-read.js';
import type { DemoVariant } from '../io/demo/demo-variants.js';
import { type CacheFlags, openManifestCache } from '../io/files/cache-dir.js';
import { isEmptyCluster, type LoadedInput } from '../io/normalize/loaded-input.js';
import type { Terminal } from '../io/terminal.js';
import { calicoLayerNote } from '../render/calico-tiers.js';
import { findingLine } from '../render/findings.js';
import { terminalText } from '../render/terminal-text.js';

/** Options every analysing command takes. */
export interface InputOptions extends LiveFlags, CacheFlags, AskedCompile {
  readonly filename?: readonly string[];
  readonly demo?: DemoVariant;
  readonly namespace?: string;
  /** Give the policies' verdict even when the network plugin does not enforce them. */
  readonly assumeEnforced?: boolean;
  /** --full-read: read the whole cluster even where the answer depends on part of it. */
  readonly fullRead?: boolean;
}

/** A loaded and compiled snapshot for one command run. */
export interface Session {
  readonly input: LoadedInput;
  readonly analysis: Analysis;
  /** The namespace for names given without one. */
  readonly namespace: string;
  /** The cluster read, when the input is live: what to apply to. */
  readonly live?: LiveInput;
}

/** What a command asks about, so that a live read can stop at what its answer depends on. */
export interface SessionFocus extends Pick<ReadFocus, 'targets'> {
  /** How far to read, in the order to try them: each is tried until one answers. */
  readonly reaches: readonly ReadReach[];
  /**
   * Whether the answer holds on what a read of this reach found (`namespace` for names given
   * without one); when no reach answers, everything is read.
   */
  readonly answerable: (analysis: Analysis, namespace: string, reach: ReadReach) => boolean;
}

/**
 * A live snapshot compiled: only what the focus needs when that answers it, else all of it.
 * Each read reuses what the ones before it listed.
 */
async function openLive(
  options: InputOptions,
  terminal: Terminal,
  focus: SessionFocus | undefined,
): Promise<{ live: LiveInput; analysis: Analysis }> {
  // Imported here, not above: manifests and the demo then never load the cluster client
  // (@kubernetes/client-node and undici: 1.4 MB of the 1.87 MB a file check imported).
  const { LiveReader } = await import('../io/cluster/load-live.js');
  const reader = new LiveReader(options, terminal.env, (text) => terminal.err(text));
  try {
    for (const reach of options.fullRead ? [] : (focus?.reaches ?? [])) {
      const wanted = { targets: focus?.targets ?? [], namespace: options.namespace, reach };
      // A reach that cannot be read alone leaves the next one to try, from the lists it read.
      const live = await reader.readFocused(wanted);
      if (!live) continue;
      const analysis = compileAsAsked(live.cluster, options);
      const namespace = options.namespace ?? live.kubeconfig.namespace;
      if (focus?.answerable(analysis, namespace, reach)) return { live, analysis };
    }
    // Not found, ambiguous, or reaching beyond what was read: the full read answers (or says why).
    const live = await reader.read();
    return { live, analysis: compileAsAsked(live.cluster, options) };
  } finally {
    reader.close();
  }
}

/** The demo or the manifests (files, directories, "-") the options name, read and normalised. */
async function loadOffline(options: InputOptions, terminal: Terminal): Promise<LoadedInput> {
  // Imported here, not above: a live read then never loads the demo's manifests (107 kB of YAML
  // in the bundle) nor the manifest reader.
  const { loadDemo, loadManifests } = await import('../io/load-input.js');
  if (options.demo) return loadDemo(options.demo);
  return loadManifests(options.filename ?? [], terminal.readStdin, {
    cache: await openManifestCache(options, terminal.env, cacheNote(options, terminal)),
  });
}

/** Where the manifest cache's notes go: stderr from -v=1 (kubectl's first level), else nowhere. */
export function cacheNote(
  options: InputOptions,
  terminal: Terminal,
): ((text: string) => void) | undefined {
  return (options.v ?? 0) >= 1 ? (text) => terminal.err(`${terminalText(text, 500)}\n`) : undefined;
}

/**
 * Loads the input the options name, reports its findings on stderr and compiles it.
 * `checkNamedPorts: false` leaves the named-port warnings, and those on policies of removed API
 * versions, to a command that reports them itself (the audit). A live read with a `focus` reads
 * only what an answer about it depends on, unless --full-read.
 */
export async function openSession(
  options: InputOptions,
  terminal: Terminal,
  checkNamedPorts = true,
  focus?: SessionFocus,
): Promise<Session> {
  const paths = options.filename ?? [];
  const opened =
    !options.demo && paths.length === 0 ? await openLive(options, terminal, focus) : undefined;
  const live = opened?.live;
  const input = live ?? (await loadOffline(options, terminal));
  if (isEmptyCluster(input.cluster)) {
    for (const finding of input.findings) terminal.err(`${findingLine(finding)}\n`);
    throw new UserError(
      `nothing to analyse: no Namespace, Pod, workload or NetworkPolicy in ${input.description}`,
    );
  }
  const analysis = opened?.analysis ?? compileAsAsked(input.cluster, options);
  const { plugin } = analysis.cni;
  const calicoNote = calicoLayerNote(analysis, plugin);
  const checked = [
    ...(checkNamedPorts ? unknownNamedPortFindings(analysis) : []),
    ...ciliumLayerNotes(analysis, plugin),
    ...clusterPolicyNotes(analysis),
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
    ...(live ? { live } : {}),
  };
}

/**
 * The session with the workloads scaled to zero that `targets` name running: a check or explain
 * naming one asks how its pods will be treated once it runs. Compiled again only when one is named.
 */
export function withNamedWorkloadsRunning(
  session: Session,
  options: InputOptions,
  targets: readonly string[],
): Session {
  const templates = scaledToZeroNamed(session.analysis, targets, session.namespace);
  if (templates.length === 0) return session;
  const cluster = withScaledToZeroRunning(session.input.cluster, templates);
  const input = { ...session.input, cluster };
  return { ...session, input, analysis: compileAsAsked(cluster, options) };
}

/**
 * The pods a listing shows: those of `candidates` (every pod when undefined) that `selector`
 * selects; undefined (every pod) when neither narrows. Empty when the selector leaves none,
 * which is no error: kubectl answers `No resources found` (see noResourcesFound).
 */
export function selectedPods(
  analysis: Analysis,
  candidates: readonly number[] | undefined,
  selector: LabelSelector | undefined,
): number[] | undefined {
  if (!selector) return candidates ? [...candidates] : undefined;
  const pool = candidates ?? analysis.pods.map((_, idx) => idx);
  return pool.filter((idx) => {
    const pod = analysis.pods[idx];
    return pod !== undefined && selectorMatches(selector, pod.labels);
  });
}

/** Whether `-n NS` names a namespace the input does not hold: no Namespace, pod or policy in it. */
export function unknownNamespace(analysis: Analysis, namespace: string | undefined): boolean {
  return namespace !== undefined && !analysis.namespaces.has(namespace);
}

/**
 * What kubectl get writes on stderr when a text listing is empty: `No resources found in NS
 * namespace.` for one namespace, `No resources found` across namespaces. Structured output
 * (-o json, yaml, name) says nothing and writes its empty form, as kubectl's does.
 */
export function noResourcesFound(namespace: string | undefined): string {
  return namespace === undefined
    ? 'No resources found\n'
    : `No resources found in ${terminalText(namespace)} namespace.\n`;
}
