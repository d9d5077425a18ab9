import type { Arguments } from 'yargs';
import {
  type Analysis,
  namespaceCandidates,
  policyCandidates,
  type TargetCandidate,
  targetCandidates,
} from '../engine/index.js';
import { loadLive } from '../io/cluster/load-live.js';
import { loadDemo, loadManifests } from '../io/load-input.js';
import type { SnapshotSlot } from './completion.js';
import { demoVariant } from './demo-flag.js';
import { compileInput } from './session.js';

/** How long completion waits for a live cluster when --request-timeout does not say. */
const LIVE_TIMEOUT = '3s';

interface CompletionSnapshot {
  readonly analysis: Analysis;
  readonly namespace: string;
}

/**
 * The snapshot the parsed words name (--demo, -f, else the cluster within --request-timeout);
 * undefined when it cannot be read, or is only stdin (-f -), which completion cannot read.
 */
async function completionSnapshot(
  argv: Arguments,
  env: NodeJS.ProcessEnv,
): Promise<CompletionSnapshot | undefined> {
  // yargs does not coerce in completion mode: -f is a string, or strings when repeated.
  const named = [argv.filename ?? []].flat().map(String);
  const paths = named.filter((path) => path !== '-');
  const flagged = typeof argv.namespace === 'string' && argv.namespace ? argv.namespace : undefined;
  try {
    if (argv.demo || paths.length > 0) {
      const input = argv.demo
        ? loadDemo(demoVariant(String(argv.demo)))
        : await loadManifests(paths, async () => '');
      return { analysis: compileInput(input.cluster, {}), namespace: flagged ?? 'default' };
    }
    if (named.length > 0) return undefined;
    const requestTimeout = (argv.requestTimeout as string | undefined) ?? LIVE_TIMEOUT;
    const live = await loadLive({ ...(argv as object), requestTimeout }, env);
    const namespace = flagged ?? live.kubeconfig.namespace;
    return { analysis: compileInput(live.cluster, {}), namespace };
  } catch {
    return undefined;
  }
}

/**
 * The names from the snapshot the parsed words name that finish the typed word: namespaces
 * (after -n), targets, or (for explain) targets and policies; none when the snapshot cannot be
 * read.
 */
export async function snapshotNames(
  argv: Arguments,
  env: NodeJS.ProcessEnv,
  slot: SnapshotSlot,
  typed: string,
): Promise<TargetCandidate[]> {
  const snapshot = await completionSnapshot(argv, env);
  if (!snapshot) return [];
  if (slot === 'namespace') {
    const namespaces = namespaceCandidates(snapshot.analysis);
    return namespaces.filter((candidate) => candidate.text.startsWith(typed));
  }
  const { analysis, namespace } = snapshot;
  const targets = targetCandidates(analysis, typed, namespace);
  return slot === 'policy-or-target'
    ? [...targets, ...policyCandidates(analysis, typed, namespace)]
    : targets;
}
