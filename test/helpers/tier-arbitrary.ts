/**
 * fast-check generators of clusters whose pods other tiers than NetworkPolicy tell apart within
 * one namespace and labels: Calico policies with nets, notNets and serviceAccounts, Cilium
 * policies with CIDR and service account peers, ClusterNetworkPolicies with networks peers.
 */
import fc from 'fast-check';
import type {
  CalicoEntityRule,
  CalicoPolicy,
  CalicoRule,
} from '../../src/engine/model/calico-policy.js';
import type { CalicoSelector } from '../../src/engine/model/calico-selector.js';
import type { CiliumPolicy, CiliumRule } from '../../src/engine/model/cilium-policy.js';
import type {
  ClusterNetworkPolicy,
  ClusterPolicyRule,
} from '../../src/engine/model/cluster-policy.js';
import type {
  Cluster,
  LabelSelector,
  NetworkPolicy,
  Pod,
  PolicyPeer,
} from '../../src/engine/model/types.js';

/**
 * CIDRs that hold some generated pods and not others of the same labels (pod i has 10.0.(i%2).
 * (i+1) unless IPv6-only, and fd00::(i+1) when dual-stack or IPv6-only).
 */
const NETS = [
  '10.0.0.0/24',
  '10.0.1.0/24',
  '10.0.0.0/30',
  '10.0.0.3/32',
  'fd00::/64',
  'fd00::4/126',
];
const ACCOUNTS = ['a', 'b'];

const calicoSelectorArb: fc.Arbitrary<CalicoSelector> = fc.oneof(
  fc.constant({ kind: 'all' } as const),
  fc
    .constantFrom('web', 'db')
    .map((value) => ({ kind: 'compare', key: 'app', operator: '==', value }) as const),
  fc.constant({ kind: 'has', key: 'tier' } as const),
);

/** Mostly Deny: a rule denying some alike pods and not others is what splits them. */
const ACTION_ARB = fc.oneof(
  { weight: 3, arbitrary: fc.constant('Deny' as const) },
  { weight: 1, arbitrary: fc.constantFrom('Allow' as const, 'Pass' as const) },
);

const EMPTY_SIDE: CalicoEntityRule = { nets: [], notNets: [], ports: [], notPorts: [] };

/** One side of a Calico rule; the sides a policy applies to are mostly left empty. */
function calicoSideArb(weightEmpty: number): fc.Arbitrary<CalicoEntityRule> {
  const written = fc.record(
    {
      selector: calicoSelectorArb,
      nets: fc.subarray(NETS, { maxLength: 2 }),
      // Up to two: a notNets of both families fails a dual-stack pod by either address.
      notNets: fc.subarray(NETS, { maxLength: 2 }),
      ports: fc.constant([]),
      notPorts: fc.constant([]),
      serviceAccounts: fc.subarray(ACCOUNTS, { minLength: 1 }).map((names) => ({ names })),
    },
    { requiredKeys: ['nets', 'notNets', 'ports', 'notPorts'] },
  );
  return fc.oneof(
    { weight: weightEmpty, arbitrary: fc.constant(EMPTY_SIDE) },
    { weight: 3, arbitrary: written },
  );
}

/**
 * A Calico policy's rules of one direction: one or two whose other side is written (each may
 * match a dual-stack pod over one family alone), often followed by an Allow of everything, so
 * that the first decide some pods alike by labels and not others.
 */
function calicoRulesArb(direction: 'ingress' | 'egress'): fc.Arbitrary<CalicoRule[]> {
  const written = fc.record({
    action: ACTION_ARB,
    peer: calicoSideArb(1),
    local: calicoSideArb(4),
  });
  const rules = fc.record({
    written: fc.array(written, { minLength: 1, maxLength: 2 }),
    allowRest: fc.oneof(
      { weight: 3, arbitrary: fc.constant(true) },
      { weight: 1, arbitrary: fc.constant(false) },
    ),
  });
  return rules.map(({ written, allowRest }) =>
    [
      ...written,
      ...(allowRest ? [{ action: 'Allow' as const, peer: EMPTY_SIDE, local: EMPTY_SIDE }] : []),
    ].map((rule, index) => ({
      index,
      action: rule.action,
      source: direction === 'ingress' ? rule.peer : rule.local,
      destination: direction === 'ingress' ? rule.local : rule.peer,
      unevaluated: [],
    })),
  );
}

function calicoPolicyArb(namespaces: readonly string[], name: string): fc.Arbitrary<CalicoPolicy> {
  return fc
    .record({
      namespace: fc.option(fc.constantFrom(...namespaces), { nil: undefined }),
      order: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
      selector: calicoSelectorArb,
      byAccount: fc.boolean(),
      types: fc.subarray(['Ingress', 'Egress'] as const, { minLength: 1 }),
      ingress: calicoRulesArb('ingress'),
      egress: calicoRulesArb('egress'),
    })
    .map(({ namespace, order, byAccount, types, ingress, egress, selector }) => ({
      kind: namespace === undefined ? 'GlobalNetworkPolicy' : 'NetworkPolicy',
      apiVersion: 'projectcalico.org/v3',
      ...(namespace === undefined ? {} : { namespace }),
      name,
      tier: 'default',
      ...(order === undefined ? {} : { order }),
      selector,
      ...(byAccount
        ? {
            serviceAccountSelector: {
              kind: 'compare',
              key: 'projectcalico.org/name',
              operator: '==',
              value: 'a',
            } as const,
          }
        : {}),
      types: [...types],
      ingress: types.includes('Ingress') ? ingress : [],
      egress: types.includes('Egress') ? egress : [],
      staged: false,
      outOfScope: [],
    }));
}

const ciliumSelectorArb: fc.Arbitrary<LabelSelector> = fc
  .constantFrom<Record<string, string>>(
    {},
    { app: 'web' },
    { 'io.cilium.k8s.policy.serviceaccount': 'a' },
    { 'io.cilium.k8s.policy.serviceaccount': 'b' },
  )
  .map((matchLabels) => ({ matchLabels, matchExpressions: [] }));

/** Rules of one Cilium list: by endpoint labels (the service account's among them) or CIDR. */
function ciliumRulesArb(namespace: string): fc.Arbitrary<CiliumRule[]> {
  const rule = fc.oneof(
    ciliumSelectorArb.map((selector) => ({
      endpoints: [{ selector, namespace }],
      entities: [],
      cidrs: [],
    })),
    fc
      .constantFrom(...NETS)
      .map((cidr) => ({ endpoints: [], entities: [], cidrs: [{ cidr, except: [] }] })),
    fc.constant({ endpoints: [], entities: ['all' as const], cidrs: [] }),
  );
  return fc.array(rule, { maxLength: 2 }).map((rules) =>
    rules.map((peers, index) => ({
      index,
      ...peers,
      services: [],
      fqdns: [],
      ports: [],
      hasPeers: true,
      icmps: false,
      namesSctp: false,
      unsupported: [],
      shapes: [],
    })),
  );
}

function ciliumPolicyArb(namespaces: readonly string[], name: string): fc.Arbitrary<CiliumPolicy> {
  return fc.constantFrom(...namespaces).chain((namespace) =>
    fc
      .record({
        endpointSelector: ciliumSelectorArb,
        ingress: ciliumRulesArb(namespace),
        egress: ciliumRulesArb(namespace),
        egressDeny: ciliumRulesArb(namespace),
      })
      .map((spec) => ({
        kind: 'CiliumNetworkPolicy',
        namespace,
        name,
        specs: [{ ...spec, enableDefaultDeny: {} }],
      })),
  );
}

const EVERY_NAMESPACE: LabelSelector = { matchLabels: {}, matchExpressions: [] };

function clusterPolicyArb(name: string, priority: number): fc.Arbitrary<ClusterNetworkPolicy> {
  const action = ACTION_ARB.map((a) => (a === 'Allow' ? ('Accept' as const) : a));
  const podsPeer = { kind: 'pods', namespaceSelector: EVERY_NAMESPACE } as const;
  const egress: fc.Arbitrary<ClusterPolicyRule> = fc.record({
    action,
    peers: fc.oneof(
      fc
        .subarray(NETS, { minLength: 1, maxLength: 2 })
        .map((cidrs) => [{ kind: 'networks', cidrs } as const]),
      fc.constant([podsPeer]),
    ),
    ports: fc.constant([]),
  });
  const ingress: fc.Arbitrary<ClusterPolicyRule> = fc.record({
    action,
    peers: fc.constant([podsPeer]),
    ports: fc.constant([]),
  });
  return fc.record({
    name: fc.constant(name),
    kind: fc.constant('ClusterNetworkPolicy' as const),
    tier: fc.constantFrom('Admin' as const, 'Baseline' as const),
    priority: fc.constant(priority),
    subject: fc.constantFrom(
      { namespaceSelector: EVERY_NAMESPACE },
      {
        namespaceSelector: EVERY_NAMESPACE,
        podSelector: { matchLabels: { app: 'web' }, matchExpressions: [] },
      },
    ),
    ingress: fc.array(ingress, { maxLength: 1 }),
    egress: fc.array(egress, { maxLength: 2 }),
  });
}

const APP_SELECTORS: LabelSelector[] = [
  EVERY_NAMESPACE,
  { matchLabels: { app: 'web' }, matchExpressions: [] },
  { matchLabels: { app: 'db' }, matchExpressions: [] },
];

/** ipBlocks that hold a dual-stack pod by the address of one family only, some by except. */
const IP_BLOCKS = [
  { cidr: '10.0.0.0/16', except: ['10.0.0.0/30'] },
  { cidr: 'fd00::/64', except: ['fd00::4/126'] },
  { cidr: '0.0.0.0/0', except: ['10.0.1.0/24'] },
];

/**
 * A NetworkPolicy of one direction whose one rule opens every port to pods by label, in its
 * namespace or in all, and maybe to an ipBlock: the one-sided check judges such rules, and the
 * other side is left to the tiers (and to the blocks of other NetworkPolicies).
 */
function networkPolicyArb(namespaces: readonly string[], name: string) {
  return fc
    .record({
      namespace: fc.constantFrom(...namespaces),
      podSelector: fc.constantFrom(...APP_SELECTORS),
      peerPods: fc.constantFrom(...APP_SELECTORS),
      everyNamespace: fc.boolean(),
      direction: fc.constantFrom('Ingress' as const, 'Egress' as const),
      ipBlock: fc.option(fc.constantFrom(...IP_BLOCKS), { nil: undefined }),
    })
    .map(
      ({ namespace, podSelector, peerPods, everyNamespace, direction, ipBlock }): NetworkPolicy => {
        const peer: PolicyPeer = everyNamespace
          ? { podSelector: peerPods, namespaceSelector: EVERY_NAMESPACE }
          : { podSelector: peerPods };
        const rules = [{ peers: ipBlock ? [peer, { ipBlock }] : [peer], ports: [] }];
        return {
          namespace,
          name,
          podSelector,
          policyTypes: [direction],
          ingress: direction === 'Ingress' ? rules : [],
          egress: direction === 'Egress' ? rules : [],
        };
      },
    );
}

/**
 * Pods of namespace x alike in labels, addresses (10.0.(i%2).(i+1), fd00::(i+1)) apart: IPv4,
 * dual-stack, IPv6-only or not known.
 */
const podsArb: fc.Arbitrary<Pod[]> = fc
  .array(
    fc.record({
      app: fc.constantFrom('web', 'db'),
      address: fc.oneof(
        { weight: 4, arbitrary: fc.constant('v4' as const) },
        { weight: 4, arbitrary: fc.constant('dual' as const) },
        { weight: 1, arbitrary: fc.constant('v6' as const) },
        { weight: 1, arbitrary: fc.constant('none' as const) },
      ),
      account: fc.constantFrom(undefined, ...ACCOUNTS),
    }),
    { minLength: 3, maxLength: 8 },
  )
  .map((shapes) =>
    shapes.map(({ app, address, account }, i) => {
      const v4 = `10.0.${i % 2}.${i + 1}`;
      const v6 = `fd00::${i + 1}`;
      const ips = { v4: [v4], dual: [v4, v6], v6: [v6], none: [] }[address];
      return {
        id: `x/p${i}`,
        namespace: 'x',
        name: `p${i}`,
        kind: 'Pod',
        labels: { app },
        ips,
        hostNetwork: false,
        ports: [],
        ...(account === undefined ? {} : { serviceAccount: account }),
      };
    }),
  );

/**
 * Pods of one namespace alike by labels (one of two values) but not by address or service
 * account, with 1-2 NetworkPolicies of one rule, one plugin's policies (Calico or Cilium, not
 * both: each alone is in force) and ClusterNetworkPolicies of distinct priorities.
 */
export function tieredClusterArb(): fc.Arbitrary<Cluster> {
  const names = ['x'];
  const count = (max: number) => fc.integer({ min: 1, max });
  const plugin = fc.oneof(
    count(2)
      .chain((n) =>
        fc.tuple(...Array.from({ length: n }, (_, i) => calicoPolicyArb(names, `c${i}`))),
      )
      .map((calicoPolicies) => ({ calicoPolicies })),
    count(2)
      .chain((n) =>
        fc.tuple(...Array.from({ length: n }, (_, i) => ciliumPolicyArb(names, `l${i}`))),
      )
      .map((ciliumPolicies) => ({ ciliumPolicies })),
    fc.constant({}),
  );
  return fc
    .record({
      pods: podsArb,
      policies: count(2).chain((n) =>
        fc.tuple(...Array.from({ length: n }, (_, i) => networkPolicyArb(names, `q${i}`))),
      ),
      plugin,
      clusterPolicies: fc
        .integer({ min: 0, max: 2 })
        .chain((n) =>
          fc.tuple(...Array.from({ length: n }, (_, i) => clusterPolicyArb(`k${i}`, i * 10))),
        ),
    })
    .map(({ pods, policies, plugin, clusterPolicies }) => ({
      namespaces: [{ name: 'x', labels: {} }],
      pods,
      services: [],
      policies,
      ...plugin,
      ...(clusterPolicies.length > 0 ? { clusterPolicies } : {}),
    }));
}
