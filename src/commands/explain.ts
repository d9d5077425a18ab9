import {
  type ClusterPolicyView,
  clusterPolicyView,
  explainPod,
  findClusterPolicy,
  findReferencedPolicy,
  type MissingPolicy,
  overview,
  type PodExposure,
  type PolicyView,
  parsePolicyReference,
  policyView,
  resolvedId,
  targetEndpoints,
} from '../engine/index.js';
import { UserError } from '../errors.js';
import type { Terminal } from '../io/terminal.js';
import { answerScope } from '../render/answer-scope.js';
import { exposureLines } from '../render/exposure.js';
import { overviewLines } from '../render/overview.js';
import { clusterPolicyViewLines, policyViewLines } from '../render/policy-view.js';
import { portSetJson } from '../render/ports.js';
import { targetProblemText } from '../render/target-problem.js';
import { terminalList, terminalText } from '../render/terminal-text.js';
import type { ExplainArgs } from './explain-options.js';
import { printLines, printStructured } from './output.js';
import { openSession } from './session.js';

/** The JSON/YAML form of a pod's exposure: port sets in the matrix contract's shape. */
export function exposureData(exposure: PodExposure) {
  const direction = (d: PodExposure['ingress']) => ({
    ...d,
    pods: d.pods.map((p) => ({ pod: p.pod, allowed: portSetJson(p.connections) })),
  });
  return {
    pod: exposure.pod,
    ingress: direction(exposure.ingress),
    egress: direction(exposure.egress),
  };
}

/** The JSON/YAML form of a policy's view: port sets in the matrix contract's shape. */
function effectData<T extends { readonly effect: PolicyView['effect'] }>(view: T) {
  const flows = (changes: PolicyView['effect']['opened']) =>
    changes.map((c) => ({
      from: c.from,
      to: c.to,
      before: portSetJson(c.before),
      after: portSetJson(c.after),
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

/** Runs explain: one pod's exposure, or the overview of all pods when no pod is named. */
export async function runExplain(args: ExplainArgs, terminal: Terminal): Promise<number> {
  const { input, analysis, namespace, cni } = await openSession(args, terminal);
  const scope = answerScope(input.cluster, cni, args.assumeEnforced === true);
  const print = (lines: readonly string[], data: object) =>
    args.output === 'text'
      ? printLines(terminal, [...scope.before, ...lines, ...scope.after])
      : printStructured(terminal, args.output, { ...data, ...scope.data });
  if (!args.pod) {
    const view = overview(analysis, args.allNamespaces || !args.namespace ? undefined : namespace);
    await print(overviewLines(view), view);
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
    await print(clusterPolicyViewLines(view), clusterPolicyData(view));
    return 0;
  }
  if (reference?.kind === 'network-policy') {
    const found = findReferencedPolicy(input.cluster, reference);
    if (!found.ok) throw new UserError(missingPolicyText(found.missing));
    const view = policyView(analysis, found.policy);
    await print(policyViewLines(view), effectData(view));
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
  const exposure = explainPod(analysis, endpoint.podIdx);
  await print(exposureLines(exposure), exposureData(exposure));
  return 0;
}
