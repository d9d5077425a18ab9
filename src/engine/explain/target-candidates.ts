import {
  type Analysis,
  namespaceTable,
  podIndexesByNamespace,
  serviceTable,
} from '../compile/compile.js';
import { namespaceWorkloads, workloadTargetName } from '../compile/workloads.js';
import type { ClusterNetworkPolicy } from '../model/cluster-policy.js';
import type {
  Cluster,
  Labels,
  NetworkPolicy,
  Pod,
  Service,
  ServicePort,
  Workload,
} from '../model/types.js';
import { identifyingLabels } from '../primitives/identifying-labels.js';

/**
 * What the candidate lists read of an analysis: its namespaces, pods, Services, workloads and
 * the names of its policies. Plain data, so a snapshot's (the demo's) can be made at build time.
 */
export interface CandidateSource
  extends Pick<Analysis, 'namespaces' | 'pods' | 'podsByNamespace' | 'services'> {
  readonly cluster: {
    readonly policies: readonly Pick<NetworkPolicy, 'namespace' | 'name' | 'podSelector'>[];
    readonly clusterPolicies?: readonly Pick<
      ClusterNetworkPolicy,
      'kind' | 'name' | 'tier' | 'priority'
    >[];
    readonly workloads?: readonly Workload[];
    /** Workloads scaled to zero: named as any workload, though they have no pod now. */
    readonly scaledToZero?: readonly Pick<Pod, 'namespace'>[];
  };
}

/**
 * What the candidate lists read of a cluster, as its analysis holds it (the same tables), without
 * compiling its policies: candidates name objects, they are no verdicts.
 */
export function candidateSource(cluster: Cluster): CandidateSource {
  return {
    cluster,
    namespaces: namespaceTable(cluster),
    pods: cluster.pods,
    podsByNamespace: podIndexesByNamespace(cluster.pods),
    services: serviceTable(cluster.services),
  };
}

/** What a candidate names, for a short description beside it: only what applies is set. */
export interface CandidateAbout {
  readonly namespace?: string;
  /** The labels that identify a pod (its application name label, else all but controllers'). */
  readonly labels?: Labels;
  /** How many pods a namespace holds, a workload runs or a policy selects. */
  readonly pods?: number;
  /** A Service's ports. */
  readonly ports?: readonly ServicePort[];
  /** A cluster policy's tier and priority. */
  readonly tier?: string;
  readonly priority?: number;
}

/**
 * A way to finish a typed target: the whole target text and what it names. A text ending in
 * `/` is a prefix to go on from (a namespace, or a kind in `about.namespace`).
 */
export interface TargetCandidate {
  readonly text: string;
  /** e.g. `pod`, `Deployment`, `service`, `namespace`, `NetworkPolicy`, `ClusterNetworkPolicy`. */
  readonly kind: string;
  readonly about?: CandidateAbout;
}

const SERVICE_PREFIXES = new Set(['svc', 'service', 'services']);
const POD_PREFIXES = new Set(['po', 'pod', 'pods']);

/** A ReplicaSet's pod-template-hash in a pod name: Kubernetes' hash alphabet (no vowels, 0, 1, 3). */
const GENERATED_SEGMENT = /^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/;

/** The name without its hash segment: `frontend-84c5d9b7f6-hx2lq` is `frontend-hx2lq`. */
function withoutGeneratedSegments(name: string): string {
  const [first = '', ...rest] = name.split('-');
  const last = rest.pop();
  const kept = rest.filter((segment) => !GENERATED_SEGMENT.test(segment) || !/\d/.test(segment));
  return [first, ...kept, ...(last === undefined ? [] : [last])].join('-');
}

/** `text` as its `KIND/` or `NAMESPACE/` prefix (empty when none) and its name. */
function splitPrefix(text: string): [string, string] {
  const slash = text.lastIndexOf('/') + 1;
  return [text.slice(0, slash), text.slice(slash)];
}

/** Whether the candidate's name (after the same prefix as typed) contains or starts as typed. */
function looselyMatches(candidate: string, typed: string): boolean {
  const [typedPrefix, typedName] = splitPrefix(typed);
  const [prefix, name] = splitPrefix(candidate);
  if (prefix !== typedPrefix) return false;
  return name.includes(typedName) || withoutGeneratedSegments(name).startsWith(typedName);
}

/**
 * The candidates that match what is typed: those that start with it; when none does, those
 * whose name (after the same `PREFIX/`) contains it or starts with it once the generated hash
 * segments are left out (`frontend-hx2` for `frontend-84c5d9b7f6-hx2lq`).
 */
export function matchCandidates<T extends { readonly text: string }>(
  candidates: readonly T[],
  typed: string,
): T[] {
  const starting = candidates.filter((candidate) => candidate.text.startsWith(typed));
  if (starting.length > 0 || typed === '') return starting;
  return candidates.filter((candidate) => looselyMatches(candidate.text, typed));
}

function podsOf(analysis: CandidateSource, namespace: string): Pod[] {
  return (analysis.podsByNamespace.get(namespace) ?? []).map((idx) => analysis.pods[idx] as Pod);
}

function servicesOf(analysis: CandidateSource, namespace: string): Service[] {
  return [...analysis.services.values()].filter((service) => service.namespace === namespace);
}

/** A pod as a candidate named `text`. */
function podCandidate(text: string, pod: Pod): TargetCandidate {
  return { text, kind: 'pod', about: { namespace: pod.namespace, labels: identifyingLabels(pod) } };
}

/** NAMESPACE/NAME candidates: the namespace's pods and its workloads by their bare names. */
function namespacedCandidates(analysis: CandidateSource, namespace: string): TargetCandidate[] {
  const prefix = `${namespace}/`;
  const pods = podsOf(analysis, namespace).map((pod) => podCandidate(`${prefix}${pod.name}`, pod));
  const workloads = namespaceWorkloads(analysis, namespace).map((workload) => ({
    text: `${prefix}${workload.name}`,
    kind: workload.kind,
    about: { namespace, pods: workload.podIdxs.length },
  }));
  // A bare pod (no controller) is its own workload: offered once.
  return [...new Map([...workloads, ...pods].map((c) => [c.text, c])).values()];
}

/** Candidates after `KIND/`: services, pods or workloads of that kind in the namespace. */
function kindCandidates(
  analysis: CandidateSource,
  kind: string,
  namespace: string,
): TargetCandidate[] | undefined {
  const lower = kind.toLowerCase();
  if (SERVICE_PREFIXES.has(lower)) {
    return servicesOf(analysis, namespace).map((service) => ({
      text: `${kind}/${service.name}`,
      kind: 'service',
      about: { namespace, ports: service.ports },
    }));
  }
  if (POD_PREFIXES.has(lower)) {
    return podsOf(analysis, namespace).map((pod) => podCandidate(`${kind}/${pod.name}`, pod));
  }
  const workloads = namespaceWorkloads(analysis, namespace).filter(
    (workload) => workloadTargetName(workload.kind, '').slice(0, -1) === lower,
  );
  if (workloads.length === 0) return undefined;
  return workloads.map((workload) => ({
    text: workloadTargetName(workload.kind, workload.name),
    kind: workload.kind,
    about: { namespace, pods: workload.podIdxs.length },
  }));
}

/** Every kind prefix that names something in the namespace: `svc/`, `deploy/`, `sts/` ... */
function kindPrefixes(analysis: CandidateSource, namespace: string): TargetCandidate[] {
  const about = { namespace };
  const workloadKinds = namespaceWorkloads(analysis, namespace).map((workload) => ({
    text: workloadTargetName(workload.kind, ''),
    kind: workload.kind,
    about,
  }));
  const service =
    servicesOf(analysis, namespace).length > 0 ? [{ text: 'svc/', kind: 'service', about }] : [];
  const unique = new Map([...service, ...workloadKinds].map((prefix) => [prefix.text, prefix]));
  return [...unique.values()];
}

/** The namespaces of a snapshot: declared, holding pods or workloads scaled to zero. */
function namespaceNames(analysis: CandidateSource): Set<string> {
  const idle = (analysis.cluster.scaledToZero ?? []).map((template) => template.namespace);
  return new Set([...analysis.namespaces.keys(), ...analysis.podsByNamespace.keys(), ...idle]);
}

/** Every namespace of the snapshot (declared, holding pods or workloads), as `NAME`. */
export function namespaceCandidates(analysis: CandidateSource): TargetCandidate[] {
  return [...namespaceNames(analysis)].sort().map((name) => ({
    text: name,
    kind: 'namespace',
    about: { pods: analysis.podsByNamespace.get(name)?.length ?? 0 },
  }));
}

/**
 * The targets (as check, explain and scaffold fix take them) that finish `typed`, names given
 * without a namespace being in `namespace`: after `NAMESPACE/` its pods and workloads, after
 * `svc/`, `po/` or `deploy/` (any kind) those objects; else namespaces (`NAMESPACE/`), kind
 * prefixes and the namespace's pods and workloads. Matched as matchCandidates says.
 */
export function targetCandidates(
  analysis: CandidateSource,
  typed: string,
  namespace: string,
): TargetCandidate[] {
  const slash = typed.indexOf('/');
  if (slash >= 0) {
    const first = typed.slice(0, slash);
    const all =
      kindCandidates(analysis, first, namespace) ??
      (namespaceNames(analysis).has(first) ? namespacedCandidates(analysis, first) : []);
    return matchCandidates(all, typed);
  }
  const namespaces = namespaceCandidates(analysis).map((candidate) => ({
    ...candidate,
    text: `${candidate.text}/`,
  }));
  const local = namespacedCandidates(analysis, namespace).map((candidate) => ({
    ...candidate,
    text: candidate.text.slice(namespace.length + 1),
  }));
  return matchCandidates([...namespaces, ...kindPrefixes(analysis, namespace), ...local], typed);
}

/** The longest text every candidate starts with (what Tab can fill in without choosing). */
export function commonPrefix(texts: readonly string[]): string {
  const [first = '', ...rest] = texts;
  let length = first.length;
  for (const text of rest) {
    let same = 0;
    while (same < length && text[same] === first[same]) same++;
    length = same;
  }
  return first.slice(0, length);
}
