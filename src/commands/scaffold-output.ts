import { createInterface } from 'node:readline/promises';
import type { Cluster, CniDetection, DnsAssumption, ScaffoldedPolicy } from '../engine/index.js';
import {
  compileAsAsked,
  detectCni,
  isClusterPolicy,
  policyEffect,
  scaffoldedManifest,
} from '../engine/index.js';
import { UserError } from '../errors.js';
import { applyPolicy, planApply } from '../io/cluster/apply-policy.js';
import { ApplyConflictError, type ApplyPlan, policyObjectName } from '../io/cluster/apply-terms.js';
import type { LiveInput } from '../io/cluster/load-live.js';
import { saveFile } from '../io/files/save-file.js';
import { validateScaffolded } from '../io/normalize/validate-scaffolded.js';
import type { Terminal } from '../io/terminal.js';
import { applyConflictLines, FORCE_APPLY_QUESTION } from '../render/apply-conflicts.js';
import { applyChange, applyPreviewLines, applyQuestionText } from '../render/apply-preview.js';
import { dnsAssumptionText } from '../render/dns.js';
import { effectLines } from '../render/effect.js';
import { jsonText } from '../render/json-text.js';
import { policiesYaml } from '../render/policy-yaml.js';
import type { ScaffoldOutputArgs } from './scaffold-options.js';

/** Where the policies would go: the snapshot their effect is previewed on, the cluster to apply to. */
export interface ScaffoldTarget {
  /** undefined: no snapshot, so no effect preview. */
  readonly cluster: Cluster | undefined;
  /** The network plugin the cluster's workloads show, when detected already; else detected once. */
  readonly cni?: CniDetection;
  readonly live: LiveInput | undefined;
  /** More preview lines after the effect, e.g. the checked flow's verdict with the policies. */
  readonly previewLines?: readonly string[];
  /** The template run takes --allow-dns, the remedy the preview offers for DNS it blocks. */
  readonly allowDnsFlag?: boolean;
  /** What the policies' DNS rules assume of the cluster DNS (dnsAssumption), to say so. */
  readonly dnsAssumptions?: readonly DnsAssumption[];
}

/** Refuses contradictory or empty write options before anything is loaded. */
export function checkWriteFlags(args: ScaffoldOutputArgs): void {
  const writes = args.save !== undefined || args.apply || args.dryRun === 'server';
  if (args.readOnly && writes)
    throw new UserError('--read-only forbids --save, --apply and --dry-run=server');
  if (args.save === '') throw new UserError('--save: the file name is empty');
  if (args.dryRun !== undefined && args.dryRun !== 'server' && args.dryRun !== 'none') {
    throw new UserError(`--dry-run=${args.dryRun}: only server (or none) is supported`);
  }
}

async function confirm(terminal: Terminal, question: string): Promise<boolean> {
  if (!terminal.interactive) return false;
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await prompt.question(`${question} [y/N] `)).trim());
  } finally {
    prompt.close();
  }
}

/**
 * Has the server dry-run the apply of each policy; a conflict with another field manager is
 * forced only with --force-conflicts or after the user confirms it. Resolves to the plans and
 * whether the apply must be forced.
 */
async function planApplies(
  live: LiveInput,
  policies: readonly ScaffoldedPolicy[],
  args: ScaffoldOutputArgs,
  terminal: Terminal,
): Promise<{ plans: ApplyPlan[]; force: boolean }> {
  let force = args.forceConflicts === true;
  const plans: ApplyPlan[] = [];
  for (const policy of policies) {
    const plan = await planApply(live.client, policy, force).catch(async (error: unknown) => {
      if (!(error instanceof ApplyConflictError) || force) throw error;
      for (const line of applyConflictLines(error)) terminal.err(`${line}\n`);
      force = await confirm(terminal, FORCE_APPLY_QUESTION);
      if (!force)
        throw new UserError(`${error.message} (rerun with --force-conflicts to take them over)`);
      return planApply(live.client, policy, force);
    });
    terminal.err(`server dry run accepted: ${policyObjectName(policy)}\n`);
    plans.push(plan);
  }
  return { plans, force };
}

/**
 * Validates the policies (as strictly as the API server), prints them (one YAML document each,
 * or JSON), previews their effect on stderr, then saves (never overwriting without --force),
 * dry-runs on the server and applies (after a confirmation) as the options ask.
 */
export async function writePolicies(
  args: ScaffoldOutputArgs,
  policies: readonly ScaffoldedPolicy[],
  target: ScaffoldTarget,
  terminal: Terminal,
): Promise<void> {
  for (const policy of policies) {
    const errors = validateScaffolded(policy);
    if (errors.length > 0) {
      throw new UserError(
        errors.map((e) => `${policyObjectName(policy)}: ${e.field}: ${e.message}`).join('\n'),
      );
    }
  }
  const manifests = policies.map(scaffoldedManifest);
  const assumptions = target.dnsAssumptions ?? [];
  // JSON has no comments, and whatever the document gained would be stored with the policy (an
  // annotation), refused by kubectl's default strict field validation (an unknown field; KEP-2885,
  // GA in 1.27) or would change the shape `kubectl create -o json` prints (a wrapper): the JSON
  // stays the objects alone, and the assumption is a warning on stderr, where kubectl prints its
  // own warnings.
  const text =
    args.output === 'json'
      ? `${jsonText(manifests.length === 1 ? manifests[0] : { apiVersion: 'v1', kind: 'List', items: manifests }, 2)}\n`
      : policiesYaml(policies, assumptions);
  await terminal.out(text);
  if (args.output === 'json') {
    for (const assumption of assumptions)
      terminal.err(`warning: ${dnsAssumptionText(assumption)}\n`);
  }
  const { cluster } = target;
  const cni = cluster && (target.cni ?? detectCni(cluster.workloads ?? []));
  if (cluster) {
    const lines = [
      ...effectLines(policyEffect(cluster, policies, cni), {
        clusterPolicy: policies.some(isClusterPolicy),
        allowDnsFlag: target.allowDnsFlag === true,
      }),
      ...(target.previewLines ?? []),
    ];
    for (const line of lines) terminal.err(`# ${line}\n`);
  }
  if (args.save !== undefined) {
    await saveFile(args.save, text, args.force === true);
    terminal.err(`saved ${args.save}\n`);
  }
  const { live } = target;
  if (args.dryRun === 'server' || args.apply) {
    if (!live) throw new UserError('--apply and --dry-run=server need a live cluster');
    const { plans, force } = await planApplies(live, policies, args, terminal);
    if (!args.apply) return;
    if (cluster) {
      const compile = (applied: Cluster) => compileAsAsked(applied, args, { cni });
      const lines = applyPreviewLines(plans, compile(cluster), compile);
      for (const line of lines) terminal.err(`${line}\n`);
    }
    const where = `context ${live.kubeconfig.contextName}`;
    const confirmed =
      args.yes || (await confirm(terminal, `apply ${applyQuestionText(plans)} in ${where}?`));
    if (!confirmed)
      throw new UserError(`not applied: confirm with --yes (or answer y) to apply in ${where}`);
    for (const plan of plans) {
      await applyPolicy(live.client, plan.policy, { dryRun: false, force });
      const change = applyChange(plan);
      const done = change === 'unchanged' ? 'applied (unchanged)' : change;
      terminal.err(`${done}: ${policyObjectName(plan.policy)}\n`);
    }
  }
}
