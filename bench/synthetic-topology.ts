import type { ContainerPortSpec, ContainerSpec } from './kube-objects.js';
import type { Random } from './prng.js';
import { containersOf, PROFILES, port } from './workload-profiles.js';

/** A namespace of the synthetic cluster. */
export interface NamespacePlan {
  readonly name: string;
  readonly team: string;
  readonly env: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Platform namespaces (kube-system, monitoring, ingress-nginx) get hand-written policies. */
  readonly platform: boolean;
}

/** A Deployment-like workload: its replicas share labels, containers and ports. */
export interface Workload {
  readonly namespace: NamespacePlan;
  readonly app: string;
  readonly tier: string;
  /** The pod template's labels. */
  readonly labels: Readonly<Record<string, string>>;
  readonly containers: readonly ContainerSpec[];
  /** Pods to run; ignored for DaemonSets, which run one pod per node. */
  readonly replicas: number;
  /** A host-network DaemonSet: one pod per node, carrying the node's address. */
  readonly daemonSet: boolean;
}

/** Namespaces and workloads, before pods are placed on nodes. */
export interface Topology {
  readonly namespaces: readonly NamespacePlan[];
  readonly workloads: readonly Workload[];
}

const TEAMS = [
  'payments',
  'checkout',
  'catalog',
  'identity',
  'search',
  'growth',
  'data',
  'logistics',
  'support',
  'marketing',
  'risk',
  'platform-apps',
  'media',
  'mobile',
  'partners',
  'billing',
  'analytics',
  'messaging',
  'inventory',
  'pricing',
];
const PRODUCTS = ['core', 'web', 'svc', 'batch', 'edge', 'internal', 'public', 'legacy'];
// Characters Kubernetes uses for generated name suffixes (no vowels, no lookalikes).
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function templateHash(random: Random): string {
  return random.chars(NAME_ALPHABET, 10);
}

function namespacePlan(name: string, team: string, env: string, random: Random, platform = false) {
  const labels: Record<string, string> = { 'kubernetes.io/metadata.name': name, team, env };
  if (!platform && random.chance(0.4)) labels['istio-injection'] = 'enabled';
  if (!platform && random.chance(0.6)) labels.observability = 'enabled';
  if (platform) labels.tier = 'platform';
  return { name, team, env, labels, platform };
}

function platformWorkloads(random: Random, namespaces: NamespacePlan[]): Workload[] {
  const [kubeSystem, monitoring, ingress] = namespaces as [
    NamespacePlan,
    NamespacePlan,
    NamespacePlan,
  ];
  const workload = (
    namespace: NamespacePlan,
    app: string,
    labels: Record<string, string>,
    ports: ContainerPortSpec[],
    replicas: number,
    daemonSet = false,
  ): Workload => ({
    namespace,
    app,
    tier: 'platform',
    labels: daemonSet ? labels : { ...labels, 'pod-template-hash': templateHash(random) },
    containers: containersOf(app, [ports], false),
    replicas,
    daemonSet,
  });
  return [
    workload(
      kubeSystem,
      'coredns',
      { 'k8s-app': 'kube-dns' },
      [port('dns', 53, 'UDP'), port('dns-tcp', 53), port('metrics', 9153)],
      3,
    ),
    workload(
      kubeSystem,
      'metrics-server',
      { 'k8s-app': 'metrics-server' },
      [port('https', 10250)],
      1,
    ),
    workload(monitoring, 'prometheus', { app: 'prometheus' }, [port('web', 9090)], 2),
    workload(monitoring, 'grafana', { app: 'grafana' }, [port('http', 3000)], 1),
    workload(
      monitoring,
      'node-exporter',
      { app: 'node-exporter' },
      [port('metrics', 9100)],
      0,
      true,
    ),
    workload(
      ingress,
      'ingress-nginx',
      { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' },
      [port('http', 80), port('https', 443), port('metrics', 10254)],
      3,
    ),
  ];
}

function appNamespaces(random: Random, count: number): NamespacePlan[] {
  const seen = new Set<string>();
  const plans: NamespacePlan[] = [];
  while (plans.length < count) {
    const team = random.pick(TEAMS);
    const env = random.weighted([
      [5, 'prod'],
      [3, 'staging'],
      [2, 'dev'],
    ] as const);
    let name = `${team}-${random.pick(PRODUCTS)}-${env}`;
    for (let n = 2; seen.has(name); n++) name = `${team}-${random.pick(PRODUCTS)}-${env}-${n}`;
    seen.add(name);
    plans.push(namespacePlan(name, team, env, random));
  }
  return plans;
}

/** Splits `total` into `count` positive shares of uneven size, as real namespaces are. */
function unevenShares(random: Random, total: number, count: number): number[] {
  const weights = Array.from({ length: count }, () => 0.3 + 2 * random.next() ** 2);
  const sum = weights.reduce((a, b) => a + b, 0);
  const shares = weights.map((w) => Math.max(1, Math.floor((total * w) / sum)));
  let left = total - shares.reduce((a, b) => a + b, 0);
  for (let i = 0; left !== 0; i = (i + 1) % count) {
    const step = left > 0 ? 1 : -1;
    if (step < 0 && (shares[i] as number) <= 1) continue;
    shares[i] = (shares[i] as number) + step;
    left -= step;
  }
  return shares;
}

function appWorkloads(random: Random, namespace: NamespacePlan, pods: number): Workload[] {
  const workloads: Workload[] = [];
  const used = new Set<string>();
  for (let left = pods; left > 0; ) {
    const profile = random.weighted(PROFILES);
    const base = random.pick(profile.apps);
    let app = base;
    for (let n = 2; used.has(app); n++) app = `${base}-${n}`;
    used.add(app);
    const replicas = Math.min(left, random.int(2, 6));
    left -= replicas;
    workloads.push({
      namespace,
      app,
      tier: profile.tier,
      labels: {
        app,
        tier: profile.tier,
        version: `v${random.int(1, 3)}`,
        'pod-template-hash': templateHash(random),
      },
      containers: containersOf(
        app,
        profile.ports(random, base),
        profile.mesh && namespace.labels['istio-injection'] === 'enabled',
      ),
      replicas,
      daemonSet: false,
    });
  }
  return workloads;
}

/** Plans namespaces and workloads holding exactly `pods` pods on `nodes` nodes. */
export function planTopology(
  random: Random,
  counts: { readonly namespaces: number; readonly pods: number; readonly nodes: number },
): Topology {
  const platform = [
    namespacePlan('kube-system', 'platform', 'infra', random, true),
    namespacePlan('monitoring', 'platform', 'infra', random, true),
    namespacePlan('ingress-nginx', 'platform', 'infra', random, true),
  ];
  const apps = appNamespaces(random, counts.namespaces - platform.length);
  const workloads = platformWorkloads(random, platform);
  const platformPods = workloads.reduce((n, w) => n + (w.daemonSet ? counts.nodes : w.replicas), 0);
  const shares = unevenShares(random, counts.pods - platformPods, apps.length);
  apps.forEach((namespace, i) => {
    workloads.push(...appWorkloads(random, namespace, shares[i] as number));
  });
  return { namespaces: [...platform, ...apps], workloads };
}

/** A pod name as a ReplicaSet would generate it. */
export function podName(random: Random, workload: Workload): string {
  const hash = workload.labels['pod-template-hash'];
  return hash
    ? `${workload.app}-${hash}-${random.chars(NAME_ALPHABET, 5)}`
    : `${workload.app}-${random.chars(NAME_ALPHABET, 5)}`;
}
