import type { Cluster, Pod, Workload } from '../model/types.js';
import type { Analysis } from './compile.js';

/** A top-level workload (not owned by another) and the pods of the analysis it stands for. */
export interface WorkloadPods {
  /** Deployment, StatefulSet, DaemonSet, ... */
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** Its pods, or the one pod its template stands for when none were read. */
  readonly podIdxs: readonly number[];
}

/** The label the Deployment controller puts on a ReplicaSet's pods (and in the set's name). */
const POD_TEMPLATE_HASH = 'pod-template-hash';

/** Short names of workload kinds, as kubectl takes them (and targets print them). */
const WORKLOAD_SHORT_NAMES: Readonly<Record<string, string>> = {
  Deployment: 'deploy',
  StatefulSet: 'sts',
  DaemonSet: 'ds',
  ReplicaSet: 'rs',
  ReplicationController: 'rc',
  Job: 'job',
  CronJob: 'cj',
};

/** The `kind/name` of a workload as a target names it, e.g. `deploy/web`. */
export function workloadTargetName(kind: string, name: string): string {
  return `${WORKLOAD_SHORT_NAMES[kind] ?? kind.toLowerCase()}/${name}`;
}

/** The `name` in `NAME-SUFFIX`, when the text has such a suffix. */
function withoutSuffix(text: string): string | undefined {
  const dash = text.lastIndexOf('-');
  return dash > 0 ? text.slice(0, dash) : undefined;
}

/**
 * The workload a pod read without its owners belongs to, by the labels and names its controller
 * gives it: a Deployment's `NAME-HASH-xxxxx` pods with pod-template-hash HASH, a StatefulSet's
 * `NAME-N`, a DaemonSet's `NAME-xxxxx` (pod-template-generation), a Job's job-name.
 */
export function controllerByLabels(pod: Pod): { kind: string; name: string } | undefined {
  const hash = pod.labels[POD_TEMPLATE_HASH];
  const replicaSet = withoutSuffix(pod.name);
  if (hash && replicaSet?.endsWith(`-${hash}`)) {
    return { kind: 'Deployment', name: replicaSet.slice(0, -hash.length - 1) };
  }
  const job = pod.labels['batch.kubernetes.io/job-name'] ?? pod.labels['job-name'];
  if (job) return { kind: 'Job', name: job };
  const set = withoutSuffix(pod.name);
  if (set && pod.labels['statefulset.kubernetes.io/pod-name'] === pod.name) {
    return { kind: 'StatefulSet', name: set };
  }
  if (set && pod.labels['pod-template-generation']) return { kind: 'DaemonSet', name: set };
  return undefined;
}

/**
 * The controller a pod's owner belongs to: its owner's owner when that was read, else (live,
 * where ReplicaSets are not read) the Deployment a `NAME-HASH` ReplicaSet is named after.
 */
function topOwner(owner: string, owners: ReadonlyMap<string, string>, pod: Pod): string {
  const seen = new Set<string>();
  let current = owner;
  for (let next = owners.get(current); next && !seen.has(next); next = owners.get(current)) {
    seen.add(current);
    current = next;
  }
  const hash = pod.labels[POD_TEMPLATE_HASH];
  if (hash && current.startsWith('ReplicaSet/') && current.endsWith(`-${hash}`)) {
    return `Deployment/${current.slice('ReplicaSet/'.length, -hash.length - 1)}`;
  }
  return current;
}

/** Every top-level workload of a namespace with its pods (an empty list when none were read). */
export function namespaceWorkloads(
  analysis: Pick<Analysis, 'pods' | 'podsByNamespace'> & {
    readonly cluster: Pick<Cluster, 'workloads'>;
  },
  namespace: string,
): WorkloadPods[] {
  const read: readonly Workload[] = (analysis.cluster.workloads ?? []).filter(
    (w) => w.namespace === namespace,
  );
  const owners = new Map(read.flatMap((w) => (w.owner ? [[`${w.kind}/${w.name}`, w.owner]] : [])));
  const byKey = new Map<string, number[]>();
  const add = (key: string, podIdx?: number) => {
    const pods = byKey.get(key) ?? [];
    if (podIdx !== undefined) pods.push(podIdx);
    byKey.set(key, pods);
  };
  for (const workload of read) {
    if (workload.kind !== 'Pod' && !workload.owner) add(`${workload.kind}/${workload.name}`);
  }
  for (const podIdx of analysis.podsByNamespace.get(namespace) ?? []) {
    const pod = analysis.pods[podIdx] as Pod;
    const own = `${pod.kind}/${pod.name}`;
    const owner = pod.kind === 'Pod' ? owners.get(own) : own;
    if (owner) add(topOwner(owner, owners, pod), podIdx);
  }
  return [...byKey].map(([key, podIdxs]) => {
    const slash = key.indexOf('/');
    return { kind: key.slice(0, slash), namespace, name: key.slice(slash + 1), podIdxs };
  });
}
