import {
  type Analysis,
  type AnalysisDns,
  type AuditFinding,
  type AuditReport,
  analysisDns,
  auditCluster,
  buildPeerIndex,
  type Cluster,
  type CniDetection,
  type CompileStaged,
  clusterPolicyName,
  clusterPolicyView,
  compileAsAsked,
  compilingStagedOnce,
  type DnsAssumption,
  detectCni,
  explainPod,
  findClusterPolicy,
  findPolicy,
  type PeerIndex,
  policyEffect,
  policyView,
  type RestrictingTiersMemo,
  restrictingTiersMemo,
  type ScaffoldedPolicy,
  scaledToZeroNamed,
  stagedExposurePreviews,
  withScaledToZeroRunning,
} from '../../engine/index.js';
import type { ApplyPlan } from '../../io/cluster/apply-terms.js';
import { exposureLines, stagedChangeLines } from '../../render/exposure.js';
import { clusterPolicyViewLines, policyViewLines } from '../../render/policy-view.js';
import { yamlLines } from '../../render/structured.js';
import { terminalText } from '../../render/terminal-text.js';
import { type AuditDigest, auditDigest } from '../audit-view.js';
import { type CheckView, checkView } from '../check-view.js';
import { type MatrixView, matrixView } from '../matrix-view.js';
import {
  type AnswerOptions,
  type PluginEnforcement,
  pluginEnforcement,
} from '../snapshot-analysis.js';
import type { CheckForm, CheckQuestion, MatrixScope, Screen } from '../state.js';
import { completeTarget, type TabCompletion } from '../tab-completion.js';
import { buildClusterView, type ClusterView } from '../view-model.js';
import type { CheckedQuestion, WizardState } from '../wizard.js';
import { type WizardStart, wizardForCheck } from '../wizard-prefill.js';
import { type WizardPreview, wizardPreview } from '../wizard-preview.js';
import { type WizardFormView, wizardFormView } from '../wizard-view.js';

/** What the analyst answers about: a snapshot's cluster as read, and how the UI answers. */
export interface AnalystSnapshot {
  readonly cluster: Cluster;
  readonly options: AnswerOptions;
}

/** A policy screen, whose view the analyst computes. */
export type PolicyScreen = Extract<Screen, { id: 'policy-detail' | 'cluster-policy-detail' }>;

/** The questions the UI hands to the analyst: each is work that may take longer than a frame. */
export type AnalystQuestion =
  /** The network plugin the cluster's workloads show: detected once per snapshot, no compile. */
  | { readonly kind: 'network-plugin' }
  | { readonly kind: 'cluster-view' }
  | { readonly kind: 'audit' }
  | { readonly kind: 'audit-finding'; readonly index: number }
  | { readonly kind: 'pod-exposure'; readonly podId: string }
  | { readonly kind: 'policy-view'; readonly screen: PolicyScreen }
  | { readonly kind: 'matrix'; readonly of: string | MatrixScope }
  /** The traffic check as submitted, its names without a namespace being in `namespace`. */
  | { readonly kind: 'check'; readonly asked: CheckQuestion; readonly namespace: string }
  /** Tab in a target field of the check form: what is typed, names in `namespace` bare. */
  | { readonly kind: 'complete-target'; readonly typed: string; readonly namespace: string }
  | { readonly kind: 'wizard-form'; readonly wizard: WizardState }
  /** The YAML view of an object too heavy to write on the UI's thread (use-object-yaml.ts). */
  | { readonly kind: 'object-yaml'; readonly object: unknown }
  /** What applying the wizard's policies, as the server's dry run returned them, changes. */
  | { readonly kind: 'apply-preview'; readonly plans: readonly ApplyPlan[] }
  | {
      readonly kind: 'scaffold-preview';
      readonly policies: readonly ScaffoldedPolicy[];
      /** What their DNS rules assume of the cluster DNS (dnsAssumption). */
      readonly dnsAssumptions: readonly DnsAssumption[];
      readonly question: CheckedQuestion | undefined;
      readonly namespace: string;
      readonly allowDnsFlag: boolean;
    };

/** The answer to each kind of question, as plain data that crosses to another thread intact. */
export interface AnalystAnswers {
  readonly 'network-plugin': CniDetection;
  /** The rows of the lists (namespaces, pods, policies, Services, cluster policies). */
  readonly 'cluster-view': ClusterView;
  readonly audit: AuditDigest;
  /** Undefined when the audit has no finding at that index. */
  readonly 'audit-finding': AuditFinding | undefined;
  /**
   * The pod detail's lines without its first (the title names the pod): what reaches it and
   * what it reaches. Lines, not the exposure (1.1 MB at 10,000 pods for a 3 kB text), so that
   * the UI's thread has little to rebuild. Undefined when the pod is not in the snapshot.
   */
  readonly 'pod-exposure': string[] | undefined;
  /** The policy screen's lines without its first (the title names the policy). */
  readonly 'policy-view': string[];
  readonly matrix: MatrixView;
  readonly check: CheckAnswer;
  /** Undefined when nothing matches. */
  readonly 'complete-target': TabCompletion | undefined;
  /** The wizard's form with what each field matches in the snapshot, and suggestions. */
  readonly 'wizard-form': WizardFormView;
  readonly 'object-yaml': ObjectYaml;
  readonly 'apply-preview': string[];
  /** The preview screen after any apply preview: its explanation and its YAML. */
  readonly 'scaffold-preview': WizardPreview;
}

/**
 * An object's YAML view: its lines in a list, which comes to the UI's thread a run of lines a
 * turn (valueParts), not as one string of megabytes.
 */
export interface ObjectYaml {
  readonly lines: string[];
}

/** The traffic check's screen, and the wizard "s" opens from it (the fix the diagnosis proposes). */
export interface CheckAnswer {
  readonly view: CheckView;
  readonly wizard: WizardStart;
}

/** The answer to a question. */
export type AnswerTo<Q extends AnalystQuestion> = AnalystAnswers[Q['kind']];

/**
 * A snapshot compiled once, with its peer index, cluster DNS and audit made the first time a
 * question needs them.
 */
export interface CompiledSnapshot {
  readonly cluster: Cluster;
  readonly analysis: Analysis;
  /** The network plugin, as the check's answer takes it into account. */
  readonly plugin: PluginEnforcement;
  /** How the UI answers: a cluster changed from this one compiles with them. */
  readonly options: AnswerOptions;
  /**
   * The snapshot compiled with staged Calico policies enforced, each the first time a pod
   * detail or check previews it, then kept for every other.
   */
  readonly compileStaged: CompileStaged;
  /** What pod details keep from one pod to the next of which Deny rules reach whom. */
  readonly restrictingTiers: RestrictingTiersMemo;
  /** The cluster DNS, for the audit and every keystroke of the wizard's form. */
  readonly dns: AnalysisDns;
  peerIndex(): PeerIndex;
  audit(): AuditReport;
}

/**
 * Compiles a snapshot as the UI answers, with its network plugin as detected; its peer index
 * and staged previews wait for the first question using them.
 */
export function compileForQuestions(
  snapshot: AnalystSnapshot,
  cni: CniDetection,
): CompiledSnapshot {
  const analysis = compileAsAsked(snapshot.cluster, snapshot.options, { cni });
  const dns = analysisDns(analysis);
  let peerIndex: PeerIndex | undefined;
  let audit: AuditReport | undefined;
  return {
    cluster: snapshot.cluster,
    analysis,
    plugin: pluginEnforcement(analysis.cni, snapshot.options),
    options: snapshot.options,
    compileStaged: compilingStagedOnce(compileStaged(snapshot.options, analysis)),
    restrictingTiers: restrictingTiersMemo(analysis),
    dns,
    peerIndex: () => {
      peerIndex ??= buildPeerIndex(analysis);
      return peerIndex;
    },
    audit: () => {
      audit ??= auditCluster(analysis, dns);
      return audit;
    },
  };
}

/**
 * The analysis a check is answered on: the snapshot's, or, when the check names workloads scaled
 * to zero, the snapshot compiled again with them running, as `check` answers them "once it runs".
 */
function withNamedWorkloadsRunning(
  compiled: CompiledSnapshot,
  asked: CheckQuestion,
  namespace: string,
): Analysis {
  const { analysis } = compiled;
  const named = scaledToZeroNamed(analysis, [asked.source, asked.destination], namespace);
  if (named.length === 0) return analysis;
  const running = withScaledToZeroRunning(compiled.cluster, named);
  return compileAsAsked(running, compiled.options, { cni: analysis.cni });
}

/** A snapshot as the analyst holds it: its network plugin detected and it compiled, each once, when first needed. */
export interface LoadedSnapshot {
  readonly snapshot: AnalystSnapshot;
  networkPlugin(): CniDetection;
  compiled(): CompiledSnapshot;
}

/** Holds a snapshot for questions; `cni` is its network plugin when detected already (by another analyst). */
export function loadForQuestions(snapshot: AnalystSnapshot, cni?: CniDetection): LoadedSnapshot {
  let detected = cni;
  let compiled: CompiledSnapshot | undefined;
  const networkPlugin = () => {
    detected ??= detectCni(snapshot.cluster.workloads ?? []);
    return detected;
  };
  return {
    snapshot,
    networkPlugin,
    compiled: () => {
      compiled ??= compileForQuestions(snapshot, networkPlugin());
      return compiled;
    },
  };
}

function policyScreenLines(analysis: Analysis, screen: PolicyScreen): string[] {
  if (screen.id === 'policy-detail') {
    const slash = screen.policyKey.indexOf('/');
    const namespace = screen.policyKey.slice(0, slash);
    const found = findPolicy(analysis.cluster, namespace, screen.policyKey.slice(slash + 1));
    return found.ok
      ? policyViewLines(policyView(analysis, found.policy)).slice(1)
      : [`${terminalText(screen.policyKey)} is no longer in the snapshot`];
  }
  const name = clusterPolicyName(screen);
  const found = findClusterPolicy(analysis.cluster, name);
  return found.ok
    ? clusterPolicyViewLines(clusterPolicyView(analysis, found.policy)).slice(1)
    : [`${terminalText(name)} is no longer in the snapshot`];
}

/** How a staged policy's preview compiles `analysis`'s cluster: as the snapshot, that policy enforced. */
function compileStaged(options: AnswerOptions, analysis: Analysis): CompileStaged {
  return (enforceStaged) =>
    compileAsAsked(analysis.cluster, options, { cni: analysis.cni, enforceStaged });
}

/** The staged previews of a check's analysis: the snapshot's kept ones, unless it was compiled again. */
function stagedOf(compiled: CompiledSnapshot, checked: Analysis): CompileStaged {
  return checked === compiled.analysis
    ? compiled.compileStaged
    : compileStaged(compiled.options, checked);
}

/**
 * Answers a question on a compiled snapshot with the engine's entry points, as the CLI does;
 * a promise for the apply preview.
 */
export function answerQuestion(loaded: LoadedSnapshot, question: AnalystQuestion): unknown {
  if (question.kind === 'network-plugin') return loaded.networkPlugin();
  if (question.kind === 'object-yaml') return { lines: yamlLines(question.object) };
  const compiled = loaded.compiled();
  const { analysis } = compiled;
  switch (question.kind) {
    case 'cluster-view':
      return buildClusterView(analysis);
    case 'audit':
      return auditDigest(compiled.audit());
    case 'audit-finding':
      return compiled.audit().findings[question.index];
    case 'pod-exposure': {
      const podIdx = analysis.podIndex.get(question.podId);
      if (podIdx === undefined) return undefined;
      const exposure = explainPod(analysis, podIdx, {
        peerIndex: compiled.peerIndex(),
        restrictingTiers: compiled.restrictingTiers,
      });
      // What explain ends with: the pods each staged Calico policy would cut off or open.
      const staged = stagedExposurePreviews(analysis, compiled.compileStaged, exposure);
      return [
        ...exposureLines(exposure).slice(1),
        ...staged.flatMap((p) => stagedChangeLines(terminalText(p.policy), p.changes)),
      ];
    }
    case 'policy-view':
      return policyScreenLines(analysis, question.screen);
    case 'matrix':
      return matrixView(analysis, question.of, compiled.peerIndex());
    case 'check': {
      const form: CheckForm = { ...question.asked, focus: 'result', submitted: 1 };
      const asked = { ...form, asked: question.asked };
      const checked = withNamedWorkloadsRunning(compiled, question.asked, question.namespace);
      return {
        view: checkView(
          checked,
          asked,
          question.namespace,
          compiled.plugin,
          stagedOf(compiled, checked),
        ),
        wizard: wizardForCheck(checked, asked, question.namespace, compiled.plugin),
      } satisfies CheckAnswer;
    }
    case 'complete-target':
      return completeTarget(analysis, question.typed, question.namespace);
    case 'wizard-form':
      return wizardFormView(analysis, question.wizard, compiled.dns.target());
    case 'apply-preview':
      // Loaded when first asked: its module brings the cluster client, which a worker that never
      // previews an apply should not load (about 0.5 s of CPU). The snapshot is compiled
      // already: only the cluster with the policies applied is.
      return import('../../render/apply-preview.js').then(({ applyPreviewLines }) =>
        applyPreviewLines(question.plans, analysis, (cluster) =>
          compileAsAsked(cluster, compiled.options, { cni: analysis.cni }),
        ),
      );
    case 'scaffold-preview':
      return wizardPreview(
        analysis,
        { policies: question.policies, dnsAssumptions: question.dnsAssumptions },
        policyEffect(compiled.cluster, question.policies, analysis.cni),
        question.question,
        question.namespace,
        question.allowDnsFlag,
      );
  }
}
