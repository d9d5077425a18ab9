import {
  type CalicoPolicy,
  type CalicoPolicyKind,
  type CalicoTier,
  type CiliumConfig,
  type CiliumPolicy,
  type CiliumPolicyKind,
  type Cluster,
  type ClusterNetworkPolicy,
  type ClusterNode,
  type ClusterPolicyKind,
  type ContainerInfo,
  type ContainerPort,
  type EndpointSlice,
  type FieldError,
  type Finding,
  type Labels,
  type Namespace,
  type NetworkPolicy,
  objectId,
  type Pod,
  type Protocol,
  podServiceAccount,
  type RefusedPolicy,
  type ReplicaRange,
  type Service,
  type SourceLocation,
  type StagedKubernetesPolicy,
  type UnmodelledPolicy,
  type Workload,
} from '../../engine/index.js';
import { runSteps, type Steps } from '../../steps.js';
import type { FieldPlaces, FieldRole } from '../manifests/field-places.js';
import type { SourcedObject } from '../manifests/parse-text.js';
import { refusedPolicy, refusedPolicyFinding } from './api-versions.js';
import {
  CLUSTER_NETWORK_POLICY_FIELDS,
  CRON_JOB_FIELDS,
  type KnownFields,
  NAMESPACE_FIELDS,
  NETWORK_POLICY_FIELDS,
  POD_FIELDS,
  SERVICE_FIELDS,
  WORKLOAD_FIELDS,
} from './known-fields.js';
import {
  calicoObjectKind,
  isGlobalCalicoKind,
  readCalicoPolicy,
  readCalicoTier,
  readStagedKubernetesPolicy,
} from './normalize-calico-policy.js';
import {
  CILIUM_CONFIG_NAME,
  ciliumPolicyKind,
  readCiliumConfig,
  readCiliumPolicy,
} from './normalize-cilium-policy.js';
import {
  CLUSTER_POLICY_GROUP,
  clusterPolicyKind,
  readClusterPolicy,
  readNode,
} from './normalize-cluster-policy.js';
import { readEndpointSlice, readEndpoints } from './normalize-endpoint-slice.js';
import { readNetworkPolicy } from './normalize-policy.js';
import { readAutoscaler, readNodePodCidrs } from './normalize-scaling.js';
import { ObjectLocations } from './object-locations.js';
import { unmodelledPolicyScope } from './policy-layers.js';
import { ShapeReader } from './shape.js';
import { unknownFieldFindings } from './unknown-fields.js';

/** Kinds whose pod template stands for their pods, with the path to the template. */
const WORKLOAD_TEMPLATES: Readonly<Record<string, readonly string[]>> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

/** Kinds whose pods vary in number: one per node, or one per scheduled run. */
const VARYING_REPLICAS = new Set(['DaemonSet', 'CronJob']);

/**
 * How many pods a workload stands for: spec.replicas (spec.parallelism for a Job), 1 when unset
 * as the API server defaults it; `several` for the kinds whose count varies or a value that is
 * not a count. A suspended Job has none: "If a Job is created with suspend set to true, no Pods
 * are created by the Job controller", and suspending one deletes its active Pods (JobSpec.suspend,
 * batch/v1).
 */
function replicaCount(kind: string, object: Record<string, unknown>): number | 'several' {
  if (VARYING_REPLICAS.has(kind)) return 'several';
  if (kind === 'Job' && path(object, ['spec', 'suspend']) === true) return 0;
  const value = path(object, ['spec', kind === 'Job' ? 'parallelism' : 'replicas']);
  if (value === undefined || value === null) return 1;
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 'several';
}

/** The replicas a workload an autoscaler scales stands for: `several`, unless its bounds meet. */
function scaledReplicas({ min, max }: ReplicaRange): number | 'several' {
  return min === max ? min : 'several';
}

/**
 * Whether an autoscaler scales a workload of `replicas` as written. One with minReplicas of 1 or
 * more leaves a target scaled to zero at zero: "scaling is disabled since the replica count of the
 * target is zero" (kubernetes/kubernetes pkg/controller/podautoscaler/horizontal.go@v1.31.0,
 * reconcileAutoscaler: `scale.Spec.Replicas == 0 && minReplicas != 0`; kubernetes.io, "Horizontal
 * Pod Autoscaling", "Implicit maintenance-mode deactivation").
 */
function scales(bounds: ReplicaRange, replicas: number | 'several'): boolean {
  return replicas !== 0 || bounds.min === 0;
}

/** The API group of HorizontalPodAutoscalers; v1 and v2 give their bounds alike. */
const AUTOSCALING_GROUP = 'autoscaling/';

const NETWORK_POLICY_API = 'networking.k8s.io/v1';

/** The EndpointSlice API group; v1beta1 slices (before Kubernetes 1.25) have the same fields. */
const DISCOVERY_GROUP = 'discovery.k8s.io/';

const TERMINAL_PHASES = new Set(['Succeeded', 'Failed']);

/** What an object's entry in the snapshot keeps of it: the object itself only when asked to. */
interface Placed {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly location: SourceLocation;
  readonly object?: Record<string, unknown>;
}

interface Header extends Placed {
  readonly object: Record<string, unknown>;
  readonly owners: readonly string[];
}

/**
 * A pod read from a Pod or from a workload's template, placed among the pods only when every
 * object is in: a workload owned by another object stands for no pods, and the autoscaler that
 * sets its replicas may come after it.
 */
interface PodDraft extends Placed {
  /** The pod read; none when its fields are malformed. */
  readonly pod?: Pod;
  /** Why the pod is refused, when it is (found as it is read, where its fields are known). */
  readonly rejected?: readonly Finding[];
  /** A workload's replicas as written (the pod stands for its pods), unless an autoscaler sets them. */
  readonly replicas?: number | 'several';
}

function path(value: unknown, keys: readonly string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** A List document's items (kind List or a typed list such as PodList), if it is one. */
export function listItems(object: unknown): unknown[] | undefined {
  const kind = path(object, ['kind']);
  const items = path(object, ['items']);
  return typeof kind === 'string' && kind.endsWith('List') && Array.isArray(items)
    ? items
    : undefined;
}

/** A List document's items (kind List or typed lists such as PodList), or the object alone. */
function expandList(sourced: SourcedObject): SourcedObject[] {
  const { object, location } = sourced;
  const items = listItems(object);
  if (!items) return [sourced];
  const kind = path(object, ['kind']) as string;
  // Typed lists (PodList, NetworkPolicyList...) leave kind and apiVersion off their items.
  const typed = kind !== 'List';
  const itemKind = kind.slice(0, -'List'.length);
  const apiVersion = path(object, ['apiVersion']);
  return items.map((item, i) => {
    const withKind =
      typed && typeof item === 'object' && item !== null && !('kind' in item)
        ? { apiVersion, ...item, kind: itemKind }
        : item;
    return { ...sourced, object: withKind, location: { ...location, item: i + 1 } };
  });
}

/** Splits List documents (kind List or typed lists such as PodList) into their items. */
export function expandLists(objects: readonly SourcedObject[]): SourcedObject[] {
  return objects.flatMap(expandList);
}

function readContainerPorts(reader: ShapeReader, spec: Record<string, unknown>, at: string) {
  const ports: ContainerPort[] = [];
  (reader.array(spec.containers, `${at}.containers`) ?? []).forEach((container, i) => {
    const c = reader.record(container, `${at}.containers[${i}]`) ?? {};
    (reader.array(c.ports, `${at}.containers[${i}].ports`) ?? []).forEach((entry, j) => {
      const p = `${at}.containers[${i}].ports[${j}]`;
      const port = reader.record(entry, p) ?? {};
      const number = reader.integer(port.containerPort, `${p}.containerPort`);
      const name = reader.string(port.name, `${p}.name`);
      if (number === undefined) return;
      const protocol = (reader.string(port.protocol, `${p}.protocol`) ?? 'TCP') as Protocol;
      ports.push(name ? { port: number, protocol, name } : { port: number, protocol });
    });
  });
  return ports;
}

/**
 * A pod spec's service account, when written: serviceAccountName, else the deprecated
 * serviceAccount alias, which the API server takes when serviceAccountName is empty
 * (pkg/apis/core/v1/conversion.go, Convert_v1_PodSpec_To_core_PodSpec).
 */
function serviceAccountOf(reader: ShapeReader, spec: Record<string, unknown>, at: string) {
  const name =
    reader.string(spec.serviceAccountName, `${at}.serviceAccountName`) ||
    reader.string(spec.serviceAccount, `${at}.serviceAccount`);
  return name ? { serviceAccount: name } : {};
}

/** A pod spec's hostname and subdomain, when both are written (they give the pod a DNS name). */
function dnsNameOf(reader: ShapeReader, spec: Record<string, unknown>, at: string) {
  const hostname = reader.string(spec.hostname, `${at}.hostname`);
  const subdomain = reader.string(spec.subdomain, `${at}.subdomain`);
  return hostname && subdomain ? { dnsName: { hostname, subdomain } } : {};
}

/** A pod spec's nodeName, when written (scheduled, or pinned by its author). */
function nodeNameOf(reader: ShapeReader, spec: Record<string, unknown>, at: string) {
  const nodeName = reader.string(spec.nodeName, `${at}.nodeName`);
  return nodeName ? { nodeName } : {};
}

function readPodIps(reader: ShapeReader, status: Record<string, unknown>): string[] {
  const fromList = (reader.array(status.podIPs, 'status.podIPs') ?? []).flatMap((entry, i) => {
    const ip = reader.string(
      reader.record(entry, `status.podIPs[${i}]`)?.ip,
      `status.podIPs[${i}].ip`,
    );
    return ip ? [ip] : [];
  });
  if (fromList.length > 0) return fromList;
  const single = reader.string(status.podIP, 'status.podIP');
  return single ? [single] : [];
}

/**
 * A pod's Ready condition as the EndpointSlice controller reads it: ready only when a Ready
 * condition says True (k8s.io/endpointslice@v0.31.0 util/controller_utils.go, IsPodReady).
 * Nothing when status.conditions is not written, so a hand-written pod stays ready.
 */
function readinessOf(reader: ShapeReader, status: Record<string, unknown>): { ready?: boolean } {
  const conditions = reader.array(status.conditions, 'status.conditions');
  if (!conditions) return {};
  const ready = conditions.some((entry, i) => {
    const condition = reader.record(entry, `status.conditions[${i}]`) ?? {};
    return condition.type === 'Ready' && condition.status === 'True';
  });
  return { ready };
}

/** The containers of a pod spec as platform checks read them; malformed entries are skipped. */
function readContainers(spec: unknown): ContainerInfo[] {
  const reader = new ShapeReader();
  const containers = reader.array(path(spec, ['containers']), 'containers') ?? [];
  return containers.flatMap((entry) => {
    const c = reader.record(entry, 'container') ?? {};
    const env = (reader.array(c.env, 'env') ?? []).flatMap((item) => {
      const e = reader.record(item, 'env') ?? {};
      const name = reader.string(e.name, 'name');
      const value = reader.string(e.value, 'value');
      return name !== undefined && value !== undefined ? [[name, value] as const] : [];
    });
    const command = reader.stringList(c.command, 'command');
    const args = reader.stringList(c.args, 'args');
    return [
      {
        name: reader.string(c.name, 'name') ?? '',
        image: reader.string(c.image, 'image') ?? '',
        args: command.length + args.length > 0 ? [...command, ...args] : NO_ARGS,
        env: env.length > 0 ? Object.fromEntries(env) : NO_ENV,
      },
    ];
  });
}

// Most containers of a snapshot have neither: they share these (kept as long as the snapshot).
const NO_ARGS: readonly string[] = Object.freeze([]);
const NO_ENV: Readonly<Record<string, string>> = Object.freeze({});

/** How many policies of one unmodelled kind are named with their location before a count. */
const UNMODELLED_NAMED = 10;

/** How many errors of one refused object are listed; a generated object can have thousands. */
const REJECT_LIMIT = 20;

/** Collects objects by kind, reporting problems as findings. */
class ClusterBuilder {
  /** Whether each kept object is kept as read too (for YAML views), besides its location. */
  constructor(private readonly keepObjects: boolean) {}
  /** Problems of objects without a kind or name, reported first. */
  readonly headerFindings: Finding[] = [];
  /** Problems of autoscalers, reported next: they are read before the workloads they scale. */
  private readonly autoscalerFindings: Finding[] = [];
  /** The other problems in the order of their objects, with the pods to place among them. */
  private readonly log: (Finding | PodDraft)[] = [];
  /** Whether a workload's pod waits in the log: the pods after it wait too, to keep their order. */
  private workloadWaiting = false;
  /** Workloads owned by another object (by "namespace/Kind/name"): they stand for no pods. */
  readonly owned = new Set<string>();
  readonly namespaces = new Map<string, Namespace>();
  /** ServiceAccount labels by `namespace/name`, which Calico's selectors may read (`pcsa.*`). */
  readonly serviceAccounts = new Map<string, Labels>();
  readonly pods = new Map<string, Pod>();
  /** The templates of workloads scaled to zero, by `namespace/name`: they stand for no pod. */
  readonly scaledToZero = new Map<string, Pod>();
  readonly services = new Map<string, Service>();
  readonly policies = new Map<string, NetworkPolicy>();
  /** Cluster policies, by "Kind name": the v1alpha1 kinds may share a name with a v1alpha2 one. */
  readonly clusterPolicies = new Map<string, ClusterNetworkPolicy>();
  readonly nodes = new Map<string, ClusterNode>();
  /** Calico policies, by "Kind namespace/name" (global ones without namespace). */
  readonly calicoPolicies = new Map<string, CalicoPolicy>();
  readonly calicoTiers = new Map<string, CalicoTier>();
  /** Calico StagedKubernetesNetworkPolicies, by "namespace/name". */
  readonly stagedKubernetesPolicies = new Map<string, StagedKubernetesPolicy>();
  readonly endpointSlices = new Map<string, EndpointSlice>();
  /** The slices each v1 Endpoints object mirrors to, by "namespace/name" of its Service. */
  readonly endpoints = new Map<string, readonly EndpointSlice[]>();
  readonly refusedPolicies: RefusedPolicy[] = [];
  readonly workloads: Workload[] = [];
  /** The bounds of autoscaled workloads, by "namespace/Kind/name". */
  readonly autoscalers = new Map<string, ReplicaRange>();
  /** The Nodes' pod address ranges, each once. */
  private readonly podCidrs = new Set<string>();
  private readonly ignoredKinds = new Map<string, number>();
  /** Policies of other layers, by "apiVersion Kind namespace/name" (an object read twice is one). */
  private readonly unmodelled = new Map<string, UnmodelledPolicy>();

  /** Why an object was refused: its first REJECT_LIMIT errors, then how many more. */
  private rejection(
    header: Placed,
    errors: readonly FieldError[],
    key = objectId(header.namespace, header.name),
  ): Finding[] {
    const object = `${header.kind} ${key}`;
    const finding = (message: string, location = header.location): Finding => ({
      severity: 'error',
      code: 'invalid-object',
      message,
      object,
      location,
    });
    const shown = errors.slice(0, REJECT_LIMIT).map((e) => {
      const location = this.fieldLocation(header.location, e.field, 'value');
      return finding(`${e.field}: ${e.message}`, location);
    });
    if (errors.length <= REJECT_LIMIT) return shown;
    return [...shown, finding(`and ${errors.length - REJECT_LIMIT} more errors`)];
  }

  /** Where the fields of the object being added are written, when it was read from a file. */
  fields: FieldPlaces | undefined;

  /** The location of a field of the object being added: its line and column when known. */
  fieldLocation(location: SourceLocation, field: string, role: FieldRole): SourceLocation {
    return this.fields ? this.fields.locate(location, field, role) : location;
  }

  /** Reports why an object was refused, in the order of the objects. */
  reject(header: Placed, errors: readonly FieldError[], key?: string) {
    for (const finding of this.rejection(header, errors, key)) this.log.push(finding);
  }

  /** Where each kept object came from, by "Kind namespace/name". */
  readonly locations = new ObjectLocations();
  /** Each kept object as it was read, by "Kind namespace/name" (for YAML views), if asked. */
  readonly objects = new Map<string, Record<string, unknown>>();

  /**
   * Keeps a value under its key (the last one read wins); says when the key was taken. Its
   * location and object are kept as "Kind key"; a table several kinds share keys it by
   * `tableKey` ("Kind key") instead.
   */
  private store<T>(
    table: Map<string, T>,
    key: string,
    value: T,
    header: Placed,
    tableKey = key,
  ): Finding | undefined {
    this.locations.keep(header.kind, key, header.location);
    if (this.keepObjects && header.object) this.objects.set(`${header.kind} ${key}`, header.object);
    const before = table.size;
    table.set(tableKey, value);
    if (table.size > before) return undefined;
    return {
      severity: 'warning',
      code: 'duplicate-object',
      message: 'appears more than once; the last one is used',
      object: `${header.kind} ${key}`,
      location: header.location,
    };
  }

  private put<T>(table: Map<string, T>, key: string, value: T, header: Header, tableKey = key) {
    const duplicate = this.store(table, key, value, header, tableKey);
    if (duplicate) this.log.push(duplicate);
  }

  addNamespace(header: Header) {
    this.checkFields(header, NAMESPACE_FIELDS, header.name);
    const reader = new ShapeReader();
    const labels = reader.stringMap(path(header.object, ['metadata', 'labels']), 'metadata.labels');
    if (reader.errors.length > 0) return this.reject(header, reader.errors);
    this.put(this.namespaces, header.name, { name: header.name, labels }, header);
  }

  addServiceAccount(header: Header) {
    const reader = new ShapeReader();
    const labels = reader.stringMap(path(header.object, ['metadata', 'labels']), 'metadata.labels');
    if (reader.errors.length > 0) return this.reject(header, reader.errors);
    this.put(this.serviceAccounts, objectId(header.namespace, header.name), labels, header);
  }

  /** The pods of a table, each with its ServiceAccount's labels when that object was read. */
  private withAccountLabels(pods: ReadonlyMap<string, Pod>): Pod[] {
    return [...pods.values()].map((pod) => {
      const labels = this.serviceAccounts.get(objectId(pod.namespace, podServiceAccount(pod)));
      return labels ? { ...pod, serviceAccountLabels: labels } : pod;
    });
  }

  /**
   * Reads a pod, or the pods a workload's template stands for (`replicas` as written), to place
   * when every object is in.
   */
  addPod(header: Header, template: unknown, status: unknown, replicas?: number | 'several') {
    const reader = new ShapeReader();
    // Errors name fields by their path in the object: a workload's are in its template.
    const inTemplate = WORKLOAD_TEMPLATES[header.kind];
    const base = header.kind === 'Pod' || !inTemplate ? '' : `${inTemplate.join('.')}.`;
    const at = `${base}spec`;
    const metadata = reader.record(path(template, ['metadata']), `${base}metadata`) ?? {};
    const spec = reader.record(path(template, ['spec']), at) ?? {};
    const statusRecord = reader.record(status, 'status') ?? {};
    const pod: Pod = {
      id: objectId(header.namespace, header.name),
      namespace: header.namespace,
      name: header.name,
      kind: header.kind,
      labels: reader.stringMap(metadata.labels, `${base}metadata.labels`),
      ips: readPodIps(reader, statusRecord),
      hostNetwork: reader.boolean(spec.hostNetwork, `${at}.hostNetwork`),
      ...nodeNameOf(reader, spec, at),
      ...dnsNameOf(reader, spec, at),
      ports: readContainerPorts(reader, spec, at),
      ...serviceAccountOf(reader, spec, at),
      ...readinessOf(reader, statusRecord),
      ...(metadata.deletionTimestamp ? { terminating: true as const } : {}),
    };
    const { kind, name, namespace, location } = header;
    const draft: PodDraft = {
      kind,
      name,
      namespace,
      location,
      ...(this.keepObjects ? { object: header.object } : {}),
      ...(reader.errors.length > 0 ? { rejected: this.rejection(header, reader.errors) } : { pod }),
      ...(replicas === undefined ? {} : { replicas }),
    };
    this.workloadWaiting ||= replicas !== undefined;
    // A Pod with no workload before it is placed now, as it would be at the end.
    if (this.workloadWaiting) this.log.push(draft);
    else for (const finding of this.placePod(draft)) this.log.push(finding);
  }

  /**
   * Places a pod read: none for a workload owned by another object; a workload's replicas as
   * its autoscaler bounds them, among the workloads scaled to zero when that leaves none.
   * Returns the problems, in place of the draft.
   */
  private placePod(draft: PodDraft): Finding[] {
    const { kind, namespace, name, replicas } = draft;
    if (replicas !== undefined && this.owned.has(`${namespace}/${kind}/${name}`)) return [];
    if (!draft.pod) return [...(draft.rejected ?? [])];
    const scaled = replicas !== undefined && this.autoscalers.get(`${namespace}/${kind}/${name}`);
    const pod: Pod =
      replicas === undefined
        ? draft.pod
        : scaled && scales(scaled, replicas)
          ? { ...draft.pod, replicas: scaledReplicas(scaled), autoscaled: scaled }
          : { ...draft.pod, replicas };
    const table = pod.replicas === 0 ? this.scaledToZero : this.pods;
    const duplicate = this.store(table, pod.id, pod, draft);
    return duplicate ? [duplicate] : [];
  }

  /** Records what a pod or workload runs, whether or not it stands for pods in the analysis. */
  addWorkload(header: Header, template: unknown) {
    const [owner] = header.owners;
    this.workloads.push({
      kind: header.kind,
      namespace: header.namespace,
      name: header.name,
      ...(owner ? { owner } : {}),
      containers: readContainers(path(template, ['spec'])),
    });
  }

  addService(header: Header) {
    this.checkFields(header, SERVICE_FIELDS, objectId(header.namespace, header.name));
    const reader = new ShapeReader();
    const spec = reader.record(header.object.spec, 'spec') ?? {};
    const ports = (reader.array(spec.ports, 'spec.ports') ?? []).flatMap((entry, i) => {
      const p = reader.record(entry, `spec.ports[${i}]`) ?? {};
      const port = reader.integer(p.port, `spec.ports[${i}].port`);
      if (port === undefined) return [];
      const name = reader.string(p.name, `spec.ports[${i}].name`);
      const nodePort = reader.integer(p.nodePort, `spec.ports[${i}].nodePort`);
      return [
        {
          port,
          protocol: (reader.string(p.protocol, `spec.ports[${i}].protocol`) ?? 'TCP') as Protocol,
          targetPort: reader.intOrString(p.targetPort, `spec.ports[${i}].targetPort`) ?? port,
          ...(name ? { name } : {}),
          ...(nodePort ? { nodePort } : {}),
        },
      ];
    });
    const externalAddresses = [
      ...reader.stringList(spec.externalIPs, 'spec.externalIPs'),
      ...(
        reader.array(
          path(header.object, ['status', 'loadBalancer', 'ingress']),
          'status.loadBalancer.ingress',
        ) ?? []
      ).flatMap((entry, i) => {
        const ingress = reader.record(entry, `status.loadBalancer.ingress[${i}]`) ?? {};
        return reader.string(ingress.ip, `status.loadBalancer.ingress[${i}].ip`) ?? [];
      }),
    ];
    const trafficPolicy = reader.string(spec.externalTrafficPolicy, 'spec.externalTrafficPolicy');
    const selector = reader.record(spec.selector, 'spec.selector')
      ? reader.stringMap(spec.selector, 'spec.selector')
      : undefined;
    const clusterIPs = reader.stringList(spec.clusterIPs, 'spec.clusterIPs');
    const clusterIP = reader.string(spec.clusterIP, 'spec.clusterIP');
    const labels = reader.stringMap(path(header.object, ['metadata', 'labels']), 'metadata.labels');
    const type = reader.string(spec.type, 'spec.type');
    const publishNotReady = reader.boolean(
      spec.publishNotReadyAddresses,
      'spec.publishNotReadyAddresses',
    );
    const internalPolicy = reader.string(spec.internalTrafficPolicy, 'spec.internalTrafficPolicy');
    const ipFamilies = reader
      .stringList(spec.ipFamilies, 'spec.ipFamilies')
      .flatMap((family) => IP_FAMILIES[family] ?? []);
    // Only the annotations read: another's odd value is no reason to drop the Service.
    const annotation = (key: string) =>
      reader.string(
        path(header.object, ['metadata', 'annotations', key]),
        `metadata.annotations.${key}`,
      );
    const topologyMode =
      annotation('service.kubernetes.io/topology-aware-hints') ??
      annotation('service.kubernetes.io/topology-mode');
    const distribution = reader.string(spec.trafficDistribution, 'spec.trafficDistribution');
    if (reader.errors.length > 0) return this.reject(header, reader.errors);
    this.put(
      this.services,
      objectId(header.namespace, header.name),
      {
        namespace: header.namespace,
        name: header.name,
        ports,
        ...serviceAddressing(clusterIPs, clusterIP),
        ...(selector && Object.keys(selector).length > 0 ? { selector } : {}),
        ...(type ? { type } : {}),
        ...(Object.keys(labels).length > 0 ? { labels } : {}),
        ...(externalAddresses.length > 0 ? { externalAddresses } : {}),
        ...(trafficPolicy ? { externalTrafficPolicy: trafficPolicy } : {}),
        ...(publishNotReady ? { publishNotReadyAddresses: true as const } : {}),
        ...(internalPolicy === 'Local' ? { internalTrafficPolicyLocal: true as const } : {}),
        ...(ipFamilies.length > 0 ? { ipFamilies } : {}),
        ...(getsTopologyHints(topologyMode, distribution) ? { topologyHints: true as const } : {}),
      },
      header,
    );
  }

  /** Records the replica bounds a HorizontalPodAutoscaler keeps its target within. */
  addAutoscaler(header: Header) {
    const { autoscaler, errors } = readAutoscaler(header.object);
    if (!autoscaler) {
      for (const finding of this.rejection(header, errors)) this.autoscalerFindings.push(finding);
      return;
    }
    this.autoscalers.set(`${header.namespace}/${autoscaler.target}`, autoscaler.replicas);
  }

  /** Warns of an object's fields its type has not (`key` as its kind's table names it). */
  checkFields(header: Header, known: KnownFields, key: string) {
    const about = { object: `${header.kind} ${key}`, location: header.location };
    const place = (field: string) => this.fieldLocation(header.location, field, 'key');
    for (const finding of unknownFieldFindings(header.object, known, about, place)) {
      this.log.push(finding);
    }
  }

  addPolicy(header: Header) {
    this.checkFields(header, NETWORK_POLICY_FIELDS, objectId(header.namespace, header.name));
    const { policy, errors } = readNetworkPolicy(header.object, header.name, header.namespace);
    if (!policy) return this.reject(header, errors);
    this.put(this.policies, objectId(header.namespace, header.name), policy, header);
  }

  /** Reads a cluster-scoped policy of the Admin or Baseline tier. */
  addClusterPolicy(header: Header, kind: ClusterPolicyKind) {
    if (kind === 'ClusterNetworkPolicy') {
      this.checkFields(header, CLUSTER_NETWORK_POLICY_FIELDS, header.name);
    }
    const { policy, errors } = readClusterPolicy(header.object, header.name, kind);
    if (!policy) return this.reject(header, errors, header.name);
    this.put(this.clusterPolicies, header.name, policy, header, `${kind} ${header.name}`);
    if (kind !== 'ClusterNetworkPolicy') this.deprecatedKinds.add(kind);
  }

  /**
   * Records a Node: its labels and addresses for cluster policies' `nodes` peers, and its pod
   * address ranges, where pods whose IP is unknown take theirs from.
   */
  addNode(header: Header) {
    const { node, errors } = readNode(header.object, header.name);
    const ranges = readNodePodCidrs(header.object);
    if (!node || ranges.errors.length > 0) {
      return this.reject(header, [...errors, ...ranges.errors], header.name);
    }
    this.put(this.nodes, header.name, node, header);
    for (const cidr of ranges.cidrs) this.podCidrs.add(cidr);
  }

  /** Reads a Calico policy; one the engine cannot place on the pod path is named in a note. */
  addCalicoPolicy(header: Header, kind: CalicoPolicyKind) {
    const namespace = isGlobalCalicoKind(kind) ? undefined : header.namespace;
    const key = namespace ? objectId(namespace, header.name) : header.name;
    const { policy, errors } = readCalicoPolicy(header.object, header.name, namespace, kind);
    if (!policy) return this.reject(header, errors, key);
    this.put(this.calicoPolicies, key, policy, header, `${kind} ${key}`);
    if (policy.outOfScope.length > 0) {
      this.log.push({
        severity: 'warning',
        code: 'calico-out-of-scope',
        object: `${kind} ${key}`,
        location: header.location,
        message: `not evaluated: ${policy.outOfScope.join(' and ')} policies act on host endpoints, which the engine does not model`,
      });
    }
  }

  /** Reads a StagedKubernetesNetworkPolicy: a NetworkPolicy spec staged, never enforced. */
  addStagedKubernetesPolicy(header: Header) {
    const { namespace, name, object } = header;
    const { staged, errors } = readStagedKubernetesPolicy(object, name, namespace);
    if (!staged) return this.reject(header, errors);
    this.put(this.stagedKubernetesPolicies, objectId(namespace, name), staged, header);
  }

  addCalicoTier(header: Header) {
    const { tier, errors } = readCalicoTier(header.object, header.name);
    if (!tier) return this.reject(header, errors, header.name);
    this.put(this.calicoTiers, header.name, tier, header);
  }

  private readonly deprecatedKinds = new Set<ClusterPolicyKind>();
  private readonly ciliumPolicies = new Map<string, CiliumPolicy>();
  private ciliumConfig: CiliumConfig | undefined;

  /** Reads a CiliumNetworkPolicy or CiliumClusterwideNetworkPolicy. */
  addCiliumPolicy(header: Header, kind: CiliumPolicyKind) {
    const { policy, errors } = readCiliumPolicy(header.object, kind, header.name, header.namespace);
    const key =
      kind === 'CiliumNetworkPolicy' ? objectId(header.namespace, header.name) : header.name;
    if (!policy) return this.reject(header, errors, key);
    const { location } = header;
    const located = location.document !== undefined ? { ...policy, location } : policy;
    this.put(this.ciliumPolicies, key, located, header, `${kind} ${key}`);
  }

  /** Reads Cilium's policy enforcement mode from the cilium-config ConfigMap. */
  addCiliumConfig(header: Header) {
    const { config, errors } = readCiliumConfig(header.object);
    if (!config) return this.reject(header, errors);
    this.ciliumConfig = config;
  }

  private deprecationNotes(findings: Finding[]) {
    for (const kind of [...this.deprecatedKinds].sort()) {
      findings.push({
        severity: 'info',
        code: 'deprecated-kind',
        message: `${kind} (${CLUSTER_POLICY_GROUP}/v1alpha1) is deprecated: ClusterNetworkPolicy (${CLUSTER_POLICY_GROUP}/v1alpha2) replaces it; it is evaluated in the ${kind === 'AdminNetworkPolicy' ? 'Admin' : 'Baseline'} tier with Allow read as Accept`,
      });
    }
  }

  /** Records a policy of a layer the engine does not evaluate yet. */
  addUnmodelled(header: Header, apiVersion: string, scope: 'namespaced' | 'cluster') {
    const namespace = scope === 'namespaced' ? header.namespace : undefined;
    const { location } = header;
    const policy = {
      apiVersion,
      kind: header.kind,
      ...(namespace ? { namespace } : {}),
      name: header.name,
      // A manifest's document; a live object's "location" only names the context.
      ...(location.document !== undefined ? { location } : {}),
    };
    this.unmodelled.set(`${apiVersion} ${header.kind} ${namespace ?? ''}/${header.name}`, policy);
  }

  /**
   * A note per policy not evaluated: for those of manifests, with their file and line (the
   * first UNMODELLED_NAMED of each kind), and one count per kind for the others.
   */
  private unmodelledNotes(findings: Finding[]) {
    const byKind = new Map<string, UnmodelledPolicy[]>();
    for (const policy of this.unmodelled.values()) {
      const key = `${policy.kind} (${policy.apiVersion})`;
      byKind.set(key, [...(byKind.get(key) ?? []), policy]);
    }
    for (const [kind, policies] of [...byKind].sort(([a], [b]) => a.localeCompare(b))) {
      const located = policies.filter((p) => p.location).slice(0, UNMODELLED_NAMED);
      for (const policy of located) {
        const { namespace, name, location } = policy;
        findings.push({
          severity: 'info',
          code: 'unmodelled-policy',
          object: `${policy.kind} ${namespace ? objectId(namespace, name) : name}`,
          ...(location ? { location } : {}),
          message: `not evaluated: the engine does not evaluate ${kind} yet, so verdicts on the pods it selects may differ on the cluster`,
        });
      }
      const count = policies.length - located.length;
      if (count === 0) continue;
      const more = located.length > 0 ? ' more' : '';
      findings.push({
        severity: 'info',
        code: 'unmodelled-policy',
        message: `${count}${more} ${kind} object${count === 1 ? '' : 's'} not evaluated: the engine does not evaluate this kind yet, so verdicts on the pods ${count === 1 ? 'it selects' : 'they select'} may differ on the cluster`,
      });
    }
  }

  addEndpointSlice(header: Header) {
    const { slice, errors } = readEndpointSlice(header.object, header.name, header.namespace);
    if (!slice) return this.reject(header, errors);
    this.put(this.endpointSlices, objectId(header.namespace, header.name), slice, header);
  }

  addEndpoints(header: Header) {
    const { slices, errors } = readEndpoints(header.object, header.name, header.namespace);
    if (!slices) return this.reject(header, errors);
    this.put(this.endpoints, objectId(header.namespace, header.name), slices, header);
  }

  /**
   * The EndpointSlices the control plane mirrors from Endpoints objects: those of a Service
   * without selector that has no EndpointSlice in the input. Other Endpoints are ignored (a
   * selector's Service gets its slices from the pods). Source: "EndpointSlice mirroring",
   * kubernetes.io/docs/concepts/services-networking/endpoint-slices/.
   */
  private mirroredSlices(): EndpointSlice[] {
    const sliced = new Set(
      [...this.endpointSlices.values()].flatMap((s) =>
        s.service ? [objectId(s.namespace, s.service)] : [],
      ),
    );
    return [...this.endpoints].flatMap(([id, slices]) => {
      const service = this.services.get(id);
      if (service && !service.selector && !sliced.has(id)) return slices;
      this.ignore('Endpoints');
      return [];
    });
  }

  /** Leaves out a policy API servers refuse, with a warning, and keeps it for the audit. */
  refuse(policy: RefusedPolicy) {
    this.refusedPolicies.push(policy);
    this.log.push(refusedPolicyFinding(policy));
  }

  ignore(kind: string) {
    this.ignoredKinds.set(kind, (this.ignoredKinds.get(kind) ?? 0) + 1);
  }

  /**
   * The cluster of every object read, and the problems in the order they would have had with
   * every object read first: headers', autoscalers', the objects' in their order, then notes.
   */
  build(): { cluster: Cluster; findings: Finding[] } {
    const findings = [...this.headerFindings, ...this.autoscalerFindings];
    const endpointSlices = [...this.endpointSlices.values(), ...this.mirroredSlices()];
    for (const entry of this.log) {
      if ('severity' in entry) findings.push(entry);
      else for (const finding of this.placePod(entry)) findings.push(finding);
    }
    for (const [kind, count] of [...this.ignoredKinds].sort()) {
      findings.push({
        severity: 'info',
        code: 'unknown-kind',
        message: `ignored ${count} ${kind} object${count === 1 ? '' : 's'}: not used by NetworkPolicy analysis`,
      });
    }
    this.unmodelledNotes(findings);
    this.deprecationNotes(findings);
    const unmodelled = [...this.unmodelled.values()].sort(
      (a, b) =>
        a.kind.localeCompare(b.kind) ||
        (a.namespace ?? '').localeCompare(b.namespace ?? '') ||
        a.name.localeCompare(b.name),
    );
    const cluster: Cluster = {
      namespaces: [...this.namespaces.values()],
      pods: this.withAccountLabels(this.pods),
      ...(this.scaledToZero.size > 0
        ? { scaledToZero: this.withAccountLabels(this.scaledToZero) }
        : {}),
      services: [...this.services.values()],
      policies: [...this.policies.values()],
      ...(this.clusterPolicies.size > 0
        ? { clusterPolicies: [...this.clusterPolicies.values()] }
        : {}),
      ...(this.ciliumPolicies.size > 0
        ? { ciliumPolicies: [...this.ciliumPolicies.values()] }
        : {}),
      ...(this.ciliumConfig ? { ciliumConfig: this.ciliumConfig } : {}),
      ...(this.calicoPolicies.size > 0
        ? { calicoPolicies: [...this.calicoPolicies.values()] }
        : {}),
      ...(this.stagedKubernetesPolicies.size > 0
        ? { stagedKubernetesPolicies: [...this.stagedKubernetesPolicies.values()] }
        : {}),
      ...(this.calicoTiers.size > 0 ? { calicoTiers: [...this.calicoTiers.values()] } : {}),
      ...(this.nodes.size > 0 ? { nodes: [...this.nodes.values()] } : {}),
      ...(endpointSlices.length > 0 ? { endpointSlices } : {}),
      workloads: this.workloads,
      ...(unmodelled.length > 0 ? { unmodelledPolicies: unmodelled } : {}),
      ...(this.refusedPolicies.length > 0 ? { refusedPolicies: this.refusedPolicies } : {}),
      ...(this.podCidrs.size > 0 ? { podCidrs: [...this.podCidrs] } : {}),
    };
    return { cluster, findings };
  }
}

function readHeader({ object, location }: SourcedObject, findings: Finding[]): Header | undefined {
  const problem = (message: string) => {
    findings.push({ severity: 'error', code: 'invalid-document', message, location });
    return undefined;
  };
  if (typeof object !== 'object' || object === null || Array.isArray(object)) {
    return problem('not a Kubernetes object (expected a mapping with apiVersion and kind)');
  }
  const record = object as Record<string, unknown>;
  const kind = record.kind;
  const name = path(record, ['metadata', 'name']);
  if (typeof kind !== 'string' || kind === '') return problem('object has no kind');
  if (typeof name !== 'string' || name === '') return problem(`${kind} has no metadata.name`);
  const namespace = path(record, ['metadata', 'namespace']);
  const owners = path(record, ['metadata', 'ownerReferences']);
  return {
    kind,
    name,
    namespace:
      kind === 'Namespace'
        ? name
        : typeof namespace === 'string' && namespace
          ? namespace
          : 'default',
    object: record,
    location,
    owners: Array.isArray(owners)
      ? owners.flatMap((o) =>
          typeof o?.kind === 'string' && typeof o?.name === 'string' ? [`${o.kind}/${o.name}`] : [],
        )
      : [],
  };
}

/** Whether an object is Cilium's agent configuration (in whichever namespace Cilium runs). */
const isCiliumConfig = ({ kind, name }: { readonly kind: string; readonly name: unknown }) =>
  kind === 'ConfigMap' && name === CILIUM_CONFIG_NAME;

/** A snapshot's objects normalised: the engine's cluster, and where each object came from. */
export interface NormalizedObjects {
  readonly cluster: Cluster;
  readonly findings: Finding[];
  /** Where each kept object came from, by "Kind namespace/name". */
  readonly locations: ReadonlyMap<string, SourceLocation>;
  /** Each kept object as read, by "Kind namespace/name": empty unless asked to keep them. */
  readonly objects: ReadonlyMap<string, Record<string, unknown>>;
}

const isAutoscaler = ({ kind, object }: Pick<Header, 'kind' | 'object'>) =>
  kind === 'HorizontalPodAutoscaler' && String(object.apiVersion).startsWith(AUTOSCALING_GROUP);

/** Kinds whose objects addObject reads past their header, of some apiVersions at least. */
const READ_KINDS = new Set([
  'Namespace',
  'ServiceAccount',
  'Node',
  'Pod',
  'Service',
  'NetworkPolicy',
  'EndpointSlice',
  'Endpoints',
  ...Object.keys(WORKLOAD_TEMPLATES),
]);

/**
 * Whether normalising an object reads more of it than its header (apiVersion, kind, and
 * metadata's name, namespace and ownerReferences): false only for what addObject ignores,
 * which it counts by kind and reads nothing else of. The manifest cache and the parse worker
 * drop the rest of the others (readForm): a kind addObject comes to read must be named here.
 */
export function readsPastHeader(object: Record<string, unknown>): boolean {
  const kind = typeof object.kind === 'string' ? object.kind : '';
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
  return (
    READ_KINDS.has(kind) ||
    isAutoscaler({ kind, object }) ||
    isCiliumConfig({ kind, name: path(object, ['metadata', 'name']) }) ||
    clusterPolicyKind(apiVersion, kind) !== undefined ||
    ciliumPolicyKind(apiVersion, kind) !== undefined ||
    calicoObjectKind(apiVersion, kind) !== undefined ||
    unmodelledPolicyScope(apiVersion, kind) !== undefined
  );
}

/**
 * Turns decoded manifests or API objects into the engine's cluster one object at a time, as
 * they are read, keeping of each only what the cluster holds (and the object itself only with
 * `keepObjects`), so a read object is garbage as soon as it is added. What depends on every
 * object (which workloads are owned, autoscalers, ServiceAccount labels) is settled by finish,
 * called once: the result is what normalising every object at once gives.
 */
export class ObjectNormalizer {
  private readonly builder: ClusterBuilder;
  /** How many objects (documents, a List counting once) were added. */
  added = 0;

  constructor(options: { readonly keepObjects: boolean }) {
    this.builder = new ClusterBuilder(options.keepObjects);
  }

  /**
   * Normalises one decoded object (a List's items each in turn); findings about its fields
   * give their line and column when it says where they are written.
   */
  add(sourced: SourcedObject): void {
    runSteps(this.addInSteps(sourced));
  }

  /** add in steps: a List's items one a step (a List of 10,000 items is not one long piece of work). */
  *addInSteps(sourced: SourcedObject): Steps<void> {
    this.added++;
    this.builder.fields = sourced.fields;
    try {
      for (const item of expandList(sourced)) {
        const header = readHeader(item, this.builder.headerFindings);
        if (header) this.addObject(header);
        yield;
      }
    } finally {
      // The text the places are found in is not kept past its file.
      this.builder.fields = undefined;
    }
  }

  private addObject(header: Header) {
    const { builder } = this;
    const { kind, object } = header;
    for (const owner of header.owners) builder.owned.add(`${header.namespace}/${owner}`);
    if (isAutoscaler(header)) builder.addAutoscaler(header);
    const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
    const layerScope = unmodelledPolicyScope(apiVersion, kind);
    const clusterKind = clusterPolicyKind(apiVersion, kind);
    const ciliumKind = ciliumPolicyKind(apiVersion, kind);
    const calicoKind = calicoObjectKind(apiVersion, kind);
    if (clusterKind) builder.addClusterPolicy(header, clusterKind);
    else if (ciliumKind) builder.addCiliumPolicy(header, ciliumKind);
    else if (isCiliumConfig(header)) builder.addCiliumConfig(header);
    else if (calicoKind === 'Tier') builder.addCalicoTier(header);
    else if (calicoKind === 'StagedKubernetesNetworkPolicy')
      builder.addStagedKubernetesPolicy(header);
    else if (calicoKind) builder.addCalicoPolicy(header, calicoKind);
    else if (layerScope) builder.addUnmodelled(header, apiVersion, layerScope);
    else if (isAutoscaler(header)) return;
    else if (kind === 'Namespace') builder.addNamespace(header);
    else if (kind === 'ServiceAccount') builder.addServiceAccount(header);
    else if (kind === 'Node') builder.addNode(header);
    else if (kind === 'Pod') {
      const phase = path(object, ['status', 'phase']);
      if (typeof phase === 'string' && TERMINAL_PHASES.has(phase)) return;
      builder.checkFields(header, POD_FIELDS, objectId(header.namespace, header.name));
      builder.addWorkload(header, object);
      builder.addPod(header, object, object.status);
    } else if (kind === 'Service') builder.addService(header);
    else if (kind === 'NetworkPolicy') {
      const apiVersion = object.apiVersion;
      const refused = refusedPolicy(apiVersion, header);
      if (apiVersion === undefined || apiVersion === NETWORK_POLICY_API) builder.addPolicy(header);
      else if (refused) builder.refuse(refused);
      else builder.ignore(`${kind} (${String(apiVersion)})`);
    } else if (kind === 'EndpointSlice' && String(object.apiVersion).startsWith(DISCOVERY_GROUP)) {
      builder.addEndpointSlice(header);
    } else if (kind === 'Endpoints' && object.apiVersion === 'v1') {
      builder.addEndpoints(header);
    } else if (WORKLOAD_TEMPLATES[kind]) {
      const template = path(object, WORKLOAD_TEMPLATES[kind]);
      const fields = kind === 'CronJob' ? CRON_JOB_FIELDS : WORKLOAD_FIELDS;
      builder.checkFields(header, fields, objectId(header.namespace, header.name));
      builder.addWorkload(header, template);
      builder.addPod(header, template, undefined, replicaCount(kind, object));
    } else builder.ignore(kind);
  }

  /** The cluster of every object added, and the problems met, in the order of the objects. */
  finish(): NormalizedObjects {
    const { builder } = this;
    return { ...builder.build(), locations: builder.locations, objects: builder.objects };
  }
}

/**
 * Turns decoded manifests or API objects into the engine's cluster, keeping each object as
 * read. Workloads stand for their pods through their template unless objects they own (their
 * pods or ReplicaSets) are present.
 */
export function normalizeObjects(objects: readonly SourcedObject[]): NormalizedObjects {
  const normalizer = new ObjectNormalizer({ keepObjects: true });
  for (const sourced of objects) normalizer.add(sourced);
  return normalizer.finish();
}

/**
 * A Service's ClusterIPs as written (clusterIPs, else clusterIP), and whether it is headless:
 * "Setting this to "None" makes a "headless service" (no virtual IP)" (ServiceSpec, core/v1).
 * Neither written: the API server assigns one, so it is not headless.
 */
/** spec.ipFamilies values, as address families. */
const IP_FAMILIES: Readonly<Record<string, 4 | 6>> = { IPv4: 4, IPv6: 6 };

/**
 * Whether the EndpointSlice controller writes topology hints for a Service: the deprecated
 * topology-aware-hints annotation, else topology-mode, is Auto (k8s.io/endpointslice@v0.37.1
 * utils.go, hintsEnabled), or spec.trafficDistribution is PreferClose, PreferSameZone or
 * PreferSameNode (trafficdist/trafficdist.go@v0.37.1, ReconcileHints).
 */
function getsTopologyHints(mode: string | undefined, distribution: string | undefined): boolean {
  return (
    mode === 'Auto' ||
    mode === 'auto' ||
    ['PreferClose', 'PreferSameZone', 'PreferSameNode'].includes(distribution ?? '')
  );
}

function serviceAddressing(
  clusterIPs: readonly string[],
  clusterIP: string | undefined,
): Pick<Service, 'clusterIPs' | 'headless'> {
  const written = clusterIPs.length > 0 ? clusterIPs : clusterIP ? [clusterIP] : [];
  return written[0] === 'None' ? { clusterIPs: [], headless: true } : { clusterIPs: written };
}
