import {
  CALICO_ADMIN_TIER_ORDER,
  CALICO_BASELINE_TIER_ORDER,
  CALICO_DEFAULT_TIER,
  CALICO_DEFAULT_TIER_ORDER,
  CALICO_KUBERNETES_POLICY_ORDER,
  type CalicoAction,
  type CalicoPolicy,
  type CalicoTier,
  calicoKubernetesPolicyName,
  calicoPolicyName,
  stagedKubernetesPolicyName,
} from '../model/calico-policy.js';
import type { Cluster, Labels, NetworkPolicy, Pod } from '../model/types.js';
import { calicoSelectorMatches } from '../primitives/calico-selector.js';
import { parseIpAddress } from '../primitives/ip-block.js';
import {
  ACCOUNT_LABELS_NOT_READ,
  calicoEndpointLabels,
  calicoEndpointsMiss,
  calicoEndpointsReadNamespaceLabels,
  calicoNamespaceLabels,
  calicoSelectorReadsNamespaceLabels,
  calicoSelectorReadsUnknownAccountLabels,
  calicoServiceAccountLabelsKnown,
  calicoServiceAccountMismatch,
  calicoServiceAccountSelectorDecidable,
  knownAddresses,
} from './calico-endpoints.js';
import {
  type CompiledCalicoPolicy,
  type CompiledCalicoRule,
  compileCalicoPolicy,
} from './calico-rules.js';
import type { ChainRule, PluginTiers, RuleAction, TierName } from './chains.js';
import type { CompiledPolicy, Direction } from './compile-policy.js';
import { hasCalicoPolicies } from './plugin-presence.js';
import type { UndecidedLayer } from './undecided.js';

/** Whether a Calico policy applies to a pod in a direction (enforced or previewed). */
function calicoPolicyApplies(
  compiled: CompiledCalicoPolicy,
  pod: Pod,
  namespaceLabels: Labels,
  direction: Direction,
  accountLabelsKnown: boolean,
): boolean {
  const { policy } = compiled;
  if (pod.hostNetwork || policy.outOfScope.length > 0) return false;
  if (!policy.types.includes(direction === 'ingress' ? 'Ingress' : 'Egress')) return false;
  if (policy.namespace !== undefined && policy.namespace !== pod.namespace) return false;
  if (
    policy.namespaceSelector &&
    !calicoSelectorMatches(
      policy.namespaceSelector,
      calicoNamespaceLabels(pod.namespace, namespaceLabels),
    )
  ) {
    return false;
  }
  const labels = calicoEndpointLabels(pod, namespaceLabels);
  const accounts = policy.serviceAccountSelector;
  if (
    accounts &&
    calicoServiceAccountSelectorDecidable(accounts, accountLabelsKnown) &&
    calicoServiceAccountMismatch(accounts, labels) !== undefined
  ) {
    return false;
  }
  return calicoSelectorMatches(policy.selector, labels);
}

/**
 * Whether which pods a Calico policy applies to, or which of its rules hold for them, depends on
 * namespace labels: its namespaceSelector, `pcns.*` in its selector, or a rule's conditions on
 * the endpoint it applies to.
 */
function subjectReadsNamespaceLabels(compiled: CompiledCalicoPolicy): boolean {
  const { policy } = compiled;
  return (
    policy.namespaceSelector !== undefined ||
    calicoSelectorReadsNamespaceLabels(policy.selector) ||
    [...compiled.ingress, ...compiled.egress].some(
      (rule) => rule.local !== undefined && calicoEndpointsReadNamespaceLabels(rule.local),
    )
  );
}

/** Whether a Calico policy could apply to a pod whatever the labels of its namespace. */
function mayApply(compiled: CompiledCalicoPolicy, pod: Pod, direction: Direction): boolean {
  const { policy } = compiled;
  return (
    !pod.hostNetwork &&
    policy.outOfScope.length === 0 &&
    policy.types.includes(direction === 'ingress' ? 'Ingress' : 'Egress') &&
    (policy.namespace === undefined || policy.namespace === pod.namespace)
  );
}

/** A tier as a chain orders it. */
interface TierPlace {
  readonly name: string;
  readonly order: number;
}

const orderOf = (order: number | undefined) => order ?? Number.POSITIVE_INFINITY;
const byOrderThenName = (a: TierPlace, b: TierPlace) =>
  a.order - b.order || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The tiers of a Calico cluster, by name: those read, and the default one Calico always has. */
function calicoTierTable(tiers: readonly CalicoTier[]): ReadonlyMap<string, CalicoTier> {
  const table = new Map<string, CalicoTier>([
    [
      CALICO_DEFAULT_TIER,
      { name: CALICO_DEFAULT_TIER, order: CALICO_DEFAULT_TIER_ORDER, defaultAction: 'Deny' },
    ],
  ]);
  for (const tier of tiers) table.set(tier.name, tier);
  return table;
}

/**
 * Whether a Calico tier's end, or a policy of it (its order and name), comes before the
 * Kubernetes NetworkPolicies in Calico's order: those sit in the default tier as
 * knp.default.NAME at order 1,000.
 */
export function calicoBeforeNetworkPolicies(
  tiers: readonly CalicoTier[],
): (tier: string, policy?: { readonly order?: number; readonly name: string }) => boolean {
  const table = calicoTierTable(tiers);
  const place = (name: string): TierPlace => ({ name, order: orderOf(table.get(name)?.order) });
  const defaultTier = place(CALICO_DEFAULT_TIER);
  const networkPolicies = { name: 'knp.default.', order: CALICO_KUBERNETES_POLICY_ORDER };
  return (tier, policy) =>
    tier === CALICO_DEFAULT_TIER && policy
      ? byOrderThenName({ name: policy.name, order: orderOf(policy.order) }, networkPolicies) < 0
      : byOrderThenName(place(tier), defaultTier) < 0;
}

const ACTION: Readonly<Record<Exclude<CalicoAction, 'Log'>, RuleAction>> = {
  Allow: 'accept',
  Deny: 'deny',
  Pass: 'pass',
};

/** What governs one pod in one direction on a Calico cluster, before tiers are merged. */
interface CalicoSide {
  /** The pod; undefined for addresses outside the pods, which no Calico policy applies to. */
  readonly pod?: Pod;
  readonly namespaceLabels: Labels;
  /** The Calico policies applying to it (previewed staged ones included when asked). */
  readonly policies: readonly CompiledCalicoPolicy[];
  /** The NetworkPolicies selecting it in this direction, rules of the default tier. */
  readonly networkPolicies: readonly CompiledPolicy[];
}

/** A policy of a tier in evaluation order: Calico's, or a Kubernetes NetworkPolicy. */
type TierMember =
  | {
      readonly kind: 'calico';
      readonly sortName: string;
      readonly order: number;
      readonly policy: CompiledCalicoPolicy;
    }
  | {
      readonly kind: 'kubernetes';
      readonly sortName: string;
      readonly order: number;
      readonly policy: CompiledPolicy;
    };

/**
 * Whether a rule's conditions on the endpoint the policy applies to hold for this pod: `maybe`
 * when only its nets or notNets could tell, and the pod's IP is unknown.
 */
function localHolds(rule: CompiledCalicoRule, side: CalicoSide): 'yes' | 'no' | 'maybe' {
  if (!rule.local || !side.pod) return 'yes';
  const addresses = side.pod.ips.flatMap((ip) => parseIpAddress(ip) ?? []);
  const view = { pod: side.pod, namespaceLabels: side.namespaceLabels };
  if (addresses.length > 0 || rule.local.nets.length + rule.local.notNets.length === 0) {
    const miss = calicoEndpointsMiss(rule.local, { ...view, address: knownAddresses(addresses) });
    return miss ? 'no' : 'yes';
  }
  const unknownIp = { verdict: () => 'maybe' as const, optimistic: true, name: 'the pod IP' };
  return calicoEndpointsMiss(rule.local, { ...view, address: unknownIp }) ? 'no' : 'maybe';
}

/**
 * The rules of the Calico tiers governing a side, in Calico's order: tiers by order (then name),
 * the Admin tier of ClusterNetworkPolicies at order 1,000 and the Baseline tier at 10,000,000,
 * as Calico places them; in a tier, policies by order (none: last), then name; each rule its own
 * rank (the first that matches decides); Log rules go on; at the end of a tier some policy of
 * which applies, its default action (Deny, or Pass to the next tier). A rule with conditions the
 * engine does not evaluate is `uncertain`.
 */
function calicoChainRules(
  side: CalicoSide,
  direction: Direction,
  tiers: ReadonlyMap<string, CalicoTier>,
  admin: readonly ChainRule[],
  baseline: readonly ChainRule[],
): ChainRule[] {
  const members = new Map<string, TierMember[]>();
  const add = (tier: string, member: TierMember) =>
    members.set(tier, [...(members.get(tier) ?? []), member]);
  for (const policy of side.policies) {
    add(policy.policy.tier, {
      kind: 'calico',
      sortName: policy.policy.name,
      order: orderOf(policy.policy.order),
      policy,
    });
  }
  for (const policy of side.networkPolicies) {
    add(CALICO_DEFAULT_TIER, {
      kind: 'kubernetes',
      // Calico names them knp.default.NAME; their rules all allow, so among themselves they keep
      // the input's order (as explanations list them) and sort as one block.
      sortName: 'knp.default.',
      order: CALICO_KUBERNETES_POLICY_ORDER,
      policy,
    });
  }
  const blocks: { place: TierPlace; rules: Omit<ChainRule, 'rank'>[] }[] = [
    { place: { name: 'kube-admin', order: CALICO_ADMIN_TIER_ORDER }, rules: [...admin] },
    { place: { name: 'kube-baseline', order: CALICO_BASELINE_TIER_ORDER }, rules: [...baseline] },
  ];
  for (const [name, tierMembers] of members) {
    const tier = tiers.get(name) ?? { name, defaultAction: 'Deny' as const };
    const tierName: TierName = `calico:${name}`;
    tierMembers.sort(
      (a, b) =>
        a.order - b.order || (a.sortName < b.sortName ? -1 : a.sortName > b.sortName ? 1 : 0),
    );
    const rules = tierMembers.flatMap((member): Omit<ChainRule, 'rank'>[] => {
      if (member.kind === 'kubernetes') {
        const policy = member.policy;
        return (direction === 'ingress' ? policy.ingress : policy.egress).map((rule) => ({
          tier: tierName,
          action: 'accept',
          namespace: policy.ref.namespace,
          peers: rule.peers,
          ports: rule.ports,
          origin: { kind: 'networkpolicy-rule', policy, rule },
        }));
      }
      const policy = member.policy;
      return (direction === 'ingress' ? policy.ingress : policy.egress).flatMap((rule) => {
        if (rule.action === 'Log' || !rule.matchesAny) return [];
        const local = localHolds(rule, side);
        if (local === 'no') return [];
        // A pod whose IP is unknown may or may not meet the rule's nets on its own side.
        const localSide = direction === 'ingress' ? 'destination' : 'source';
        const parts = [
          ...rule.unevaluated,
          ...(local === 'maybe' ? [`${localSide}.nets of a pod whose IP is unknown`] : []),
        ];
        // The rule's conditions are ANDed: the parts the engine decides may already miss (then
        // it surely does not match); else it may or may not, which the chain's readings weigh.
        const uncertain: UndecidedLayer | undefined =
          parts.length > 0
            ? { kind: 'calico-unevaluated', policy: policy.name, ruleIndex: rule.index, parts }
            : undefined;
        return [
          {
            tier: tierName,
            action: ACTION[rule.action],
            namespace: policy.policy.namespace ?? '',
            peers: rule.peers,
            ports: rule.ports,
            origin: { kind: 'calico-rule', policy, rule },
            ...(uncertain ? { uncertain } : {}),
          },
        ];
      });
    });
    rules.push({
      tier: tierName,
      action: tier.defaultAction === 'Deny' ? 'deny' : 'pass',
      namespace: '',
      peers: [],
      ports: [],
      origin: {
        kind: 'calico-tier-end',
        tier: name,
        defaultAction: tier.defaultAction,
        policies: tierMembers.map((m) =>
          m.kind === 'calico' ? m.policy.name : calicoKubernetesPolicyName(m.policy.ref),
        ),
      },
    });
    blocks.push({ place: { name, order: orderOf(tier.order) }, rules });
  }
  blocks.sort((a, b) => byOrderThenName(a.place, b.place));
  let rank = 0;
  return blocks.flatMap((block) => block.rules.map((rule) => ({ ...rule, rank: rank++ })));
}

/** The Calico layer of an analysis: the policies enforced and which apply to each pod. */
export interface CalicoChains extends PluginTiers {
  readonly policies: readonly CompiledCalicoPolicy[];
}

/**
 * How Calico's policies take part in an analysis: `enforced` (the plugin is Calico), `assumed`
 * (the plugin is not known and only Calico's policies are present), `ignored` (another plugin),
 * `undecided` (not known, and another plugin's policies are present too), or `absent`.
 */
export type CalicoLayerMode = 'enforced' | 'assumed' | 'ignored' | 'undecided' | 'absent';

/** How Calico's policies take part, from the plugin detected and the objects present. */
export function calicoLayerMode(
  cluster: Pick<Cluster, 'calicoPolicies' | 'stagedKubernetesPolicies'>,
  plugin: 'cilium' | 'calico' | 'other' | undefined,
  otherPluginPolicies: boolean,
): CalicoLayerMode {
  if (!hasCalicoPolicies(cluster)) return 'absent';
  if (plugin === 'calico') return 'enforced';
  if (plugin !== undefined) return 'ignored';
  return otherPluginPolicies ? 'undecided' : 'assumed';
}

/** The enforced Calico policies, with the staged ones named in `preview` turned real. */
export function policiesInForce(
  policies: readonly CalicoPolicy[],
  preview: readonly string[],
): CalicoPolicy[] {
  const previewed = policies.filter((p) => p.staged && preview.includes(calicoPolicyName(p)));
  // A staged Delete previews the enforced policy of the same kind and name gone.
  const deleted = new Set(
    previewed
      .filter((p) => p.stagedAction === 'Delete')
      .map((p) =>
        calicoPolicyName({ ...p, kind: p.kind.replace('Staged', '') as CalicoPolicy['kind'] }),
      ),
  );
  return [
    ...policies.filter((p) => !p.staged && !deleted.has(calicoPolicyName(p))),
    ...previewed.filter((p) => p.stagedAction !== 'Delete').map((p) => ({ ...p, staged: false })),
  ];
}

/**
 * The cluster with the staged Kubernetes policies named in `preview` committed, as Calico would:
 * Set puts its NetworkPolicy in place of the one of the same name, Delete removes that one.
 */
export function withStagedKubernetesPolicies(
  cluster: Cluster,
  preview: readonly string[],
): Cluster {
  const previewed = (cluster.stagedKubernetesPolicies ?? []).filter((staged) =>
    preview.includes(stagedKubernetesPolicyName(staged)),
  );
  if (previewed.length === 0) return cluster;
  const key = (policy: NetworkPolicy) => `${policy.namespace}/${policy.name}`;
  const replaced = new Set(previewed.map((staged) => key(staged.policy)));
  return {
    ...cluster,
    policies: [
      ...cluster.policies.filter((policy) => !replaced.has(key(policy))),
      ...previewed.filter((s) => s.stagedAction === 'Set').map((staged) => staged.policy),
    ],
  };
}

/**
 * Compiles the Calico layer: which policies apply to each pod in each direction, and each side's
 * rules with the cluster policy tiers placed among Calico's; `undecided` makes the sides Calico
 * policies govern UNKNOWN, `namespaceLabelsUnread` those whose policies depend on namespace labels
 * that could not be read.
 */
export function calicoChains(
  policies: readonly CalicoPolicy[],
  tiers: readonly CalicoTier[],
  pods: readonly Pod[],
  namespaceLabels: (namespace: string) => Labels,
  undecided: readonly UndecidedLayer[],
  namespaceLabelsUnread: readonly UndecidedLayer[] = [],
): CalicoChains {
  const accountLabelsKnown = calicoServiceAccountLabelsKnown(pods);
  const compiled = policies.map((policy, id) =>
    compileCalicoPolicy(policy, id, accountLabelsKnown),
  );
  const tierTable = calicoTierTable(tiers);
  const appliesTo = (direction: Direction) =>
    pods.map((pod) =>
      compiled
        .filter((p) =>
          calicoPolicyApplies(
            p,
            pod,
            namespaceLabels(pod.namespace),
            direction,
            accountLabelsKnown,
          ),
        )
        .map((p) => p.id),
    );
  const applying = { ingress: appliesTo('ingress'), egress: appliesTo('egress') };
  return {
    policies: compiled,
    applying,
    rulesOf: (direction, selecting, admin, baseline, podIdx) => {
      const pod = podIdx === undefined ? undefined : pods[podIdx];
      const ids = podIdx === undefined ? [] : (applying[direction][podIdx] ?? []);
      const governing = ids.map((id) => compiled[id] as CompiledCalicoPolicy);
      const side = {
        ...(pod ? { pod } : {}),
        namespaceLabels: pod ? namespaceLabels(pod.namespace) : {},
        policies: governing,
        networkPolicies: selecting,
      };
      const rules = calicoChainRules(side, direction, tierTable, admin, baseline);
      // A spec.serviceAccountSelector on more than the account's name, and pcsa.* in spec.selector,
      // need ServiceAccount labels (unread). Whether such a policy applies to the pod cannot be
      // told (it is in `governing` as though its serviceAccountSelector matched; with pcsa.* its
      // selector may match).
      const accountSelected = compiled.flatMap((p): UndecidedLayer[] => {
        const readsLabels =
          pod !== undefined &&
          calicoSelectorReadsUnknownAccountLabels(p.policy.selector, accountLabelsKnown) &&
          mayApply(p, pod, direction);
        const parts = [
          ...(p.policy.serviceAccountSelector &&
          !calicoServiceAccountSelectorDecidable(
            p.policy.serviceAccountSelector,
            accountLabelsKnown,
          ) &&
          governing.includes(p)
            ? [`spec.serviceAccountSelector ${ACCOUNT_LABELS_NOT_READ}`]
            : []),
          ...(readsLabels ? [`spec.selector ${ACCOUNT_LABELS_NOT_READ}`] : []),
        ];
        return parts.length > 0 ? [{ kind: 'calico-unevaluated', policy: p.name, parts }] : [];
      });
      const namespaceDependent =
        pod !== undefined &&
        compiled.some((p) => subjectReadsNamespaceLabels(p) && mayApply(p, pod, direction));
      return {
        rules,
        undecided: [
          ...accountSelected,
          ...(governing.length > 0 ? undecided : []),
          ...(namespaceDependent ? namespaceLabelsUnread : []),
        ],
      };
    },
  };
}
