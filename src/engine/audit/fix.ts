import type { PolicyRef } from '../compile/compile.js';
import {
  type LabelSelector,
  NAMESPACE_NAME_LABEL,
  type NetworkPolicy,
  type PolicyPeer,
  type PolicyPort,
} from '../model/types.js';
import { labelsText } from '../primitives/selector-syntax.js';
import { policyManifest, scaffoldPolicy } from '../scaffold/scaffold.js';
import { scaffoldRequests, type TemplateArgs } from '../scaffold/scaffold-args.js';
import type { ScaffoldFix } from '../scaffold/scaffold-fix.js';
import type { FixAction, PeerRef } from './types.js';
import { peerField } from './walk.js';

/** Which selector of a policy a fix changes: its own podSelector, or one of a peer's. */
export type SelectorTarget =
  | { readonly kind: 'policy' }
  | {
      readonly kind: 'peer';
      readonly peer: PeerRef;
      readonly field: 'podSelector' | 'namespaceSelector';
    };

function targetField(target: SelectorTarget): string {
  return target.kind === 'policy' ? 'spec.podSelector' : peerField(target.peer, target.field);
}

/** The policy with one selector replaced. */
export function withSelector(
  policy: NetworkPolicy,
  target: SelectorTarget,
  selector: LabelSelector,
): NetworkPolicy {
  if (target.kind === 'policy') return { ...policy, podSelector: selector };
  const { direction, ruleIndex, peerIndex } = target.peer;
  const rules = policy[direction].map((rule, r) =>
    r !== ruleIndex
      ? rule
      : {
          ...rule,
          peers: rule.peers.map((peer, p) =>
            p === peerIndex ? { ...peer, [target.field]: selector } : peer,
          ),
        },
  );
  return { ...policy, [direction]: rules };
}

/** A selector of exact labels as a flag value (`app=api,tier=web`); undefined with expressions. */
export function labelsArg(selector: LabelSelector): string | undefined {
  return selector.matchExpressions.length > 0 ? undefined : labelsText(selector.matchLabels);
}

/** A namespace selector as a flag value: the bare name when it selects one namespace by name. */
function namespaceArg(selector: LabelSelector): string | undefined {
  const entries = Object.entries(selector.matchLabels);
  const [only] = entries;
  if (
    entries.length === 1 &&
    selector.matchExpressions.length === 0 &&
    only?.[0] === NAMESPACE_NAME_LABEL
  )
    return only[1];
  return labelsArg(selector);
}

/** A port entry as a flag value: `8080/TCP`, `8000-8100/UDP`, `http/TCP`, `UDP`. */
export function portArg(port: PolicyPort): string {
  if (port.port === undefined) return port.protocol;
  const range = port.endPort !== undefined ? `${port.port}-${port.endPort}` : `${port.port}`;
  return `${range}/${port.protocol}`;
}

function peerArgs(peers: readonly PolicyPeer[], ingress: boolean): Partial<TemplateArgs> {
  const args: Record<string, unknown> = {};
  for (const peer of peers) {
    if (peer.ipBlock) {
      args[ingress ? 'fromCidr' : 'toCidr'] = peer.ipBlock.cidr;
      if (peer.ipBlock.except.length > 0) args.except = peer.ipBlock.except;
    }
    if (peer.podSelector) args[ingress ? 'from' : 'to'] = labelsArg(peer.podSelector);
    if (peer.namespaceSelector)
      args[ingress ? 'fromNamespace' : 'toNamespace'] = namespaceArg(peer.namespaceSelector);
  }
  return args;
}

function sameManifests(a: readonly NetworkPolicy[], b: readonly NetworkPolicy[]): boolean {
  return JSON.stringify(a.map(policyManifest)) === JSON.stringify(b.map(policyManifest));
}

/**
 * The `kubectl netpol scaffold allow` arguments that write this very policy, when the template
 * can (one direction, one rule, at most one selector peer and one ipBlock, exact-label
 * selectors): checked by running the template and comparing the result.
 */
export function policyAsScaffold(policy: NetworkPolicy): ScaffoldFix | undefined {
  const [type, ...more] = policy.policyTypes;
  if (!type || more.length > 0) return undefined;
  const ingress = type === 'Ingress';
  const [rule, ...rest] = ingress ? policy.ingress : policy.egress;
  if (!rule || rest.length > 0) return undefined;
  const args: TemplateArgs = {
    template: 'allow',
    name: policy.name,
    ...(ingress
      ? { to: labelsArg(policy.podSelector) }
      : { direction: 'egress', from: labelsArg(policy.podSelector) }),
    ...peerArgs(rule.peers, ingress),
    ...(rule.ports.length > 0 ? { port: rule.ports.map(portArg) } : {}),
  };
  if (Object.values(args).includes(undefined)) return undefined;
  const written = scaffoldRequests(args, policy.namespace);
  return written.ok && sameManifests(written.value.map(scaffoldPolicy), [policy])
    ? { namespace: policy.namespace, args }
    : undefined;
}

/** Fixes that give a selector a new value: set the field, or rewrite the policy by scaffold. */
export function selectorFixes(
  policy: NetworkPolicy,
  ref: PolicyRef,
  target: SelectorTarget,
  selector: LabelSelector,
): FixAction[] {
  const scaffold = policyAsScaffold(withSelector(policy, target, selector));
  return [
    { kind: 'set-selector', policy: ref, field: targetField(target), selector },
    ...(scaffold ? [{ kind: 'scaffold' as const, fix: scaffold, replaces: ref }] : []),
  ];
}
