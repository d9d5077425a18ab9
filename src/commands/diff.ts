import type { Cluster, Finding, UnmodelledPolicy } from '../engine/index.js';
import { compileAsAsked } from '../engine/index.js';
import { UserError } from '../errors.js';
import { liveSources, loadLive } from '../io/cluster/load-live.js';
import { demoSources, loadedFromSources, manifestSources } from '../io/load-input.js';
import { applyObjects } from '../io/normalize/apply-objects.js';
import type { SourceObjects } from '../io/normalize/loaded-input.js';
import { normalizeObjects } from '../io/normalize/normalize.js';
import type { Terminal } from '../io/terminal.js';
import { answerScope } from '../render/answer-scope.js';
import { absentObjectsText, diffData, diffLines, flowDiffReport } from '../render/diff.js';
import { findingLine, findingText } from '../render/findings.js';
import { changesInNamespace, podInNamespace } from './diff-namespace.js';
import type { DiffArgs } from './diff-options.js';
import { printLines, printStructured } from './output.js';

/** Exit code when the change alters objects or flows, as `kubectl diff` says differences. */
const CHANGED_EXIT = 1;

/** Fails on the first error met reading the change: a diff of half a change would mislead. */
function refuseBroken(findings: readonly Finding[]): void {
  const broken = findings.find((finding) => finding.severity === 'error');
  if (broken) throw new UserError(`cannot diff: ${findingText(broken)}`);
}

/**
 * The change's objects, read; objects to apply are also refused when one cannot be analysed,
 * while those to delete need only their kind and name.
 */
async function changeSources(
  files: readonly string[],
  terminal: Terminal,
  toApply: boolean,
): Promise<SourceObjects> {
  if (files.length === 0) return { objects: [], findings: [], description: '' };
  const read = await manifestSources(files, terminal.readStdin);
  refuseBroken(read.findings);
  if (toApply) refuseBroken(normalizeObjects(read.objects).findings);
  return read;
}

/** The state the change applies to: --base manifests, the demo cluster, or the live cluster. */
async function baseSources(args: DiffArgs, terminal: Terminal): Promise<SourceObjects> {
  if (args.base && args.demo) throw new UserError('--base and --demo name two bases: give one');
  if (args.base) return manifestSources(args.base, terminal.readStdin);
  if (args.demo) return demoSources(args.demo);
  return liveSources(await loadLive(args, terminal.env, (text) => terminal.err(text)));
}

/**
 * The cluster whose notes a diff carries: the lists the base could not read, and the policies
 * not evaluated after the change or before it (a deleted one decided the flows before).
 */
function notedCluster(before: Cluster, after: Cluster): Cluster {
  const key = (policy: UnmodelledPolicy) =>
    `${policy.apiVersion} ${policy.kind} ${policy.namespace ?? ''}/${policy.name}`;
  const kept = after.unmodelledPolicies ?? [];
  const seen = new Set(kept.map(key));
  const gone = (before.unmodelledPolicies ?? []).filter((policy) => !seen.has(key(policy)));
  return gone.length === 0 ? after : { ...after, unmodelledPolicies: [...kept, ...gone] };
}

/**
 * Runs diff: the flows a change of objects opens and closes, with check's notes on enforcement
 * and on what the input could not show. With -n, the objects and flows of that namespace.
 * Exit 0 no change, 1 changes.
 */
export async function runDiff(args: DiffArgs, terminal: Terminal): Promise<number> {
  const applied = await changeSources(args.filename ?? [], terminal, true);
  const deleted = await changeSources(args.delete ?? [], terminal, false);
  if (applied.objects.length === 0 && deleted.objects.length === 0) {
    throw new UserError('diff needs objects to apply (-f PATH) or to delete (--delete PATH)');
  }
  const base = await baseSources(args, terminal);
  const change = applyObjects(base.objects, applied.objects, deleted.objects);
  const before = loadedFromSources(base);
  const after = loadedFromSources(base, change.objects);
  const notes: Finding[] = [...before.findings, ...applied.findings, ...deleted.findings];
  for (const finding of notes) terminal.err(`${findingLine(finding)}\n`);
  if (change.absent.length > 0) terminal.err(`warning: ${absentObjectsText(change.absent)}\n`);
  const was = compileAsAsked(before.cluster, args);
  const is = compileAsAsked(after.cluster, args);
  const namespace = args.namespace && !args.allNamespaces ? args.namespace : undefined;
  const objects =
    namespace === undefined
      ? change.changes
      : changesInNamespace(
          namespace,
          change.changes,
          { base, applied: applied.objects, deleted: deleted.objects },
          was,
          args,
        );
  const shown = namespace === undefined ? undefined : podInNamespace(namespace);
  const report = flowDiffReport(was, is, objects, shown);
  const scope = answerScope(
    notedCluster(before.cluster, after.cluster),
    is.cni,
    args.assumeEnforced === true,
  );
  if (args.output === 'text') {
    await printLines(terminal, [
      ...scope.before,
      ...diffLines(report, namespace, !args.noHeaders),
      ...scope.after,
    ]);
  } else await printStructured(terminal, args.output, { ...diffData(report), ...scope.data });
  const changed = report.objects.length + report.flows.length + (report.familyChanges?.length ?? 0);
  return changed > 0 ? CHANGED_EXIT : 0;
}
