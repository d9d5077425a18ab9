import { type Analysis, compileCluster } from '../compile/compile.js';
import type { CompileOptions } from '../compile/undecided.js';
import type { DirectionDiagnosis } from '../diagnose/flow-diagnosis.js';
import type { ClusterRuleMatch } from '../evaluate/evaluate.js';
import type { Result } from '../model/result.js';
import type { ScaffoldedPolicy } from '../scaffold/cluster-scaffold.js';
import { withPolicies } from '../scaffold/effect.js';
import { type ScaffoldRequest, scaffoldPolicy } from '../scaffold/scaffold.js';
import { withFreeName } from '../scaffold/scaffold-fix.js';
import {
  type CheckAnswer,
  type CheckedFlow,
  type CheckProblem,
  type CheckQuestion,
  checkTargets,
} from './check-targets.js';

/**
 * The fixes of a flow that both its source's egress and its destination's ingress deny, to be
 * written together: the egress fix, then the ingress fix. Undefined unless both sides have one.
 */
export function bothSidesFix(
  diagnosis: readonly DirectionDiagnosis[],
): readonly [ScaffoldRequest, ScaffoldRequest] | undefined {
  const egress = diagnosis.find((d) => d.direction === 'egress')?.fix;
  const ingress = diagnosis.find((d) => d.direction === 'ingress')?.fix;
  return egress && ingress ? [egress, ingress] : undefined;
}

/** The cluster policy rule that denies a flow on either side, if one does. */
export function clusterPolicyDenial(flow: CheckedFlow): ClusterRuleMatch | undefined {
  for (const side of flow.verdict ? [flow.verdict.egress, flow.verdict.ingress] : []) {
    if (side.kind === 'cluster-policy' && side.match.action === 'Deny') return side.match;
  }
  return undefined;
}

/** What allows every denied flow of a check, or the flows no scaffold can allow. */
export interface CheckFixes {
  /** One request per denied side of each denied flow, identical requests once. */
  readonly requests: readonly ScaffoldRequest[];
  /**
   * Denied flows with a side that has no fix: a host-network peer without an address, a host
   * known by name (NetworkPolicies match addresses), or an Admin-tier Deny, which
   * NetworkPolicies cannot override (a Baseline Deny they override).
   */
  readonly unfixable: readonly CheckedFlow[];
}

/**
 * The requests that together allow every denied flow of a check, egress before ingress within a
 * flow. Identical requests are written once; different ones never share a name.
 */
export function checkFixes(analysis: Analysis, flows: readonly CheckedFlow[]): CheckFixes {
  const denied = flows.filter((flow) => flow.verdict?.verdict === 'DENIED');
  const unfixable = denied.filter(
    (flow) =>
      clusterPolicyDenial(flow)?.tier === 'Admin' || (flow.diagnosis ?? []).some((d) => !d.fix),
  );
  const seen = new Set<string>();
  const names = new Set<string>();
  const requests: ScaffoldRequest[] = [];
  for (const flow of denied) {
    for (const { fix } of flow.diagnosis ?? []) {
      const key = JSON.stringify(fix);
      if (!fix || seen.has(key)) continue;
      seen.add(key);
      const named = withFreeName(analysis, fix, (namespace, name) =>
        names.has(`${namespace}/${name}`),
      );
      names.add(`${named.namespace}/${scaffoldPolicy(named).name}`);
      requests.push(named);
    }
  }
  return { requests, unfixable };
}

/** The check asked again of the cluster with the policies added, as a preview of their effect. */
export function recheckWith(
  analysis: Analysis,
  question: CheckQuestion,
  policies: readonly ScaffoldedPolicy[],
  options: CompileOptions = {},
): Result<CheckAnswer, CheckProblem> {
  const compiled = compileCluster(withPolicies(analysis.cluster, policies), {
    ...options,
    cni: analysis.cni,
  });
  return checkTargets(compiled, question);
}
