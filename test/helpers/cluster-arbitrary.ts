/** fast-check generators of small, valid engine clusters for property tests. */
import fc from 'fast-check';
import {
  type Cluster,
  type ContainerPort,
  type IpBlock,
  type LabelSelector,
  type Labels,
  NAMESPACE_NAME_LABEL,
  type Namespace,
  type NetworkPolicy,
  type Pod,
  type PolicyPeer,
  type PolicyPort,
  type PolicyRule,
  type PolicyType,
  type Protocol,
  type SelectorRequirement,
} from '../../src/engine/model/types.js';

const PROTOCOL_LIST: Protocol[] = ['TCP', 'UDP', 'SCTP'];
const POD_KEYS = ['app', 'tier'];
const POD_VALUES = ['web', 'db'];
const NS_KEYS = ['env', 'team'];
const NS_VALUES = ['prod', 'dev'];
const PORT_NAMES = ['http', 'metrics', 'dns'];
/** Port numbers used by container ports and policies, so that they often meet. */
export const INTERESTING_PORTS = [53, 80, 81, 443, 8080, 9090];

/** Labels drawn from a small vocabulary (each key present or not). */
export function labelsArb(
  keys: readonly string[],
  values: readonly string[],
): fc.Arbitrary<Labels> {
  return fc
    .tuple(...keys.map(() => fc.option(fc.constantFrom(...values), { nil: undefined })))
    .map((picked) =>
      Object.fromEntries(
        keys.flatMap((key, i) => (picked[i] === undefined ? [] : [[key, picked[i]]])),
      ),
    );
}

function requirementArb(
  keys: readonly string[],
  values: readonly string[],
): fc.Arbitrary<SelectorRequirement> {
  return fc.oneof(
    fc.record({
      key: fc.constantFrom(...keys),
      operator: fc.constantFrom('In' as const, 'NotIn' as const),
      values: fc.subarray([...values], { minLength: 1 }),
    }),
    fc.record({
      key: fc.constantFrom(...keys),
      operator: fc.constantFrom('Exists' as const, 'DoesNotExist' as const),
      values: fc.constant([] as string[]),
    }),
  );
}

/**
 * A label selector: empty, one label, one expression, or a mix. Simple shapes dominate so
 * that selectors often select some of the generated pods and miss others.
 */
export function selectorArb(
  keys: readonly string[],
  values: readonly string[],
): fc.Arbitrary<LabelSelector> {
  const oneLabel = fc
    .tuple(fc.constantFrom(...keys), fc.constantFrom(...values))
    .map(([key, value]) => ({ matchLabels: { [key]: value }, matchExpressions: [] }));
  const oneExpression = requirementArb(keys, values).map((requirement) => ({
    matchLabels: {},
    matchExpressions: [requirement],
  }));
  const mixed = fc.record({
    matchLabels: labelsArb(keys, values),
    matchExpressions: fc.array(requirementArb(keys, values), { maxLength: 2 }),
  });
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant({ matchLabels: {}, matchExpressions: [] }) },
    { weight: 3, arbitrary: oneLabel },
    { weight: 2, arbitrary: oneExpression },
    { weight: 1, arbitrary: mixed },
  );
}

const IP_BLOCKS: IpBlock[] = [
  { cidr: '10.0.0.0/16', except: [] },
  { cidr: '10.0.0.0/24', except: ['10.0.0.2/31'] },
  { cidr: '10.0.1.0/24', except: [] },
  { cidr: '10.0.0.3/32', except: [] },
  { cidr: '0.0.0.0/0', except: ['10.0.0.0/24'] },
  { cidr: 'fd00::/64', except: ['fd00::4/126'] },
  { cidr: '192.168.0.0/16', except: [] },
];

/** Namespace selectors use the generated labels or the automatic kubernetes.io/metadata.name. */
const namespaceSelectorArb: fc.Arbitrary<LabelSelector> = fc.oneof(
  { weight: 3, arbitrary: selectorArb(NS_KEYS, NS_VALUES) },
  { weight: 1, arbitrary: selectorArb([NAMESPACE_NAME_LABEL], ['x', 'y', 'z']) },
);

const peerArb: fc.Arbitrary<PolicyPeer> = fc.oneof(
  selectorArb(POD_KEYS, POD_VALUES).map((podSelector) => ({ podSelector })),
  namespaceSelectorArb.map((namespaceSelector) => ({ namespaceSelector })),
  fc
    .tuple(selectorArb(POD_KEYS, POD_VALUES), namespaceSelectorArb)
    .map(([podSelector, namespaceSelector]) => ({ podSelector, namespaceSelector })),
  fc.constantFrom(...IP_BLOCKS).map((ipBlock) => ({ ipBlock })),
);

const portArb: fc.Arbitrary<PolicyPort> = fc
  .tuple(
    fc.constantFrom(...PROTOCOL_LIST),
    fc.oneof(
      fc.constant({}),
      fc.constantFrom(...INTERESTING_PORTS).map((port) => ({ port })),
      fc
        .tuple(fc.constantFrom(50, 80, 8000, 9000), fc.constantFrom(0, 1, 10, 100, 1000))
        .map(([port, width]) => ({ port, endPort: port + width })),
      fc.constantFrom(...PORT_NAMES, 'nope').map((port) => ({ port })),
    ),
  )
  .map(([protocol, rest]) => ({ protocol, ...rest }));

const ruleArb: fc.Arbitrary<PolicyRule> = fc.record({
  peers: fc.array(peerArb, { maxLength: 2 }),
  ports: fc.array(portArb, { maxLength: 2 }),
});

const POLICY_TYPES: PolicyType[][] = [['Ingress'], ['Egress'], ['Ingress', 'Egress']];

/** A valid policy in one of the namespaces; `types` pins policyTypes. */
export function policyArb(
  namespaces: readonly string[],
  name: string,
  types?: readonly PolicyType[],
): fc.Arbitrary<NetworkPolicy> {
  return fc.record({
    namespace: fc.constantFrom(...namespaces),
    name: fc.constant(name),
    podSelector: selectorArb(POD_KEYS, POD_VALUES),
    policyTypes: types ? fc.constant([...types]) : fc.constantFrom(...POLICY_TYPES),
    ingress: fc.array(ruleArb, { maxLength: 2 }),
    egress: fc.array(ruleArb, { maxLength: 2 }),
  });
}

const containerPortsArb: fc.Arbitrary<ContainerPort[]> = fc
  .tuple(
    ...PORT_NAMES.map(() =>
      fc.option(
        fc.record({
          port: fc.constantFrom(...INTERESTING_PORTS),
          protocol: fc.constantFrom(...PROTOCOL_LIST),
        }),
        { nil: undefined },
      ),
    ),
  )
  .map((picked) =>
    PORT_NAMES.flatMap((name, i) => {
      const entry = picked[i];
      return entry ? [{ name, ...entry }] : [];
    }),
  );

interface PodShape {
  readonly namespace: string;
  readonly labels: Labels;
  readonly address: 'none' | 'v4' | 'dual' | 'host';
  readonly ports: ContainerPort[];
  /** spec.nodeName; undefined: not scheduled (or not written). */
  readonly node: string | undefined;
}

function podArb(namespaces: readonly string[]): fc.Arbitrary<PodShape> {
  return fc.record({
    namespace: fc.constantFrom(...namespaces),
    labels: labelsArb(POD_KEYS, POD_VALUES),
    address: fc.oneof(
      { weight: 1, arbitrary: fc.constant('none' as const) },
      { weight: 6, arbitrary: fc.constant('v4' as const) },
      { weight: 2, arbitrary: fc.constant('dual' as const) },
      { weight: 1, arbitrary: fc.constant('host' as const) },
    ),
    ports: containerPortsArb,
    // Two nodes, so that pods share one or not, and some pods whose node is not known.
    node: fc.constantFrom('n1', 'n2', undefined),
  });
}

/** Builds pod i; addresses are unique per pod and fall in or out of the generated ipBlocks. */
function toPod(shape: PodShape, i: number): Pod {
  const v4 = `10.0.${i % 2}.${i + 1}`;
  const ips =
    shape.address === 'none'
      ? []
      : shape.address === 'v4'
        ? [v4]
        : shape.address === 'dual'
          ? [v4, `fd00::${i + 1}`]
          : [`192.168.0.${i + 1}`];
  return {
    id: `${shape.namespace}/p${i}`,
    namespace: shape.namespace,
    name: `p${i}`,
    kind: 'Pod',
    labels: shape.labels,
    ips,
    hostNetwork: shape.address === 'host',
    ...(shape.node === undefined ? {} : { nodeName: shape.node }),
    ports: shape.ports,
  };
}

/** Options of `clusterArb`. */
export interface ClusterOptions {
  readonly maxPolicies?: number;
  readonly minPolicies?: number;
  /** Pins every policy's policyTypes. */
  readonly policyTypes?: readonly PolicyType[];
}

/** A cluster of 2-3 labelled namespaces, 2-8 pods and some valid policies. */
export function clusterArb(options: ClusterOptions = {}): fc.Arbitrary<Cluster> {
  return fc.shuffledSubarray(['x', 'y', 'z'], { minLength: 2, maxLength: 3 }).chain((names) =>
    fc.record({
      namespaces: fc
        .tuple(...names.map(() => labelsArb(NS_KEYS, NS_VALUES)))
        .map((labels) => names.map((name, i): Namespace => ({ name, labels: labels[i] ?? {} }))),
      pods: fc
        .array(podArb(names), { minLength: 2, maxLength: 8 })
        .map((shapes) => shapes.map(toPod)),
      services: fc.constant([]),
      policies: fc
        .integer({ min: options.minPolicies ?? 0, max: options.maxPolicies ?? 5 })
        .chain((count) =>
          fc.tuple(
            ...Array.from({ length: count }, (_, i) =>
              policyArb(names, `q${i}`, options.policyTypes),
            ),
          ),
        ),
    }),
  );
}

/** The namespaces a cluster declares, for generating extra policies. */
export function namespaceNames(cluster: Cluster): string[] {
  return cluster.namespaces.map((ns) => ns.name);
}
