import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { parseAllDocuments } from 'yaml';

const CLUSTER_SCRIPTS = resolve('test/cluster');

/** The CRDs a test can install: see TestCluster.installCrds. */
export type CrdSet = 'cluster-network-policy' | 'cilium' | 'calico';

/** The resources of Calico's CRDs (group crd.projectcalico.org) in test/cluster/crds/calico.yaml. */
export const CALICO_RESOURCES = [
  'networkpolicies',
  'globalnetworkpolicies',
  'tiers',
  'stagednetworkpolicies',
  'stagedglobalnetworkpolicies',
  'stagedkubernetesnetworkpolicies',
];

const CRD_NAMES: Readonly<Record<CrdSet, readonly string[]>> = {
  'cluster-network-policy': ['clusternetworkpolicies.policy.networking.k8s.io'],
  cilium: ['ciliumnetworkpolicies.cilium.io', 'ciliumclusterwidenetworkpolicies.cilium.io'],
  calico: CALICO_RESOURCES.map((plural) => `${plural}.crd.projectcalico.org`),
};

/** A pod for TestCluster.addPods: its IP, and optionally its container ports and account. */
export interface TestPod {
  readonly ip: string;
  readonly ports?: readonly number[];
  readonly serviceAccount?: string;
}

/** The resources a user may read, by API group ('' is the core group). */
export type ReadableResources = Readonly<Record<string, readonly string[]>>;

/** The Cilium agent's pod, as the network plugin's detection sees it. */
export const CILIUM_AGENT = `apiVersion: v1
kind: Pod
metadata: {name: cilium-x7k2p, namespace: kube-system, labels: {k8s-app: cilium}}
spec: {containers: [{name: cilium-agent, image: quay.io/cilium/cilium:v1.20.2}]}
`;

/** calico-node's pod, as the network plugin's detection sees it. */
export const CALICO_NODE = `apiVersion: v1
kind: Pod
metadata: {name: calico-node-x7k2p, namespace: kube-system, labels: {k8s-app: calico-node}}
spec: {containers: [{name: calico-node, image: docker.io/calico/node:v3.30.0}]}
`;

/** Why the real API server cannot be built here, or undefined when it can. */
export function clusterUnavailableReason(): string | undefined {
  const go = spawnSync('bash', ['-c', 'command -v go || test -x /usr/local/go/bin/go'], {
    stdio: 'ignore',
  });
  if (go.status !== 0) return 'Go is not installed, so kube-apiserver and etcd cannot be built';
  if (spawnSync('bash', ['-c', 'command -v kubectl'], { stdio: 'ignore' }).status !== 0) {
    return 'kubectl is not installed, so the plugin cannot be run as users run it';
  }
  return undefined;
}

/**
 * Declares a suite against one real kube-apiserver: started (and `setUp` run) before its tests,
 * stopped after them; skipped, saying why, where none can be built (or `unavailable` says why not).
 */
export function describeOnCluster(
  title: string,
  setUp: (cluster: TestCluster) => void,
  tests: (cluster: TestCluster) => void,
  unavailable = clusterUnavailableReason(),
): void {
  describe.skipIf(unavailable !== undefined)(
    `${title}${unavailable ? ` (skipped: ${unavailable})` : ''}`,
    () => {
      const cluster = new TestCluster();
      beforeAll(() => {
        if (!TestCluster.pluginBuilt())
          throw new Error('dist/ is missing: run npm run build first');
        cluster.start();
        setUp(cluster);
      }, 45 * 60_000);
      afterAll(() => cluster.stop());
      tests(cluster);
    },
  );
}

/** Where a started cluster keeps its state, and how to reach it. */
interface Running {
  readonly dir: string;
  readonly kubeconfig: string;
  /** PATH with a directory holding kubectl-netpol first, so `kubectl netpol` finds it. */
  readonly path: string;
}

/** A kube-apiserver for one test file, with kubectl wired to it once started. */
export class TestCluster {
  private running: Running | undefined;

  /** The directory holding the cluster's state (and room for a test's files). */
  get dir(): string {
    return this.started().dir;
  }

  /** The kubeconfig whose contexts `admin` (current) and `restricted` reach the cluster. */
  get kubeconfig(): string {
    return this.started().kubeconfig;
  }

  private started(): Running {
    if (!this.running) throw new Error('the test cluster has not been started');
    return this.running;
  }

  /** Builds (or reuses) the binaries and starts the cluster; can take 15 minutes on a cold machine. */
  start(): void {
    const dir = mkdtempSync(join(tmpdir(), 'netpol-e2e-'));
    execFileSync('bash', [join(CLUSTER_SCRIPTS, 'start.sh'), dir], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const plugins = join(dir, 'plugins');
    mkdirSync(plugins);
    symlinkSync(resolve('bin/kubectl-netpol'), join(plugins, 'kubectl-netpol'));
    this.running = {
      dir,
      kubeconfig: join(dir, 'kubeconfig'),
      path: `${plugins}${delimiter}${process.env.PATH}`,
    };
  }

  /** Stops the cluster, if started; `keepFiles` leaves its directory (and kubeconfig) in place. */
  stop(keepFiles = false): void {
    if (!this.running) return;
    const args = [join(CLUSTER_SCRIPTS, 'stop.sh'), this.dir, ...(keepFiles ? [] : ['--clean'])];
    spawnSync('bash', args, { stdio: 'ignore' });
  }

  /** The environment a user's shell would have: KUBECONFIG set, the plugin on PATH. */
  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return { ...process.env, KUBECONFIG: this.kubeconfig, PATH: this.started().path, ...extra };
  }

  /** Runs kubectl (and so the plugin, for `netpol ...`); never throws on a non-zero exit. */
  kubectl(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
    const run = spawnSync('kubectl', args, {
      env: this.env(env),
      encoding: 'utf8',
      timeout: 120_000,
    });
    return { exitCode: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
  }

  /** Runs kubectl and fails the test on a non-zero exit. */
  mustKubectl(args: readonly string[]): string {
    const run = this.kubectl(args);
    if (run.exitCode !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${run.stderr}`);
    return run.stdout;
  }

  /**
   * Applies YAML manifests. They are converted to JSON first: kubectl reads YAML 1.1, where an
   * unquoted `y` (a namespace name in the conformance model) would be a boolean.
   */
  applyYaml(yaml: string): void {
    this.apply(
      parseAllDocuments(yaml)
        .map((doc) => doc.toJS() as unknown)
        .filter((object) => object !== null && object !== undefined),
    );
  }

  /** Applies API objects (as `kubectl apply` of one List holding them). */
  apply(items: readonly unknown[]): void {
    if (items.length === 0) return;
    const file = join(this.dir, `apply-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
    this.mustKubectl(['apply', '-f', file]);
  }

  /**
   * Creates a namespace and its pods, each labelled `app: <name>`, and gives each its IP as a
   * kubelet would.
   */
  addPods(namespace: string, pods: Readonly<Record<string, TestPod>>): void {
    this.apply([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
      ...Object.entries(pods).map(([name, pod]) => ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace, labels: { app: name } },
        spec: {
          ...(pod.serviceAccount ? { serviceAccountName: pod.serviceAccount } : {}),
          containers: [
            {
              name,
              image: name,
              ...(pod.ports
                ? { ports: pod.ports.map((containerPort) => ({ containerPort })) }
                : {}),
            },
          ],
        },
      })),
    ]);
    for (const [name, pod] of Object.entries(pods)) this.setPodIp(namespace, name, pod.ip);
  }

  /**
   * Lets `user` get, list and watch `resources`, by a ClusterRole `name` bound cluster-wide, or
   * only in `namespace` when given.
   */
  grantRead(user: string, name: string, resources: ReadableResources, namespace?: string): void {
    const role = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name };
    const subjects = [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }];
    this.apply([
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name },
        rules: Object.entries(resources).map(([group, plurals]) => ({
          apiGroups: [group],
          resources: plurals,
          verbs: ['get', 'list', 'watch'],
        })),
      },
      namespace === undefined
        ? {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'ClusterRoleBinding',
            metadata: { name },
            roleRef: role,
            subjects,
          }
        : {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'RoleBinding',
            metadata: { name, namespace },
            roleRef: role,
            subjects,
          },
    ]);
  }

  /**
   * Installs a set of CRDs and waits until the API server serves them: ClusterNetworkPolicy's
   * and Cilium's from the modules pinned in test/cluster/crds (fetched or reused by crds.sh),
   * Calico's from test/cluster/crds/calico.yaml (minimal ones: the file says why).
   */
  installCrds(set: CrdSet): void {
    const source =
      set === 'calico'
        ? join(CLUSTER_SCRIPTS, 'crds', 'calico.yaml')
        : (execFileSync('bash', [join(CLUSTER_SCRIPTS, 'crds.sh'), set], {
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'inherit'],
          })
            .trim()
            .split('\n')
            .at(-1) as string);
    // Server-side: the CRDs are larger than client-side apply's annotation limit.
    this.mustKubectl(['apply', '--server-side', '-f', source]);
    for (const name of CRD_NAMES[set]) this.waitEstablished(name);
  }

  /**
   * Polls until a CRD is Established (up to 60 s). Not `kubectl wait`: it fails at once on a CRD
   * whose status has no conditions yet, as one just applied may have.
   */
  private waitEstablished(name: string): void {
    const established = '{.status.conditions[?(@.type=="Established")].status}';
    const deadline = Date.now() + 60_000;
    while (
      this.kubectl(['get', `crd/${name}`, '-o', `jsonpath=${established}`]).stdout !== 'True'
    ) {
      if (Date.now() > deadline) throw new Error(`CRD ${name} not Established within 60s`);
      spawnSync('sleep', ['0.2']);
    }
  }

  /** Gives a pod its IP, as a kubelet would (no kubelet runs here). */
  setPodIp(namespace: string, name: string, ip: string): void {
    const patch = JSON.stringify({ status: { podIP: ip, podIPs: [{ ip }] } });
    this.mustKubectl([
      '-n',
      namespace,
      'patch',
      'pod',
      name,
      '--subresource=status',
      '--type=merge',
      '-p',
      patch,
    ]);
  }

  /** True once the plugin entry point exists (it needs `npm run build`). */
  static pluginBuilt(): boolean {
    return existsSync(resolve('dist/src/cli.js'));
  }
}
