import type { ContainerInfo, Workload } from '../model/types.js';

/**
 * Recognises the network plugin from what runs in the cluster (kube-system, calico-system,
 * kube-flannel, ...) and tells whether it enforces NetworkPolicies. Policy engines (Calico,
 * Cilium, Antrea, ...) settle it; a network plugin without one (Flannel alone, the AWS VPC CNI
 * without its agent, kindnet before kind v0.24) means policies are stored but ignored; a
 * platform seen with neither (GKE without Dataplane V2 or network policy, AKS without a policy
 * engine, Docker Desktop) likewise. With no evidence at all the answer is 'unknown'.
 */

/** Whether NetworkPolicies take effect: 'unknown' when the snapshot cannot tell. */
export type Enforcement = boolean | 'unknown';

/** What part a recognised component plays: a policy engine, a network plugin, a platform. */
export type CniRole = 'policy' | 'network' | 'platform';

/** Why a component decides enforcement the way it does, beyond what it is. */
export type CniReason =
  /** The VPC CNI's network policy agent runs with --enable-network-policy=false. */
  | 'aws-agent-disabled'
  /** The VPC CNI runs without its network policy agent (before v1.14, or removed). */
  | 'aws-agent-missing'
  /** Weave Net runs without its weave-npc policy controller. */
  | 'weave-npc-missing'
  /** kube-router runs with --run-firewall=false. */
  | 'kube-router-firewall-off'
  /** A kindnetd image older than the network policy support of kind v0.24. */
  | 'kindnet-before-policies'
  /** kindnet runs with its network policy controller turned off. */
  | 'kindnet-policies-off'
  /** A kindnet image whose tag tells no version. */
  | 'kindnet-version-unknown'
  /** The plugin or platform has no NetworkPolicy support. */
  | 'no-policy-support'
  /** k3s runs its embedded network policy controller unless started with it disabled. */
  | 'k3s-embedded-controller';

/** One workload container that shows a network plugin. */
export interface CniEvidence {
  readonly plugin: string;
  readonly role: CniRole;
  readonly enforces: Enforcement;
  readonly reason?: CniReason;
  /** The workload (a pod's owner where known), to point the user at. */
  readonly workload: { readonly kind: string; readonly namespace: string; readonly name: string };
  readonly container: string;
  readonly image: string;
}

/** The network plugin of a snapshot and whether it enforces NetworkPolicies. */
export interface CniDetection {
  /** "Calico", "Canal (Calico + Flannel)", "AWS VPC CNI", ...; "unknown" without evidence. */
  readonly plugin: string;
  readonly enforcesPolicies: Enforcement;
  /** The components that decided it (those of the deciding role). */
  readonly evidence: readonly CniEvidence[];
  /** How many workloads were looked at; 0 means the input held none to judge by. */
  readonly workloadsSeen: number;
}

interface Verdict {
  readonly enforces: Enforcement;
  readonly reason?: CniReason;
}

/** What of a container a detector matches on: the same for every pod of a workload. */
type ContainerLook = Pick<ContainerInfo, 'name' | 'image'>;

interface Detector {
  readonly plugin: string;
  readonly role: CniRole;
  /**
   * Whether a container of this name and image shows the plugin; `repo` is the image without
   * registry and tag. It reads nothing else, so that it is asked once per name and image.
   */
  readonly matches: (repo: string, container: ContainerLook) => boolean;
  /** What the workload running such a container must be too, when the container is not enough. */
  readonly within?: (workload: Workload, container: ContainerLook) => boolean;
  /** The verdict when the role alone does not settle it. */
  readonly verdict?: (container: ContainerInfo, workload: Workload) => Verdict;
}

/** An image reference's repository (no registry, tag or digest) and tag. */
export function imageParts(image: string): { repository: string; tag: string } {
  const [name = ''] = image.split('@');
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const tag = colon > slash ? name.slice(colon + 1) : '';
  const path = (colon > slash ? name.slice(0, colon) : name).split('/');
  const first = path[0] ?? '';
  if (path.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost'))
    path.shift();
  return { repository: path.join('/'), tag };
}

const endsWith = (...names: string[]) => {
  const pattern = new RegExp(`(^|/)(${names.join('|')})$`);
  return (repo: string) => pattern.test(repo);
};

/** Whether `flag` is set to `value` in the container's arguments (`--flag=value` or `--flag value`). */
function flagIs(container: ContainerInfo, flag: string, value: string): boolean {
  return container.args.some(
    (arg, i) =>
      arg.replace(/^--?/, '') === `${flag}=${value}` ||
      (arg.replace(/^--?/, '') === flag && container.args[i + 1] === value),
  );
}

/** kind's kindnetd embeds kube-network-policies from the image built 2024-07-30 on (kind v0.24). */
const KINDNET_POLICY_DATE = 20240730;

/** The standalone kindnet supports network policies from v1.3.0 on. */
const KINDNET_POLICY_VERSION = [1, 3, 0] as const;

function kindnetVerdict(container: ContainerInfo): Verdict {
  if (flagIs(container, 'network-policy', 'false'))
    return { enforces: false, reason: 'kindnet-policies-off' };
  const { tag } = imageParts(container.image);
  const date = /^v?(\d{8})-/.exec(tag);
  if (date) {
    return Number(date[1]) >= KINDNET_POLICY_DATE
      ? { enforces: true }
      : { enforces: false, reason: 'kindnet-before-policies' };
  }
  const version = /^v?(\d+)\.(\d+)\.(\d+)/.exec(tag);
  if (!version) return { enforces: 'unknown', reason: 'kindnet-version-unknown' };
  const parts = version.slice(1, 4).map(Number);
  const index = parts.findIndex((part, i) => part !== KINDNET_POLICY_VERSION[i]);
  const atLeast = index < 0 || (parts[index] ?? 0) > (KINDNET_POLICY_VERSION[index] ?? 0);
  return atLeast ? { enforces: true } : { enforces: false, reason: 'kindnet-before-policies' };
}

const isAwsAgent = endsWith('aws-network-policy-agent');

function awsVerdict(_container: ContainerInfo, workload: Workload): Verdict {
  const agent = workload.containers.find((c) => isAwsAgent(imageParts(c.image).repository));
  if (!agent) return { enforces: false, reason: 'aws-agent-missing' };
  return flagIs(agent, 'enable-network-policy', 'true')
    ? { enforces: true }
    : { enforces: false, reason: 'aws-agent-disabled' };
}

const isWeaveNpc = endsWith('weave-npc');

const hasWeaveNpc = (workload: Workload) =>
  workload.containers.some((c) => isWeaveNpc(imageParts(c.image).repository));

// Patterns made once: a detector runs on every container of the snapshot (thousands).
const isCalicoNode = endsWith('calico/node', 'cnx-node', 'hardened-calico');
const isFlannel = endsWith('flannel', 'hardened-flannel', 'mirrored-flannelcni-flannel');

const fromRegistry = (host: string) => (_repo: string, container: ContainerLook) =>
  container.image.startsWith(`${host}/`);

/** Every component recognised, most specific first (the first match per container counts). */
const DETECTORS: readonly Detector[] = [
  {
    plugin: 'GKE Dataplane V2 (Cilium)',
    role: 'policy',
    matches: (repo) => /cilium/.test(repo),
    within: (w, c) => w.name.startsWith('anetd') || c.image.startsWith('gke.gcr.io/'),
  },
  { plugin: 'Cilium', role: 'policy', matches: endsWith('cilium/cilium', 'cilium/cilium-dev') },
  {
    plugin: 'Calico',
    role: 'policy',
    matches: (repo, c) => c.name === 'calico-node' || isCalicoNode(repo),
  },
  { plugin: 'Calico', role: 'policy', matches: endsWith('tigera/operator') },
  {
    plugin: 'Antrea',
    role: 'policy',
    matches: (repo, c) => c.name === 'antrea-agent' || /(^|\/)antrea\/antrea-/.test(repo),
  },
  {
    plugin: 'Weave Net',
    role: 'policy',
    matches: endsWith('weave-kube'),
    verdict: (_c, w) =>
      hasWeaveNpc(w) ? { enforces: true } : { enforces: false, reason: 'weave-npc-missing' },
  },
  {
    plugin: 'kube-router',
    role: 'policy',
    matches: endsWith('kube-router'),
    verdict: (c) =>
      flagIs(c, 'run-firewall', 'false')
        ? { enforces: false, reason: 'kube-router-firewall-off' }
        : { enforces: true },
  },
  {
    plugin: 'OVN-Kubernetes',
    role: 'policy',
    matches: (repo, c) => /ovnkube-(node|controller)/.test(c.name) || /ovn-kubernetes/.test(repo),
  },
  { plugin: 'Kube-OVN', role: 'policy', matches: endsWith('kube-ovn') },
  {
    plugin: 'OpenShift SDN',
    role: 'policy',
    matches: (_repo, c) => c.name === 'sdn',
    within: (w) => w.namespace === 'openshift-sdn',
  },
  { plugin: 'Azure Network Policy Manager', role: 'policy', matches: endsWith('azure-npm') },
  { plugin: 'kube-network-policies', role: 'policy', matches: endsWith('kube-network-policies') },
  {
    plugin: 'AWS VPC CNI',
    role: 'policy',
    matches: endsWith('amazon-k8s-cni'),
    verdict: awsVerdict,
  },
  {
    plugin: 'kindnet',
    role: 'policy',
    matches: endsWith('kindnetd', 'kindnet'),
    verdict: kindnetVerdict,
  },
  {
    plugin: 'Flannel',
    role: 'network',
    matches: (repo, c) => c.name === 'kube-flannel' || isFlannel(repo),
  },
  {
    plugin: 'Docker Desktop',
    role: 'platform',
    matches: endsWith('desktop-vpnkit-controller', 'desktop-storage-provisioner'),
  },
  {
    plugin: 'k3s',
    role: 'platform',
    matches: endsWith('klipper-helm', 'klipper-lb', 'mirrored-coredns-coredns'),
    verdict: () => ({ enforces: true, reason: 'k3s-embedded-controller' }),
  },
  { plugin: 'GKE', role: 'platform', matches: fromRegistry('gke.gcr.io') },
  {
    plugin: 'AKS',
    role: 'platform',
    matches: (_repo, c) => /^mcr\.microsoft\.com\/(oss\/kubernetes|aks)\//.test(c.image),
  },
];

function ownerRef(workload: Workload) {
  const [kind, name] = workload.owner?.split('/') ?? [];
  return kind && name
    ? { kind, namespace: workload.namespace, name }
    : { kind: workload.kind, namespace: workload.namespace, name: workload.name };
}

/**
 * The detectors a container of this name and image matches, in order; most match none. Kept
 * per name and image: the pods of a workload, thousands, share theirs (10,000 pods: 50 ms of
 * CPU asking every detector of every container).
 */
class ContainerDetectors {
  private readonly byLook = new Map<string, Map<string, readonly Detector[]>>();

  of(container: ContainerLook): readonly Detector[] {
    let byName = this.byLook.get(container.image);
    if (!byName) {
      byName = new Map();
      this.byLook.set(container.image, byName);
    }
    let detectors = byName.get(container.name);
    if (!detectors) {
      const { repository } = imageParts(container.image);
      detectors = DETECTORS.filter((d) => d.matches(repository, container));
      byName.set(container.name, detectors);
    }
    return detectors;
  }
}

function evidenceOf(
  workload: Workload,
  container: ContainerInfo,
  detectors: ContainerDetectors,
): CniEvidence | undefined {
  const detector = detectors.of(container).find((d) => d.within?.(workload, container) ?? true);
  if (!detector) return undefined;
  const verdict: Verdict = detector.verdict?.(container, workload) ?? {
    enforces: detector.role === 'policy',
    ...(detector.role === 'policy' ? {} : { reason: 'no-policy-support' as const }),
  };
  return {
    plugin: detector.plugin,
    role: detector.role,
    ...verdict,
    workload: ownerRef(workload),
    container: container.name,
    image: container.image,
  };
}

function combined(evidence: readonly CniEvidence[]): Enforcement {
  if (evidence.some((e) => e.enforces === true)) return true;
  if (evidence.some((e) => e.enforces === 'unknown')) return 'unknown';
  return evidence.length > 0 ? false : 'unknown';
}

function pluginName(evidence: readonly CniEvidence[]): string {
  const names = [...new Set(evidence.map((e) => e.plugin))];
  if (names.length === 0) return 'unknown';
  if (names.includes('Calico') && names.includes('Flannel')) {
    const rest = names.filter((n) => n !== 'Calico' && n !== 'Flannel');
    return ['Canal (Calico + Flannel)', ...rest].join(' + ');
  }
  return names.join(' + ');
}

/**
 * Recognises the network plugin from the workloads of a snapshot. Policy engines and network
 * plugins decide; a platform (GKE, AKS, Docker Desktop, k3s) only when neither is seen.
 */
export function detectCni(workloads: readonly Workload[]): CniDetection {
  const seen = new Map<string, CniEvidence>();
  const detectors = new ContainerDetectors();
  for (const workload of workloads) {
    for (const container of workload.containers) {
      const evidence = evidenceOf(workload, container, detectors);
      if (!evidence) continue;
      const { kind, namespace, name } = evidence.workload;
      seen.set(`${kind}/${namespace}/${name}/${evidence.container}`, evidence);
    }
  }
  const all = [...seen.values()];
  const components = all.filter((e) => e.role !== 'platform');
  const deciding = components.length > 0 ? components : all;
  return {
    plugin: pluginName(deciding),
    enforcesPolicies: combined(deciding),
    evidence: deciding,
    workloadsSeen: workloads.length,
  };
}
