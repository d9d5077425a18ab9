import {
  type Analysis,
  type ClusterPolicyView,
  clusterPolicyView,
  compileAsAsked,
  type ExposureChanges,
  explainPod,
  findClusterPolicy,
  findReferencedPolicy,
  type MissingPolicy,
  overview,
  type Pod,
  type PodExposure,
  type PolicyView,
  type PortSet,
  parsePolicyReference,
  policyView,
  type ReachablePod,
  type ReachChange,
  resolvedId,
  type StagedExposurePreview,
  scaledToZeroNotes,
  serviceTargetNotes,
  stagedExposurePreviews,
  targetEndpoints,
} from '../engine/index.js';
import { UserError } from '../errors.js';
import type { Terminal } from '../io/terminal.js';
import { answerScope } from '../render/answer-scope.js';
import { checkNoteLines, checkNotesData } from '../render/check-notes.js';
import { exposureLines, stagedChangeLines } from '../render/exposure.js';
import { type NamedObject, objectNameLines } from '../render/object-names.js';
import { overviewLines } from '../render/overview.js';
import { clusterPolicyViewLines, policyViewLines } from '../render/policy-view.js';
import { portSetJson } from '../render/ports.js';
import { targetProblemText } from '../render/target-problem.js';
import { terminalList, terminalText } from '../render/terminal-text.js';
import type { ExplainArgs } from './explain-options.js';
import { printLines, printStructured } from './output.js';
import {
  noResourcesFound,
  openSession,
  type SessionFocus,
  selectedPods,
  unknownNamespace,
  withNamedWorkloadsRunning,
} from './session.js';

/**
 * A reachable pod in the JSON/YAML form: the connections not surely denied (over every address
 * family), and when the families differ, `families` with each one's.
 */
function reachableData(reached: ReachablePod) {
  const allowed = portSetJson(reached.connections);
  if (!reached.families) return { pod: reached.pod, allowed };
  const { IPv4, IPv6 } = reached.families;
  return {
    pod: reached.pod,
    allowed,
    families: {
      IPv4: { allowed: portSetJson(IPv4.connections) },
      IPv6: { allowed: portSetJson(IPv6.connections) },
    },
  };
}

/** The JSON/YAML form of a pod's exposure: port sets in the matrix contract's shape. */
export function exposureData(exposure: PodExposure) {
  const direction = (d: PodExposure['ingress']) => ({ ...d, pods: d.pods.map(reachableData) });
  return {
    pod: exposure.pod,
    ingress: direction(exposure.ingress),
    egress: direction(exposure.egress),
  };
}

/** A flow's ports before and after a change, in the matrix contract's shape. */
function changeJson(change: { readonly before: PortSet; readonly after: PortSet }) {
  return { before: portSetJson(change.before), after: portSetJson(change.after) };
}

/** The JSON/YAML form of a policy's view: port sets in the matrix contract's shape. */
function effectData<T extends { readonly effect: PolicyView['effect'] }>(view: T) {
  const flows = (changes: PolicyView['effect']['opened']) =>
    changes.map((c) => ({
      from: c.from,
      to: c.to,
      ...changeJson(c),
      ...(c.families && {
        families: { IPv4: changeJson(c.families.IPv4), IPv6: changeJson(c.families.IPv6) },
      }),
    }));
  return {
    ...view,
    effect: {
      ...view.effect,
      opened: flows(view.effect.opened),
      closed: flows(view.effect.closed),
    },
  };
}

/** The JSON/YAML form of a cluster policy's view: each rule's flows with their port sets. */
function clusterPolicyData(view: ClusterPolicyView) {
  const rules = view.rules.map((rule) => ({
    ...rule,
    flows: rule.flows.map((flow) => ({ ...flow, ports: portSetJson(flow.ports) })),
  }));
  return { ...effectData(view), rules };
}

/** The one-line error for a NetworkPolicy that is not in the snapshot, with the closest names. */
function missingPolicyText(missing: MissingPolicy): string {
  const hint =
    missing.suggestions.length > 0 ? `; did you mean ${terminalList(missing.suggestions)}?` : '';
  return `networkpolicy ${terminalText(missing.namespace)}/${terminalText(missing.name)} not found${hint}`;
}

/** The exposure with only the pods of `shown` in its lists of pods reached (-l). */
function reachedAmong(exposure: PodExposure, shown: ReadonlySet<string | undefined>): PodExposure {
  const among = (direction: PodExposure['ingress']) => ({
    ...direction,
    pods: direction.pods.filter((reached) => shown.has(reached.pod)),
  });
  return { ...exposure, ingress: among(exposure.ingress), egress: among(exposure.egress) };
}

/** The NetworkPolicies that select a pod, in either direction: its `-o name` lines. */
function selectingPolicies(analysis: Analysis, pod: Pod): NamedObject[] {
  const summary = overview(analysis, pod.namespace).pods.find((p) => p.id === pod.id);
  return [summary?.ingress, summary?.egress].flatMap((state) =>
    state?.kind === 'isolated'
      ? state.policies.map((policy) => ({ kind: 'NetworkPolicy', name: policy.name }))
      : [],
  );
}

/** A cluster policy (`cnp/NAME`, `anp/NAME`, `banp/NAME`) as `-o name` names it. */
function clusterPolicyObject(reference: string): NamedObject {
  const [short, ...name] = reference.split('/');
  const kind =
    short === 'cnp'
      ? 'ClusterNetworkPolicy'
      : short === 'anp'
        ? 'AdminNetworkPolicy'
        : 'BaselineAdminNetworkPolicy';
  return { kind, name: name.join('/') };
}

/**
 * A pod to explain, for a live read of what it can reach and be reached from: answerable when
 * the pod is isolated both ways (else every pod is reached and everything must be read).
 */
function isolatedPodFocus(pod: string): SessionFocus {
  return {
    targets: [pod],
    reaches: ['selected-pods'],
    answerable: (analysis, namespace) => {
      const target = targetEndpoints(analysis, pod, namespace);
      const [only, ...more] = target.ok ? target.value.endpoints : [];
      if (only?.endpoint.kind !== 'pod' || more.length > 0) return false;
      const { ingress, egress } = explainPod(analysis, only.endpoint.podIdx);
      return ingress.restriction.kind === 'isolated' && egress.restriction.kind === 'isolated';
    },
  };
}

/** Runs explain: one pod's exposure, or the overview of all pods when no pod is named. */
export async function runExplain(args: ExplainArgs, terminal: Terminal): Promise<number> {
  const opened = await openSession(
    args,
    terminal,
    true,
    args.pod && !args.selector ? isolatedPodFocus(args.pod) : undefined,
  );
  const named = args.pod ? [args.pod] : [];
  const { input, analysis, namespace } = withNamedWorkloadsRunning(opened, args, named);
  const scope = answerScope(input.cluster, analysis.cni, args.assumeEnforced === true);
  const layout = { wide: args.output === 'wide', headers: !args.noHeaders };
  // The names are worked out only for -o name: a pod's take an overview of its namespace.
  const print = (lines: readonly string[], data: object, names: () => readonly NamedObject[]) => {
    if (args.output === 'name') return printLines(terminal, objectNameLines(names()));
    return args.output === 'text' || args.output === 'wide'
      ? printLines(terminal, [...scope.before, ...lines, ...scope.after])
      : printStructured(terminal, args.output, { ...data, ...scope.data });
  };
  const selected = selectedPods(analysis, undefined, args.selector);
  const shown = selected && new Set(selected.map((idx) => analysis.pods[idx]?.id));
  if (!args.pod) {
    const scopeNamespace = args.allNamespaces || !args.namespace ? undefined : namespace;
    const whole = overview(analysis, scopeNamespace);
    const view = shown ? { ...whole, pods: whole.pods.filter((pod) => shown.has(pod.id)) } : whole;
    const nothing = (shown && view.pods.length === 0) || unknownNamespace(analysis, scopeNamespace);
    if (nothing && (args.output === 'text' || args.output === 'wide')) {
      terminal.err(noResourcesFound(scopeNamespace));
      return 0;
    }
    await print(overviewLines(view, layout), view, () => view.pods);
    return 0;
  }
  const reference = parsePolicyReference(args.pod, namespace);
  if (reference?.kind === 'namespaced-cluster-policy') {
    throw new UserError(
      `${terminalText(args.pod)}: ${terminalText(reference.name)} is cluster-scoped; name it without a namespace: ${terminalText(reference.name)}`,
    );
  }
  if (reference?.kind === 'cluster-policy') {
    const found = findClusterPolicy(input.cluster, reference.name);
    if (!found.ok) {
      const hint =
        found.suggestions.length > 0 ? `; did you mean ${terminalList(found.suggestions)}?` : '';
      throw new UserError(`${terminalText(reference.name)} not found${hint}`);
    }
    const view = clusterPolicyView(analysis, found.policy);
    await print(clusterPolicyViewLines(view), clusterPolicyData(view), () => [
      clusterPolicyObject(reference.name),
    ]);
    return 0;
  }
  if (reference?.kind === 'network-policy') {
    const found = findReferencedPolicy(input.cluster, reference);
    if (!found.ok) throw new UserError(missingPolicyText(found.missing));
    const view = policyView(analysis, found.policy);
    await print(policyViewLines(view), effectData(view), () => [
      { kind: 'NetworkPolicy', name: view.name },
    ]);
    return 0;
  }
  const target = targetEndpoints(analysis, args.pod, namespace);
  if (!target.ok) throw new UserError(targetProblemText(target.error));
  const { endpoints } = target.value;
  const endpoint = endpoints[0]?.endpoint;
  if (endpoints.length > 1) {
    const pods = terminalList(endpoints.slice(0, 3).map(resolvedId));
    const more = endpoints.length > 3 ? ', ...' : '';
    throw new UserError(
      `${args.pod}: explain takes one pod; this names ${endpoints.length}: ${pods}${more}`,
    );
  }
  if (endpoint?.kind !== 'pod') throw new UserError(`${args.pod}: explain takes one pod`);
  const whole = explainPod(analysis, endpoint.podIdx);
  const exposure = shown ? reachedAmong(whole, shown) : whole;
  // A Service explained by its one backend: its clients may not all be sent there, and the
  // pods it leaves out (not ready, or without its address family) are named as check names them.
  const notes = [...serviceTargetNotes(target.value), ...scaledToZeroNotes([endpoint.pod])];
  const compileStaged = (enforceStaged: readonly string[]) =>
    compileAsAsked(input.cluster, args, { enforceStaged, cni: analysis.cni });
  const previews = stagedExposurePreviews(analysis, compileStaged, whole).flatMap((preview) => {
    const changes = shown ? changesAmong(preview.changes, shown) : preview.changes;
    return changes.ingress.length + changes.egress.length > 0 ? [{ ...preview, changes }] : [];
  });
  await print(
    [
      ...checkNoteLines(notes),
      ...exposureLines(exposure),
      ...previews.flatMap((p) => stagedChangeLines(terminalText(p.policy), p.changes)),
    ],
    {
      ...checkNotesData(notes),
      ...exposureData(exposure),
      ...(previews.length > 0 ? { stagedPreviews: previews.map(stagedPreviewData) } : {}),
    },
    () => selectingPolicies(analysis, whole.pod),
  );
  return 0;
}

/** The changes of a staged preview with only the pods of `shown` (-l). */
function changesAmong(
  changes: ExposureChanges,
  shown: ReadonlySet<string | undefined>,
): ExposureChanges {
  return {
    ingress: changes.ingress.filter((change) => shown.has(change.pod)),
    egress: changes.egress.filter((change) => shown.has(change.pod)),
  };
}

/** The JSON/YAML form of a staged preview: each changed pod's port sets before and after. */
function stagedPreviewData({ policy, changes }: StagedExposurePreview) {
  const ports = (reached: ReachablePod | undefined) =>
    reached ? portSetJson(reached.connections) : [];
  const direction = (list: readonly ReachChange[]) =>
    list.map((change) => ({
      pod: change.pod,
      before: ports(change.before),
      after: ports(change.after),
    }));
  return { policy, ingress: direction(changes.ingress), egress: direction(changes.egress) };
}
