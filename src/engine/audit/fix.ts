import type { PolicyRef } from '../compile/compile.js';
import { nameBearsOut } from '../diagnose/typo-evidence.js';
import type { LabelSelector, NetworkPolicy, PolicyPeer, PolicyPort } from '../model/types.js';
import {
  type PeerChoice,
  policyManifest,
  type ScaffoldRequest,
  scaffoldPolicy,
} from '../scaffold/scaffold.js';
import type { CandidateMiss, FixAction, ObjectRef, PeerRef } from './types.js';
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

/** Whether a selector is exact labels, which a template argument can carry (`app=api,tier=web`). */
function exactLabels(selector: LabelSelector | undefined): boolean {
  return selector === undefined || selector.matchExpressions.length === 0;
}

/**
 * A peer as the allow template's arguments can give it: pods and namespaces by exact labels
 * (namespaces by at least one), or an address block; undefined otherwise.
 */
function peerChoice(peer: PolicyPeer): PeerChoice | undefined {
  if (peer.ipBlock)
    return peer.podSelector || peer.namespaceSelector || !peer.ipBlock.cidr ? undefined : peer;
  const { podSelector: pods, namespaceSelector: namespaces } = peer;
  if (!exactLabels(pods) || !exactLabels(namespaces)) return undefined;
  if (namespaces && Object.keys(namespaces.matchLabels).length === 0) return undefined;
  return { ...(pods ? { pods } : {}), ...(namespaces ? { namespaces } : {}) };
}

/** Whether a port argument can give this entry: a range only as numbers, a name never all digits. */
function portArgumentCan(port: PolicyPort): boolean {
  return typeof port.port === 'number'
    ? true
    : port.endPort === undefined && !/^\d+$/.test(port.port ?? '');
}

function sameManifests(a: readonly NetworkPolicy[], b: readonly NetworkPolicy[]): boolean {
  return JSON.stringify(a.map(policyManifest)) === JSON.stringify(b.map(policyManifest));
}

/**
 * The `kubectl netpol scaffold allow` request that writes this very policy, when the template
 * can (one direction, one rule, at most one selector peer and one ipBlock, exact-label
 * selectors): checked by running the template and comparing the result.
 */
export function policyAsScaffold(policy: NetworkPolicy): ScaffoldRequest | undefined {
  const [type, ...more] = policy.policyTypes;
  if (!type || more.length > 0) return undefined;
  const direction = type === 'Ingress' ? 'ingress' : 'egress';
  const [rule, ...rest] = policy[direction];
  if (!rule || rest.length > 0 || !exactLabels(policy.podSelector)) return undefined;
  if (!rule.ports.every(portArgumentCan)) return undefined;
  const peers = rule.peers.map(peerChoice);
  const selectorPeers = peers.filter((peer) => peer && !peer.ipBlock);
  const blockPeers = peers.filter((peer) => peer?.ipBlock);
  if (peers.includes(undefined) || selectorPeers.length > 1 || blockPeers.length > 1)
    return undefined;
  // The template writes its selector peer before its address block.
  const request: ScaffoldRequest = {
    kind: 'allow',
    namespace: policy.namespace,
    name: policy.name,
    direction,
    pods: policy.podSelector,
    peers: [...selectorPeers, ...blockPeers].filter((peer) => peer !== undefined),
    ports: rule.ports,
  };
  return sameManifests([scaffoldPolicy(request)], [policy]) ? request : undefined;
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

/**
 * The pod-side fix of a likely near miss: give the pod the label the selector wants (its own label
 * may be the typo). None when the pod merely lacks the label (the selector may be right), or when
 * the pod's name spells the value it has (the selector is the typo).
 */
export function podLabelFixes(miss: CandidateMiss, pod: ObjectRef | undefined): FixAction[] {
  const [value] = miss.values;
  if (!pod || !miss.likely || !miss.found || value === undefined) return [];
  if (nameBearsOut(pod.name, miss.found.value)) return [];
  return [{ kind: 'label-pod', pod, key: miss.key, value }];
}
