import type { Arguments } from 'yargs';
import {
  type CandidateSource,
  candidateSource,
  clusterPolicyKind,
  namespaceCandidates,
  policyCandidates,
  type TargetCandidate,
  targetCandidates,
} from '../engine/index.js';
import { kubeconfigFiles } from '../io/cluster/kubeconfig-files.js';
import type { NamesFocus } from '../io/cluster/names-read.js';
import type { SnapshotSlot } from './completion.js';
import { demoVariant } from './demo-flag.js';

/** How long completion waits for a live cluster when --request-timeout does not say. */
const LIVE_TIMEOUT = '3s';

/** A namespace's name as the API server takes it (a DNS label): no other names a namespace. */
const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * What completing `typed` as a target or namespace lists, in the namespace in question (see
 * targetCandidates), as kubectl's completion lists one kind in one namespace: the Pods and
 * Services of that namespace for a bare word; after `FIRST/` also the Pods of FIRST (a
 * namespace, unless a kind); no Pods after -n. Other namespaces' pods are not counted. A policy
 * (explain's) adds the NetworkPolicies of the namespaces whose Pods are read (see
 * policyCandidates), and the cluster policies for a bare word or after `cnp/` (or anp/, banp/).
 */
function namesFocus(slot: SnapshotSlot, typed: string) {
  return (namespace: string): NamesFocus => {
    const named = (names: string[]) => [...new Set(names)].filter((n) => NAMESPACE_NAME.test(n));
    const slash = typed.indexOf('/');
    if (slot === 'namespace') return { podNamespaces: [], serviceNamespaces: [] };
    const first = typed.slice(0, slash);
    const podNamespaces = named(slash < 0 ? [namespace] : [namespace, first]);
    const targets = { podNamespaces, serviceNamespaces: named([namespace]) };
    if (slot === 'target') return targets;
    const clusterPolicies = slash < 0 || clusterPolicyKind(first) !== undefined;
    return { ...targets, policyNamespaces: podNamespaces, clusterPolicies };
  };
}

/** Namespace candidates described without a pod count where their pods were not read. */
function withCountsRead(
  candidates: TargetCandidate[],
  counted: ReadonlySet<string> | undefined,
): TargetCandidate[] {
  if (!counted) return candidates;
  return candidates.map((candidate) => {
    const name = candidate.text.replace(/\/$/, '');
    if (candidate.kind !== 'namespace' || counted.has(name)) return candidate;
    const { pods: _uncounted, ...about } = candidate.about ?? {};
    return { ...candidate, about };
  });
}

interface CompletionSnapshot {
  readonly analysis: CandidateSource;
  readonly namespace: string;
  /** The namespaces whose pods were read, when not all were. */
  readonly counted?: ReadonlySet<string>;
}

/**
 * The snapshot the parsed words name (--demo, -f, else the cluster within --request-timeout:
 * for a target or namespace only what completing `typed` lists); undefined when it cannot be
 * read, or is only stdin (-f -), which completion cannot read.
 */
async function completionSnapshot(
  argv: Arguments,
  env: NodeJS.ProcessEnv,
  slot: SnapshotSlot,
  typed: string,
): Promise<CompletionSnapshot | undefined> {
  // yargs does not coerce in completion mode: -f is a string, or strings when repeated.
  const named = [argv.filename ?? []].flat().map(String);
  const paths = named.filter((path) => path !== '-');
  const flagged = typeof argv.namespace === 'string' && argv.namespace ? argv.namespace : undefined;
  try {
    if (argv.demo) {
      const { demoCandidateSource } = await import('./completion-demo.js');
      const analysis = await demoCandidateSource(demoVariant(String(argv.demo)));
      return { analysis, namespace: flagged ?? 'default' };
    }
    if (paths.length > 0) {
      const { loadManifests } = await import('../io/load-input.js');
      const { openManifestCache } = await import('../io/files/cache-dir.js');
      const cacheDir = typeof argv.cacheDir === 'string' ? { cacheDir: argv.cacheDir } : {};
      const cache = await openManifestCache(cacheDir, env);
      const input = await loadManifests(paths, async () => '', { cache });
      return { analysis: candidateSource(input.cluster), namespace: flagged ?? 'default' };
    }
    if (named.length > 0) return undefined;
    // No cluster configured: nothing to read, and the cluster client is not loaded.
    const kubeconfig = typeof argv.kubeconfig === 'string' ? argv.kubeconfig : undefined;
    if (kubeconfigFiles(kubeconfig, env).length === 0 && !argv.server) return undefined;
    const requestTimeout = (argv.requestTimeout as string | undefined) ?? LIVE_TIMEOUT;
    const flags = { ...(argv as object), requestTimeout };
    const { readNames } = await import('../io/cluster/names-read.js');
    const read = await readNames(flags, env, flagged, namesFocus(slot, typed));
    return {
      analysis: candidateSource(read.input.cluster),
      namespace: read.namespace,
      counted: new Set(read.focus.podNamespaces),
    };
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
  const snapshot = await completionSnapshot(argv, env, slot, typed);
  if (!snapshot) return [];
  const { analysis, namespace, counted } = snapshot;
  if (slot === 'namespace') {
    const namespaces = namespaceCandidates(analysis);
    return withCountsRead(namespaces, counted).filter((c) => c.text.startsWith(typed));
  }
  const targets = withCountsRead(targetCandidates(analysis, typed, namespace), counted);
  return slot === 'policy-or-target'
    ? [...targets, ...policyCandidates(analysis, typed, namespace)]
    : targets;
}
