import {
  type Cluster,
  type LabelSelector,
  parseIpAddress,
  selectorMatches,
  showsNetworkPlugin,
} from '../engine/index.js';
import { loadedFromSources } from './load-input.js';
import {
  collectEntries,
  type DeferredDocument,
  type ManifestEntry,
  type SourcedObject,
} from './manifests/parse-text.js';
import { readManifestEntries } from './manifests/read-paths.js';
import { NOT_STRINGS, type PlainHeader } from './manifests/yaml-structure.js';
import type { LoadedInput } from './normalize/loaded-input.js';
import { normalizeObjects } from './normalize/normalize.js';
import {
  focusEnds,
  PLATFORM_NAMESPACE,
  peerSelectors,
  type ReadFocus,
  reachedNamespaces,
  weighedPolicies,
} from './read-focus.js';

/**
 * The kinds a namespace holds in bulk, by apiVersion: what only the namespace's answers read,
 * and what the normaliser reads as these kinds (no policy layer of another API group).
 */
const BULK_KINDS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['v1', new Set(['Pod', 'Service', 'ReplicationController'])],
  ['networking.k8s.io/v1', new Set(['NetworkPolicy'])],
  ['discovery.k8s.io/v1', new Set(['EndpointSlice'])],
  ['discovery.k8s.io/v1beta1', new Set(['EndpointSlice'])],
  ['apps/v1', new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'])],
  ['batch/v1', new Set(['Job', 'CronJob'])],
]);

/** A namespace name that a plain scalar gives as that very string, in YAML 1.2 and 1.1 alike. */
const NAMESPACE_TEXT = /^[a-z][-a-z0-9]*$/;

/** The bulk kinds that stand for pods through their template. */
const WORKLOAD_KINDS = new Set([
  'ReplicationController',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
]);

/**
 * Whether a document can wait until its namespace proves relevant: one of the bulk kinds of a
 * namespace (BULK_KINDS) whose header tells it (see PlainHeader), in a namespace named plainly,
 * with no container that shows a network plugin (detection reads those wherever they run).
 * Anything else (Namespaces, Nodes, Lists, other policy layers, ServiceAccounts...) is built.
 */
export function canDefer(header: PlainHeader): boolean {
  const { apiVersion, kind, name, namespace } = header;
  if (!BULK_KINDS.get(apiVersion)?.has(kind)) return false;
  if (!NAMESPACE_TEXT.test(namespace) || NOT_STRINGS.has(namespace)) return false;
  const containers = header.containers.map((c) => ({ ...c, args: [], env: {} }));
  return !showsNetworkPlugin({ kind, namespace, name, containers });
}

/** Whether a snapshot holds another policy layer than NetworkPolicies (whose peers are not followed). */
function hasOtherLayers(cluster: Cluster): boolean {
  const layers = [
    cluster.clusterPolicies,
    cluster.ciliumPolicies,
    cluster.calicoPolicies,
    cluster.stagedKubernetesPolicies,
    cluster.calicoTiers,
    cluster.unmodelledPolicies,
  ];
  return cluster.ciliumConfig !== undefined || layers.some((list) => (list?.length ?? 0) > 0);
}

/**
 * Whether a snapshot built in part may answer otherwise than the whole: it holds another policy
 * layer, or an EndpointSlice address that no pod built holds (it may be a pod of a namespace
 * left unbuilt).
 */
function dependsOnTheRest(cluster: Cluster): boolean {
  if (hasOtherLayers(cluster)) return true;
  const key = (text: string) => {
    const address = parseIpAddress(text);
    return address && `${address.family} ${address.value}`;
  };
  const held = new Set(cluster.pods.flatMap((pod) => pod.ips.map(key)));
  return (cluster.endpointSlices ?? []).some((slice) =>
    slice.addresses.some((text) => {
      const address = key(text);
      return address !== undefined && !held.has(address);
    }),
  );
}

/**
 * Whether an object read makes every answer about the focus a full read (see focused): a
 * policy of another layer, or a NetworkPolicy of the targets' namespaces with a rule that could
 * match any pod.
 */
function readsEverything(object: SourcedObject, ends: ReadonlySet<string>): boolean {
  const { cluster } = normalizeObjects([object]);
  const policies = cluster.policies.filter((policy) => ends.has(policy.namespace));
  return hasOtherLayers(cluster) || !peerSelectors(policies, []);
}

/** Whether a selector (none: every pod) of `selectors` selects a pod of these labels. */
function someSelects(
  selectors: readonly (LabelSelector | undefined)[],
  labels: Readonly<Record<string, string>>,
): boolean {
  return selectors.some((selector) => !selector || selectorMatches(selector, labels));
}

/**
 * Manifests read with the bulk of each namespace parsed and checked but not built, so that an
 * answer builds only the namespaces it depends on: the twin of the live targeted read.
 */
export class ManifestSnapshot {
  private constructor(
    private readonly entries: readonly ManifestEntry[],
    private readonly description: string,
    /** An object read showed that every answer about the focus reads everything. */
    readonly needsAll: boolean,
  ) {}

  /**
   * Reads manifests (files, directories, "-" for stdin), leaving the bulk unbuilt but that of
   * the namespaces every answer about the focus reads (its targets' and kube-system); undefined
   * when a target could be anywhere (nothing is left unbuilt then: read them with
   * loadManifests).
   */
  static async read(
    paths: readonly string[],
    readStdin: () => Promise<string>,
    focus: ReadFocus,
  ): Promise<ManifestSnapshot | undefined> {
    const ends = focusEnds(focus, focus.namespace ?? 'default');
    if (!ends) return undefined;
    const built = new Set([...ends, PLATFORM_NAMESPACE]);
    // Once an object read shows that everything will be read, nothing more is left unbuilt.
    let whole = false;
    const defer = (header: PlainHeader) =>
      !whole && !built.has(header.namespace) && canDefer(header);
    const seen = (object: SourcedObject) => {
      whole ||= readsEverything(object, ends);
    };
    const { entries } = await readManifestEntries(paths, readStdin, defer, seen);
    return new ManifestSnapshot(entries, paths.join(', '), whole);
  }

  /** Everything, as loadManifests reads it. */
  all(): LoadedInput {
    return this.built(() => true);
  }

  /**
   * Only what an answer about the focus can depend on (the namespace for names given without
   * one: the focus's, else `default`), beside everything never deferred: the targets'
   * namespaces and kube-system, whole; as far as the focus reaches, the namespaces their
   * policies' peers select, whole ('peers'), or there the pods the peers select and the
   * policies ('selected-pods'; whole where workloads are). Undefined when that cannot be told:
   * a target could be anywhere, a rule could match any pod, or the snapshot depends on the rest
   * (see dependsOnTheRest).
   */
  focused(focus: ReadFocus): LoadedInput | undefined {
    const ends = focusEnds(focus, focus.namespace ?? 'default');
    if (!ends) return undefined;
    const first = new Set([...ends, PLATFORM_NAMESPACE]);
    const { objects } = collectEntries(this.entries, (d) => first.has(d.header.namespace));
    const start = normalizeObjects(objects).cluster;
    const policies = weighedPolicies(start.policies, ends, focus.rules);
    const peers = peerSelectors(policies, start.namespaces);
    if (!peers) return undefined;
    const reached = reachedNamespaces(ends, peers, focus.reach);
    const { whole } = reached;
    // Where workloads are, a pod left out could change which of them stand for pods: all is read.
    const workloads = this.workloadNamespaces(start);
    for (const ns of reached.selected) if (workloads.has(ns)) whole.add(ns);
    const selected = new Set(reached.selected.filter((ns) => !whole.has(ns)));
    const wanted = (document: DeferredDocument) => {
      const { kind, namespace, labels } = document.header;
      if (whole.has(namespace)) return true;
      const selectors = peers.get(namespace);
      if (!selectors || !selected.has(namespace)) return false;
      if (kind === 'NetworkPolicy') return true;
      return kind === 'Pod' && (!labels || someSelects([...selectors.values()], labels));
    };
    const input = this.built(wanted);
    return dependsOnTheRest(input.cluster) ? undefined : input;
  }

  /** The namespaces holding workloads: those built in `start`, and those left unbuilt. */
  private workloadNamespaces(start: Cluster): Set<string> {
    const found = new Set<string>();
    for (const workload of start.workloads ?? [])
      if (workload.kind !== 'Pod') found.add(workload.namespace);
    for (const entry of this.entries) {
      if ('deferred' in entry && WORKLOAD_KINDS.has(entry.deferred.header.kind)) {
        found.add(entry.deferred.header.namespace);
      }
    }
    return found;
  }

  private built(wanted: (document: DeferredDocument) => boolean): LoadedInput {
    return loadedFromSources({
      ...collectEntries(this.entries, wanted),
      description: this.description,
    });
  }
}
