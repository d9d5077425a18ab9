import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

const CLUSTER_SCRIPTS = resolve('test/cluster');

/** The CRDs a test can install: see TestCluster.installCrds. */
export type CrdSet = 'cluster-network-policy' | 'cilium' | 'calico';

const CRD_NAMES: Readonly<Record<CrdSet, readonly string[]>> = {
  'cluster-network-policy': ['clusternetworkpolicies.policy.networking.k8s.io'],
  cilium: ['ciliumnetworkpolicies.cilium.io', 'ciliumclusterwidenetworkpolicies.cilium.io'],
  calico: [
    'networkpolicies',
    'globalnetworkpolicies',
    'tiers',
    'stagednetworkpolicies',
    'stagedglobalnetworkpolicies',
    'stagedkubernetesnetworkpolicies',
  ].map((plural) => `${plural}.crd.projectcalico.org`),
};

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

/** A running kube-apiserver for one test file, with kubectl wired to it. */
export class TestCluster {
  private constructor(
    readonly dir: string,
    readonly kubeconfig: string,
    /** PATH with a directory holding kubectl-netpol first, so `kubectl netpol` finds it. */
    readonly path: string,
  ) {}

  /** Builds (or reuses) the binaries and starts a cluster; can take 15 minutes on a cold machine. */
  static start(): TestCluster {
    const dir = mkdtempSync(join(tmpdir(), 'netpol-e2e-'));
    execFileSync('bash', [join(CLUSTER_SCRIPTS, 'start.sh'), dir], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const plugins = join(dir, 'plugins');
    mkdirSync(plugins);
    symlinkSync(resolve('bin/kubectl-netpol'), join(plugins, 'kubectl-netpol'));
    return new TestCluster(
      dir,
      join(dir, 'kubeconfig'),
      `${plugins}${delimiter}${process.env.PATH}`,
    );
  }

  /** Stops the cluster; `keepFiles` leaves its directory (and kubeconfig) in place. */
  stop(keepFiles = false): void {
    const args = [join(CLUSTER_SCRIPTS, 'stop.sh'), this.dir, ...(keepFiles ? [] : ['--clean'])];
    spawnSync('bash', args, { stdio: 'ignore' });
  }

  /** The environment a user's shell would have: KUBECONFIG set, the plugin on PATH. */
  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return { ...process.env, KUBECONFIG: this.kubeconfig, PATH: this.path, ...extra };
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
    const items = parseAllDocuments(yaml)
      .map((doc) => doc.toJS() as unknown)
      .filter((object) => object !== null && object !== undefined);
    if (items.length === 0) return;
    const file = join(this.dir, `apply-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
    this.mustKubectl(['apply', '-f', file]);
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
