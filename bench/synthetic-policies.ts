import type { NetworkPolicyObject } from './kube-objects.js';
import {
  ALLOW_TEMPLATES,
  allowDns,
  defaultDeny,
  type PolicyContext,
  type PolicyDraft,
} from './policy-templates.js';
import type { Random } from './prng.js';
import type { NodePlan } from './synthetic-pods.js';
import type { NamespacePlan, Topology, Workload } from './synthetic-topology.js';

const PLATFORM_DRAFTS: Readonly<Record<string, readonly PolicyDraft[]>> = {
  'kube-system': [
    {
      stem: 'allow-dns-from-cluster',
      spec: {
        podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [{ namespaceSelector: {} }],
            ports: [
              { protocol: 'UDP', port: 53 },
              { protocol: 'TCP', port: 53 },
            ],
          },
        ],
      },
    },
  ],
  monitoring: [
    defaultDeny('ingress'),
    {
      stem: 'allow-grafana-from-ingress',
      spec: {
        podSelector: { matchLabels: { app: 'grafana' } },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [{ namespaceSelector: { matchLabels: { team: 'platform' } } }],
            ports: [{ protocol: 'TCP', port: 'http' }],
          },
        ],
      },
    },
  ],
  'ingress-nginx': [
    {
      stem: 'allow-web-from-internet',
      spec: {
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [{ ipBlock: { cidr: '0.0.0.0/0' } }],
            ports: [
              { protocol: 'TCP', port: 80 },
              { protocol: 'TCP', port: 443 },
            ],
          },
        ],
      },
    },
  ],
};

/** Largest-remainder split of `total` in proportion to `weights`. */
function proportionalShares(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const shares = exact.map(Math.floor);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  const left = total - shares.reduce((a, b) => a + b, 0);
  for (let k = 0; k < left; k++) {
    const i = (order[k % order.length] as readonly [number, number])[1];
    shares[i] = (shares[i] as number) + 1;
  }
  return shares;
}

/** The drafts of one application namespace: a baseline, DNS when egress is denied, then allows. */
function namespaceDrafts(context: PolicyContext, count: number): PolicyDraft[] {
  const { random, workloads } = context;
  const drafts: PolicyDraft[] = [];
  const isolation = random.weighted([
    [40, 'ingress'],
    [35, 'both'],
    [10, 'egress'],
    [15, 'none'],
  ] as const);
  if (isolation !== 'none') drafts.push(defaultDeny(isolation));
  if (isolation !== 'ingress' && isolation !== 'none') drafts.push(allowDns(random));
  while (drafts.length < count) {
    drafts.push(random.weighted(ALLOW_TEMPLATES)(context, random.pick(workloads)));
  }
  return drafts.slice(0, count);
}

function toObjects(namespace: NamespacePlan, drafts: readonly PolicyDraft[]) {
  const used = new Set<string>();
  return drafts.map((draft): NetworkPolicyObject => {
    let name = draft.stem;
    for (let n = 2; used.has(name); n++) name = `${draft.stem}-${n}`;
    used.add(name);
    return {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name, namespace: namespace.name },
      spec: draft.spec,
    };
  });
}

/** Exactly `count` NetworkPolicies over the topology, more in namespaces with more workloads. */
export function generatePolicies(
  random: Random,
  topology: Topology,
  nodes: readonly NodePlan[],
  count: number,
): NetworkPolicyObject[] {
  const policies: NetworkPolicyObject[] = [];
  for (const namespace of topology.namespaces.filter((ns) => ns.platform)) {
    policies.push(...toObjects(namespace, PLATFORM_DRAFTS[namespace.name] ?? []));
  }
  const apps = topology.namespaces.filter((ns) => !ns.platform);
  const byNamespace = new Map<string, Workload[]>(apps.map((ns) => [ns.name, []]));
  for (const workload of topology.workloads)
    byNamespace.get(workload.namespace.name)?.push(workload);
  const appWorkloads = topology.workloads.filter((w) => !w.namespace.platform);
  const shares = proportionalShares(
    count - policies.length,
    apps.map((ns) => byNamespace.get(ns.name)?.length ?? 0),
  );
  apps.forEach((namespace, i) => {
    const workloads = byNamespace.get(namespace.name) ?? [];
    const context: PolicyContext = {
      random,
      namespace,
      workloads,
      elsewhere: appWorkloads.filter((w) => w.namespace !== namespace),
      nodes,
    };
    policies.push(...toObjects(namespace, namespaceDrafts(context, shares[i] as number)));
  });
  return policies;
}
