import type { LabelSelectorSpec, NetworkPolicyObject, PeerSpec, PortSpec } from './kube-objects.js';
import type { Random } from './prng.js';
import { type NodePlan, POD_CIDR, podSubnetPrefix } from './synthetic-pods.js';
import type { NamespacePlan, Workload } from './synthetic-topology.js';

/** What a template may draw on: the namespace it writes for, its workloads and the rest. */
export interface PolicyContext {
  readonly random: Random;
  readonly namespace: NamespacePlan;
  readonly workloads: readonly Workload[];
  /** Workloads of the other application namespaces, for cross-namespace peers. */
  readonly elsewhere: readonly Workload[];
  readonly nodes: readonly NodePlan[];
}

/** A policy's spec and a name stem; the caller makes names unique in the namespace. */
export interface PolicyDraft {
  readonly stem: string;
  readonly spec: NetworkPolicyObject['spec'];
}

const NAME_LABEL = 'kubernetes.io/metadata.name';
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

const byLabels = (labels: Record<string, string>): LabelSelectorSpec => ({ matchLabels: labels });
const tcp = (port?: number | string, endPort?: number): PortSpec => ({
  protocol: 'TCP',
  ...(port !== undefined ? { port } : {}),
  ...(endPort !== undefined ? { endPort } : {}),
});
const ingressOnly = (
  podSelector: LabelSelectorSpec,
  from: PeerSpec[],
  ports: PortSpec[],
): NetworkPolicyObject['spec'] => ({
  podSelector,
  policyTypes: ['Ingress'],
  ingress: [{ from, ...(ports.length > 0 ? { ports } : {}) }],
});
const egressOnly = (
  podSelector: LabelSelectorSpec,
  to: PeerSpec[],
  ports: PortSpec[],
): NetworkPolicyObject['spec'] => ({
  podSelector,
  policyTypes: ['Egress'],
  egress: [{ ...(to.length > 0 ? { to } : {}), ports }],
});

/** The ports a policy admits to a workload: mostly its named ports, sometimes the numbers. */
function servingPorts(random: Random, workload: Workload): PortSpec[] {
  const own = workload.containers
    .flatMap((c) => c.ports)
    .filter((p) => p.name !== 'metrics' && p.name !== 'http-envoy-prom');
  if (own.length === 0) return [tcp(8080)];
  const chosen = random.pick(own);
  return random.chance(0.6)
    ? [{ protocol: chosen.protocol, port: chosen.name }]
    : [{ protocol: chosen.protocol, port: chosen.containerPort }];
}

const appSelector = (random: Random, workload: Workload) =>
  byLabels(random.chance(0.7) ? { app: workload.app } : { app: workload.app, tier: workload.tier });

/** Deny everything in the chosen directions for every pod of the namespace. */
export function defaultDeny(kind: 'ingress' | 'egress' | 'both'): PolicyDraft {
  const types = { ingress: ['Ingress'], egress: ['Egress'], both: ['Ingress', 'Egress'] } as const;
  return {
    stem: `default-deny-${kind === 'both' ? 'all' : kind}`,
    spec: { podSelector: {}, policyTypes: types[kind] },
  };
}

/** DNS egress to CoreDNS in one of the forms people write it. */
export function allowDns(random: Random): PolicyDraft {
  const coreDns: PeerSpec = {
    namespaceSelector: byLabels({ [NAME_LABEL]: 'kube-system' }),
    podSelector: byLabels({ 'k8s-app': 'kube-dns' }),
  };
  const numeric: PortSpec[] = [{ protocol: 'UDP', port: 53 }, tcp(53)];
  const spec = random.weighted<NetworkPolicyObject['spec']>([
    [5, egressOnly({}, [coreDns], numeric)],
    [2, egressOnly({}, [coreDns], [{ protocol: 'UDP', port: 'dns' }, tcp('dns-tcp')])],
    [
      2,
      egressOnly(
        {},
        [{ namespaceSelector: {}, podSelector: byLabels({ 'k8s-app': 'kube-dns' }) }],
        numeric,
      ),
    ],
    [1, egressOnly({}, [], numeric)],
  ]);
  return { stem: 'allow-dns-egress', spec };
}

type Template = (context: PolicyContext, target: Workload) => PolicyDraft;

const sameNamespaceCallers: Template = ({ random, workloads }, target) => {
  const caller = random.pick(workloads);
  const from: PeerSpec = random.chance(0.5)
    ? { podSelector: byLabels({ app: caller.app }) }
    : { podSelector: byLabels({ tier: random.pick(['frontend', 'backend', 'worker']) }) };
  return {
    stem: `allow-${target.app}-from-${caller.app}`,
    spec: ingressOnly(appSelector(random, target), [from], servingPorts(random, target)),
  };
};

const crossNamespaceCallers: Template = ({ random, elsewhere }, target) => {
  const caller = random.pick(elsewhere);
  const namespaceSelector = random.chance(0.5)
    ? byLabels({ team: caller.namespace.team })
    : byLabels({ [NAME_LABEL]: caller.namespace.name });
  return {
    stem: `allow-${target.app}-from-${caller.namespace.team}`,
    spec: ingressOnly(
      appSelector(random, target),
      [{ namespaceSelector, podSelector: byLabels({ app: caller.app }) }],
      servingPorts(random, target),
    ),
  };
};

const ingressController: Template = ({ random }, target) => ({
  stem: `allow-ingress-nginx-to-${target.app}`,
  spec: ingressOnly(
    appSelector(random, target),
    [
      {
        namespaceSelector: byLabels({ [NAME_LABEL]: 'ingress-nginx' }),
        podSelector: byLabels({ 'app.kubernetes.io/name': 'ingress-nginx' }),
      },
    ],
    random.chance(0.7) ? [tcp('http')] : [tcp(8080)],
  ),
});

const prometheusScrape: Template = ({ random }, target) => {
  const ports = [tcp('metrics'), ...(random.chance(0.3) ? [tcp('http-envoy-prom')] : [])];
  const everyPod = random.chance(0.5);
  return {
    stem: everyPod ? 'allow-prometheus-scrape' : `allow-prometheus-scrape-${target.app}`,
    spec: ingressOnly(
      everyPod ? {} : appSelector(random, target),
      [
        {
          namespaceSelector: byLabels({ [NAME_LABEL]: 'monitoring' }),
          podSelector: byLabels({ app: 'prometheus' }),
        },
      ],
      ports,
    ),
  };
};

const expressionSelectors: Template = ({ random }, target) => ({
  stem: `allow-${target.tier}-from-envs`,
  spec: ingressOnly(
    {
      matchExpressions: [
        {
          key: 'tier',
          operator: 'In',
          values: [target.tier, random.pick(['frontend', 'backend'])],
        },
        ...(random.chance(0.4)
          ? [{ key: 'version', operator: 'NotIn' as const, values: ['v1'] }]
          : []),
      ],
    },
    [
      {
        namespaceSelector: {
          matchExpressions: [
            {
              key: 'env',
              operator: 'In',
              values: random.pick([['prod'], ['prod', 'staging'], ['staging', 'dev']]),
            },
            ...(random.chance(0.5) ? [{ key: 'observability', operator: 'Exists' as const }] : []),
          ],
        },
        podSelector: {
          matchExpressions: [
            { key: 'app', operator: 'Exists' },
            { key: 'tier', operator: 'NotIn', values: ['data', 'cache'] },
          ],
        },
      },
    ],
    servingPorts(random, target),
  ),
});

const portRange: Template = ({ random, namespace }, target) => {
  const [from, to] = random.pick([
    [8000, 8099],
    [9000, 9100],
    [30000, 32767],
    [15000, 15090],
  ] as const);
  const peer: PeerSpec = random.chance(0.5)
    ? { podSelector: byLabels({ tier: 'frontend' }) }
    : { namespaceSelector: byLabels({ team: namespace.team }) };
  return {
    stem: `allow-${target.app}-port-range`,
    spec: ingressOnly(appSelector(random, target), [peer], [tcp(from, to)]),
  };
};

const egressToData: Template = ({ random }, target) => {
  const to: PeerSpec[] = [{ podSelector: byLabels({ tier: 'data' }) }];
  const ports: PortSpec[] = [tcp(5432), tcp(3306)];
  if (random.chance(0.5)) {
    to.push({ podSelector: byLabels({ tier: 'cache' }) });
    ports.push(random.chance(0.5) ? tcp('redis') : tcp(6379));
  }
  return {
    stem: `allow-${target.app}-to-data`,
    spec: egressOnly(appSelector(random, target), to, ports),
  };
};

const externalEgress: Template = ({ random }, target) => {
  const block = random.pick([
    { cidr: '0.0.0.0/0', except: PRIVATE_RANGES },
    { cidr: '203.0.113.0/24', except: ['203.0.113.128/25'] },
    { cidr: '198.51.100.0/24' },
    { cidr: '169.254.169.254/32' },
  ]);
  const ports = random.chance(0.8) ? [tcp(443)] : [tcp(443), tcp(8443)];
  return {
    stem: `allow-${target.app}-external`,
    spec: egressOnly(appSelector(random, target), [{ ipBlock: block }], ports),
  };
};

const podRangeIpBlock: Template = ({ random, nodes }, target) => {
  const node = random.pick(nodes).podSubnet;
  const block = random.pick([
    { cidr: POD_CIDR, except: [`${podSubnetPrefix(node)}.0/24`] },
    { cidr: `${podSubnetPrefix(node)}.0/24` },
    { cidr: `${podSubnetPrefix(node & ~3)}.0/22`, except: [`${podSubnetPrefix(node)}.0/24`] },
    { cidr: '10.0.0.0/8', except: [POD_CIDR] },
  ]);
  return {
    stem: `allow-${target.app}-from-cidr`,
    spec: ingressOnly(appSelector(random, target), [{ ipBlock: block }], [tcp(8080)]),
  };
};

const sameNamespace: Template = () => ({
  stem: 'allow-same-namespace',
  spec: ingressOnly({}, [{ podSelector: {} }], []),
});

const egressGrpc: Template = ({ random, namespace }, target) => ({
  stem: `allow-${target.app}-grpc-egress`,
  spec: egressOnly(
    appSelector(random, target),
    [
      {
        namespaceSelector: byLabels({ env: namespace.env }),
        podSelector: byLabels({ tier: 'backend' }),
      },
    ],
    [tcp('grpc')],
  ),
});

/** Allow-rule templates with their relative frequency. */
export const ALLOW_TEMPLATES: readonly (readonly [number, Template])[] = [
  [20, sameNamespaceCallers],
  [15, crossNamespaceCallers],
  [8, ingressController],
  [10, prometheusScrape],
  [10, expressionSelectors],
  [7, portRange],
  [10, egressToData],
  [7, externalEgress],
  [4, podRangeIpBlock],
  [4, sameNamespace],
  [5, egressGrpc],
];
