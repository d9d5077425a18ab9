import type { CalicoEntityRule } from '../model/calico-policy.js';
import type { CalicoSelector } from '../model/calico-selector.js';
import type { Labels, Pod } from '../model/types.js';
import {
  CALICO_NAME_LABEL,
  CALICO_SERVICE_ACCOUNT_LABEL,
  calicoInheritedLabels,
  calicoNameLabels,
  calicoPodLabels,
} from '../primitives/calico-labels.js';
import { calicoSelectorKeys, calicoSelectorMismatch } from '../primitives/calico-selector.js';
import {
  type CompiledIpBlock,
  compileIpBlock,
  type IpAddress,
  ipBlockVerdict,
} from '../primitives/ip-block.js';
import { podServiceAccount } from '../primitives/service-account.js';

/**
 * The conditions of one side of a Calico rule, ANDed: which endpoints (by their labels, their
 * namespace's labels) and which addresses it matches. A condition left unset matches anything.
 */
export interface CalicoEndpoints {
  /**
   * For a namespaced policy without namespaceSelector, once selector, notSelector or
   * serviceAccounts is set: the only namespace whose endpoints the side matches.
   */
  readonly namespace?: string;
  readonly selector?: CalicoSelector;
  readonly notSelector?: CalicoSelector;
  readonly namespaceSelector?: CalicoSelector;
  /** serviceAccounts.names: the endpoint's service account must be one of them. */
  readonly serviceAccountNames?: readonly string[];
  /**
   * serviceAccounts.selector, when it can be decided: the endpoint's service account must match
   * it (a selector on unknown ServiceAccount labels is left unevaluated).
   */
  readonly serviceAccountSelector?: CalicoSelector;
  readonly nets: readonly CompiledIpBlock[];
  readonly notNets: readonly CompiledIpBlock[];
}

/** Which condition of a Calico rule side failed, and why, in words. */
export interface CalicoConditionMiss {
  readonly condition:
    | 'selector'
    | 'notSelector'
    | 'namespaceSelector'
    | 'namespace'
    | 'serviceAccounts'
    | 'nets'
    | 'notNets';
  readonly reason: string;
}

/** The namespace labels of a pod whose namespace's are not known. */
const NO_LABELS: Labels = {};

/** Each pod's endpoint labels, by the namespace labels they were made with. */
const endpointLabels = new WeakMap<Pod, { readonly from: Labels; readonly labels: Labels }>();

/**
 * The labels Calico gives a pod's workload endpoint: its own, Calico's, its namespace's. Kept
 * per pod, as a walk over every pod per rule asks for them again and again.
 */
export function calicoEndpointLabels(pod: Pod, namespaceLabels: Labels): Labels {
  const kept = endpointLabels.get(pod);
  if (kept?.from === namespaceLabels) return kept.labels;
  const labels = calicoPodLabels(
    pod,
    { name: pod.namespace, labels: namespaceLabels },
    pod.serviceAccountLabels,
  );
  endpointLabels.set(pod, { from: namespaceLabels, labels });
  return labels;
}

/**
 * Whether the labels of every pod's ServiceAccount were read (hostNetwork pods are no Calico
 * workload endpoints): selectors on them can then be decided.
 */
export function calicoServiceAccountLabelsKnown(pods: readonly Pod[]): boolean {
  return pods.every((pod) => pod.hostNetwork || pod.serviceAccountLabels !== undefined);
}

/** The labels a Calico namespaceSelector sees on a namespace. */
export function calicoNamespaceLabels(namespace: string, labels: Labels): Labels {
  return calicoNameLabels({ name: namespace, labels });
}

/** The prefix of the labels a Calico endpoint inherits from its namespace. */
const NAMESPACE_LABEL_PREFIX = 'pcns.';

/** Whether a Calico selector reads a namespace's labels (those a pod inherits as `pcns.*`). */
export function calicoSelectorReadsNamespaceLabels(selector: CalicoSelector | undefined): boolean {
  return (
    selector !== undefined &&
    calicoSelectorKeys(selector).some((key) => key.startsWith(NAMESPACE_LABEL_PREFIX))
  );
}

/** How an unevaluated condition on ServiceAccount labels says why (after its field path). */
export const ACCOUNT_LABELS_NOT_READ = '(ServiceAccount labels not read)';

/**
 * Whether a selector on service accounts (serviceAccountSelector, serviceAccounts.selector) can
 * be decided: every pod's ServiceAccount labels are known (`labelsKnown`), or it reads no label
 * but `projectcalico.org/name`, the account's name, which spec.serviceAccountName gives.
 */
export function calicoServiceAccountSelectorDecidable(
  selector: CalicoSelector,
  labelsKnown: boolean,
): boolean {
  return labelsKnown || calicoSelectorKeys(selector).every((key) => key === CALICO_NAME_LABEL);
}

/**
 * Why a pod's service account fails a selector on service accounts, or undefined when it
 * matches. libcalico-go (updateprocessors/rules.go, parseServiceAccounts) prefixes the
 * selector's keys with `pcsa.` and matches it against the endpoint's labels: the same as the
 * selector against the labels the endpoint inherits from its account.
 */
export function calicoServiceAccountMismatch(
  selector: CalicoSelector,
  endpointLabels: Labels,
): string | undefined {
  return calicoSelectorMismatch(selector, calicoInheritedLabels(endpointLabels, 'serviceAccount'));
}

/**
 * Whether a Calico selector reads service account labels that are not known: `pcsa.*` when
 * not every ServiceAccount was read (`pcsa.projectcalico.org/name` is known from the pod).
 */
export function calicoSelectorReadsUnknownAccountLabels(
  selector: CalicoSelector | undefined,
  labelsKnown: boolean,
): boolean {
  return (
    !labelsKnown &&
    selector !== undefined &&
    calicoSelectorKeys(selector).some(
      (key) => key.startsWith('pcsa.') && key !== `pcsa.${CALICO_NAME_LABEL}`,
    )
  );
}

/** Whether a rule side's conditions read namespace labels: a namespaceSelector or `pcns.*`. */
export function calicoEndpointsReadNamespaceLabels(endpoints: CalicoEndpoints): boolean {
  return (
    endpoints.namespaceSelector !== undefined ||
    calicoSelectorReadsNamespaceLabels(endpoints.selector) ||
    calicoSelectorReadsNamespaceLabels(endpoints.notSelector)
  );
}

const block = (cidr: string) => compileIpBlock({ cidr, except: [] });

/**
 * Compiles a rule side's endpoint conditions; `policyNamespace` is a namespaced policy's (its
 * selector looks there unless a namespaceSelector says otherwise). Undefined when the side sets
 * none of them. Conditions on ServiceAccount labels are left out: the rule's unevaluated parts.
 */
export function compileCalicoEndpoints(
  side: CalicoEntityRule,
  policyNamespace: string | undefined,
  accountLabelsKnown: boolean,
): CalicoEndpoints | undefined {
  const { selector, notSelector, namespaceSelector, nets, notNets, serviceAccounts } = side;
  // An empty serviceAccounts (no names, no selector) selects nothing and scopes nothing.
  const accountsSet = (serviceAccounts?.names.length ?? 0) > 0 || serviceAccounts?.selector;
  const picksEndpoints = Boolean(selector || notSelector || accountsSet);
  if (!picksEndpoints && !namespaceSelector && nets.length + notNets.length === 0) {
    return undefined;
  }
  // libcalico-go (updateprocessors/rules.go, getEndpointSelector): in a namespaced policy, a
  // side setting selector, notSelector or serviceAccounts without namespaceSelector is limited
  // to the policy's namespace.
  const scoped = policyNamespace !== undefined && !namespaceSelector && picksEndpoints;
  const names = serviceAccounts?.names ?? [];
  const accountSelector = serviceAccounts?.selector;
  // A selector reading ServiceAccount labels is not decided here (the rule is uncertain).
  const decided = (s: CalicoSelector | undefined) =>
    s && !calicoSelectorReadsUnknownAccountLabels(s, accountLabelsKnown) ? s : undefined;
  const [endpointSelector, endpointNotSelector] = [decided(selector), decided(notSelector)];
  return {
    ...(scoped ? { namespace: policyNamespace } : {}),
    ...(endpointSelector ? { selector: endpointSelector } : {}),
    ...(endpointNotSelector ? { notSelector: endpointNotSelector } : {}),
    ...(namespaceSelector ? { namespaceSelector } : {}),
    ...(names.length > 0 ? { serviceAccountNames: names } : {}),
    ...(accountSelector &&
    calicoServiceAccountSelectorDecidable(accountSelector, accountLabelsKnown)
      ? { serviceAccountSelector: accountSelector }
      : {}),
    nets: nets.map(block),
    notNets: notNets.map(block),
  };
}

/**
 * Whether an endpoint's address lies in a CIDR: `maybe` when the address is not known (a pod's
 * unknown IP, a host name's address) and the CIDR holds only part of where it may lie.
 */
export type CalicoNetVerdict = 'inside' | 'outside' | 'maybe';

/** Where an endpoint's address lies, as the nets and notNets conditions ask it. */
export interface CalicoAddressView {
  readonly verdict: (block: CompiledIpBlock) => CalicoNetVerdict;
  /**
   * How a `maybe` is taken: true, as the address lying where the conditions hold (the side may
   * match); false, where they fail (it surely matches).
   */
  readonly optimistic: boolean;
  /** How the address is named in a reason ("address", "the pod's unknown IP"). */
  readonly name: string;
}

/** The address view of known addresses: a CIDR holds the endpoint if it holds one of them. */
export function knownAddresses(addresses: readonly IpAddress[]): CalicoAddressView {
  return {
    verdict: (b) =>
      addresses.some((a) => ipBlockVerdict(b, a).kind === 'inside') ? 'inside' : 'outside',
    optimistic: false,
    name: 'address',
  };
}

/** The other side of a connection as Calico's conditions see it. */
interface CalicoEndpointView {
  /** A pod's workload endpoint; undefined for an address outside the pods or a hostNetwork pod. */
  readonly pod?: Pod;
  readonly namespaceLabels?: Labels;
  readonly address: CalicoAddressView;
}

/** Whether the nets (`required`) or notNets condition holds for the address. */
function netsHold(
  blocks: readonly CompiledIpBlock[],
  address: CalicoAddressView,
  required: boolean,
): boolean {
  const verdicts = blocks.map(address.verdict);
  if (verdicts.includes('inside')) return required;
  if (verdicts.includes('maybe')) return address.optimistic;
  return !required;
}

const cidrList = (blocks: readonly CompiledIpBlock[]) => blocks.map((b) => b.block.cidr).join(', ');

/** Why a rule side's conditions do not match an endpoint, or undefined when they all hold. */
export function calicoEndpointsMiss(
  endpoints: CalicoEndpoints,
  view: CalicoEndpointView,
): CalicoConditionMiss | undefined {
  const { pod } = view;
  const labels = pod ? calicoEndpointLabels(pod, view.namespaceLabels ?? NO_LABELS) : undefined;
  if (endpoints.namespace !== undefined) {
    if (!pod) {
      return {
        condition: 'namespace',
        reason: `not a Calico workload endpoint of the policy's namespace ${endpoints.namespace}`,
      };
    }
    if (pod.namespace !== endpoints.namespace) {
      return {
        condition: 'namespace',
        reason: `in namespace ${pod.namespace}, not the policy's ${endpoints.namespace}`,
      };
    }
  }
  if (endpoints.selector) {
    if (!pod || !labels) return { condition: 'selector', reason: 'not a Calico workload endpoint' };
    const reason = calicoSelectorMismatch(endpoints.selector, labels);
    if (reason) return { condition: 'selector', reason };
  }
  if (endpoints.namespaceSelector) {
    if (!pod) return { condition: 'namespaceSelector', reason: 'not a Calico workload endpoint' };
    const nsLabels = calicoNamespaceLabels(pod.namespace, view.namespaceLabels ?? {});
    const reason = calicoSelectorMismatch(endpoints.namespaceSelector, nsLabels);
    if (reason)
      return { condition: 'namespaceSelector', reason: `namespace ${pod.namespace}: ${reason}` };
  }
  if (endpoints.serviceAccountNames) {
    if (!pod) return { condition: 'serviceAccounts', reason: 'not a Calico workload endpoint' };
    // Calico matches names on the endpoint's service account label (absent for a name too long
    // for a label value).
    const account = labels?.[CALICO_SERVICE_ACCOUNT_LABEL];
    if (account === undefined || !endpoints.serviceAccountNames.includes(account)) {
      return {
        condition: 'serviceAccounts',
        reason: `service account ${podServiceAccount(pod)} is not ${endpoints.serviceAccountNames.join(', ')}`,
      };
    }
  }
  if (endpoints.serviceAccountSelector) {
    if (!pod || !labels) {
      return { condition: 'serviceAccounts', reason: 'not a Calico workload endpoint' };
    }
    const reason = calicoServiceAccountMismatch(endpoints.serviceAccountSelector, labels);
    if (reason) {
      return {
        condition: 'serviceAccounts',
        reason: `service account ${podServiceAccount(pod)}: ${reason}`,
      };
    }
  }
  if (endpoints.notSelector && pod && labels) {
    if (!calicoSelectorMismatch(endpoints.notSelector, labels)) {
      return { condition: 'notSelector', reason: 'the endpoint matches notSelector' };
    }
  }
  const { address } = view;
  const may = (blocks: readonly CompiledIpBlock[]) =>
    blocks.map(address.verdict).includes('maybe') ? ' may lie' : '';
  const { nets, notNets } = endpoints;
  if (nets.length > 0 && !netsHold(nets, address, true)) {
    return { condition: 'nets', reason: `${address.name}${may(nets)} not in ${cidrList(nets)}` };
  }
  if (notNets.length > 0 && !netsHold(notNets, address, false)) {
    return {
      condition: 'notNets',
      reason: `${address.name}${may(notNets)} in ${cidrList(notNets)}`,
    };
  }
  return undefined;
}
