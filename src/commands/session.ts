import { type Analysis, compileCluster } from '../engine/compile.js';
import { unknownNamedPortFindings } from '../engine/input-checks.js';
import { UserError } from '../errors.js';
import { isEmptyCluster, type LoadedInput, loadDemo, loadManifests } from '../io/load-input.js';
import { findingLine } from '../render/findings.js';
import type { Terminal } from './terminal.js';

/** Options every analysing command takes. */
export interface InputOptions {
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

/** Loads the input the options name, reports its findings on stderr and compiles it. */
export async function openSession(options: InputOptions, terminal: Terminal): Promise<Session> {
  const paths = options.filename ?? [];
  if (!options.demo && paths.length === 0) {
    throw new UserError('no input: give manifests with -f PATH (or -f - for stdin), or use --demo');
  }
  const input = options.demo ? loadDemo() : await loadManifests(paths, terminal.readStdin);
  if (isEmptyCluster(input.cluster)) {
    for (const finding of input.findings) terminal.err(`${findingLine(finding)}\n`);
    throw new UserError(
      `nothing to analyse: no Namespace, Pod, workload or NetworkPolicy in ${paths.join(', ')}`,
    );
  }
  const analysis = compileCluster(input.cluster);
  const located = unknownNamedPortFindings(analysis).map((finding) => {
    const location = finding.object ? input.locations.get(finding.object) : undefined;
    return location ? { ...finding, location } : finding;
  });
  for (const finding of [...input.findings, ...located]) terminal.err(`${findingLine(finding)}\n`);
  return {
    input,
    analysis,
    namespace: options.namespace ?? 'default',
  };
}
