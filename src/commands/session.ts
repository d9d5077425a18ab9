import { type Analysis, compileCluster, unknownNamedPortFindings } from '../engine/index.js';
import { UserError } from '../errors.js';
import { type LiveFlags, loadLive } from '../io/cluster/load-live.js';
import { loadDemo, loadManifests } from '../io/load-input.js';
import { isEmptyCluster, type LoadedInput } from '../io/normalize/loaded-input.js';
import type { Terminal } from '../io/terminal.js';
import { findingLine } from '../render/findings.js';

/** Options every analysing command takes. */
export interface InputOptions extends LiveFlags {
  readonly filename?: readonly string[];
  readonly demo?: boolean;
  readonly namespace?: string;
}

/** A loaded and compiled snapshot for one command run. */
export interface Session {
  readonly input: LoadedInput;
  readonly analysis: Analysis;
  /** The namespace for names given without one. */
  readonly namespace: string;
}

/**
 * Loads the input the options name, reports its findings on stderr and compiles it.
 * `checkNamedPorts: false` leaves the named-port warnings to a command that reports them itself.
 */
export async function openSession(
  options: InputOptions,
  terminal: Terminal,
  checkNamedPorts = true,
): Promise<Session> {
  const paths = options.filename ?? [];
  const live =
    !options.demo && paths.length === 0 ? await loadLive(options, terminal.env) : undefined;
  const input =
    live ?? (options.demo ? loadDemo() : await loadManifests(paths, terminal.readStdin));
  if (isEmptyCluster(input.cluster)) {
    for (const finding of input.findings) terminal.err(`${findingLine(finding)}\n`);
    throw new UserError(
      `nothing to analyse: no Namespace, Pod, workload or NetworkPolicy in ${input.description}`,
    );
  }
  const analysis = compileCluster(input.cluster);
  const checked = checkNamedPorts ? unknownNamedPortFindings(analysis) : [];
  const located = checked.map((finding) => {
    const location = finding.object ? input.locations.get(finding.object) : undefined;
    return location ? { ...finding, location } : finding;
  });
  for (const finding of [...input.findings, ...located]) terminal.err(`${findingLine(finding)}\n`);
  return {
    input,
    analysis,
    namespace: options.namespace ?? live?.kubeconfig.namespace ?? 'default',
  };
}
