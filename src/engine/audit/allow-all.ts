import type { Analysis, CompiledPeer } from '../compile/compile.js';
import { isEmptySelector } from '../primitives/selector.js';
import type { AuditFinding, OpenForm } from './types.js';
import { effectiveRules, policyObject } from './walk.js';

/** How a peer admits everyone: every pod of every namespace, or every address of a family. */
function openForm(peer: CompiledPeer): OpenForm | undefined {
  if (peer.kind === 'ip-block') {
    const { range, block } = peer.ipBlock;
    return range.prefixLength === 0 && block.except.length === 0 ? 'all-addresses' : undefined;
  }
  if (peer.kind === 'pods-in-selected-namespaces') {
    const allPods = !peer.podSelector || isEmptySelector(peer.podSelector);
    return isEmptySelector(peer.namespaceSelector) && allPods ? 'all-pods' : undefined;
  }
  return undefined;
}

/**
 * Rules that admit every peer: no `from`/`to` at all, `namespaceSelector: {}` with no (or an
 * empty) podSelector (every pod of the cluster), or an ipBlock of 0.0.0.0/0 or ::/0. On every
 * port the selected pods are as open in that direction as without any policy: a warning. On
 * some ports only, a selector or block that looks narrower than it is (every pod of the
 * cluster, every address) is a note; a rule with ports and no peers says what it means.
 */
export function allowAllFindings(analysis: Analysis): AuditFinding[] {
  return effectiveRules(analysis).flatMap(({ policy, rule, ref }): AuditFinding[] => {
    const opened =
      rule.peers.length === 0
        ? { form: 'no-peers' as const, peerIndex: null }
        : rule.peers.flatMap((peer) => {
            const form = openForm(peer);
            return form ? [{ form, peerIndex: peer.index }] : [];
          })[0];
    if (!opened) return [];
    const base = {
      namespace: policy.ref.namespace,
      rule: ref,
      ...opened,
      objects: [policyObject(policy.ref)],
      fixes: [],
    };
    if (rule.ports.length === 0)
      return [{ ...base, code: 'rule-allows-everything', severity: 'warning' }];
    // A rule naming ports and no peers plainly means "anyone, on these ports".
    return opened.form === 'no-peers'
      ? []
      : [{ ...base, code: 'rule-allows-any-peer', severity: 'info', ports: rule.ports }];
  });
}

/**
 * Rules written for a direction the policy does not isolate: with explicit policyTypes that
 * leave the direction out, the API server keeps them and nothing enforces them. A warning; the
 * fix adds the direction to policyTypes.
 */
export function ignoredRuleFindings(analysis: Analysis): AuditFinding[] {
  return analysis.policies.flatMap(({ policy, ref }) =>
    (['ingress', 'egress'] as const).flatMap((direction): AuditFinding[] => {
      const type = direction === 'ingress' ? 'Ingress' : 'Egress';
      if (policy[direction].length === 0 || policy.policyTypes.includes(type)) return [];
      return [
        {
          code: 'rules-ignored-by-policy-types',
          severity: 'warning',
          namespace: ref.namespace,
          policy: ref,
          direction,
          rules: policy[direction].length,
          objects: [policyObject(ref)],
          fixes: [{ kind: 'add-policy-type', policy: ref, type }],
        },
      ];
    }),
  );
}
