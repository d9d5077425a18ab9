import {
  type Analysis,
  type AskedCompile,
  type CniDetection,
  compileAsAsked,
} from '../engine/index.js';
import type { LoadedInput } from '../io/normalize/loaded-input.js';

/** How the UI answers, as the commands' global flags ask. */
export interface AnswerOptions extends AskedCompile {
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

/** The snapshot's network plugin, and whether --assume-enforced takes its verdict as enforced. */
export function pluginEnforcement(cni: CniDetection, options: AnswerOptions): PluginEnforcement {
  return { cni, assumed: options.assumeEnforced === true };
}

/** Compiles a snapshot and detects its network plugin, as the commands do for one run. */
export function analyseSnapshot(input: LoadedInput, options: AnswerOptions): SnapshotAnalysis {
  const analysis = compileAsAsked(input.cluster, options);
  return { analysis, plugin: pluginEnforcement(analysis.cni, options) };
}
