import type { Finding, UnreadList } from '../../engine/index.js';
import { errorMessage, UserError } from '../../errors.js';
import type { SourcedObject } from '../manifests/parse-text.js';
import type { LoadedInput } from '../normalize/loaded-input.js';
import {
  type NormalizedObjects,
  normalizeObjects,
  ObjectNormalizer,
} from '../normalize/normalize.js';
import {
  calicoObjectKind,
  calicoPolicyReadsAccountLabels,
} from '../normalize/normalize-calico-policy.js';
import { ciliumPolicyKind } from '../normalize/normalize-cilium-policy.js';
import { clusterPolicyKind } from '../normalize/normalize-cluster-policy.js';
import { type ApiClient, ApiError, isCallFailure, type ListResult } from './api-client.js';
import { type CiliumConfigRead, readCiliumConfig } from './cilium-config.js';
import { type DiscoveredPolicies, discoverPolicyResources } from './discover-policies.js';
import type { ResolvedKubeConfig } from './kubeconfig.js';
import { printableServer } from './redact.js';
import {
  NODE_RESOURCE,
  OPTIONAL_RESOURCES,
  type ResourceType,
  SERVICE_ACCOUNT_RESOURCE,
  SNAPSHOT_RESOURCES,
} from './resources.js';

/** One collection that was read: where from, what it held, and where to watch it from. */
export interface ReadScope {
  readonly resource: ResourceType;
  /** undefined: cluster-wide. */
  readonly namespace?: string;
  readonly resourceVersion: string;
  readonly items: readonly Record<string, unknown>[];
}

/** How far a full read of the cluster has come: lists answered of those asked for so far. */
export interface ListProgress {
  readonly listsRead: number;
  readonly lists: number;
}

/** Hears each list of a full read answered (or refused), for a progress line. */
export type ListReadListener = (progress: ListProgress) => void;

/** The collections of a live snapshot, the problems met reading them, and what could not be read. */
export interface LiveRead {
  readonly scopes: ReadScope[];
  readonly findings: Finding[];
  readonly unread: UnreadList[];
}

function canI(resource: ResourceType, namespace?: string): string {
  const where = !resource.namespaced ? '' : namespace ? ` -n ${namespace}` : ' --all-namespaces';
  return `kubectl auth can-i list ${resource.plural}${where}`;
}

function unreadList(resource: ResourceType, namespace: string | undefined, error: ApiError) {
  return {
    resource: resource.plural,
    ...(namespace ? { namespace } : {}),
    reason: `${error.status} ${error.reason || 'error'}`,
    canI: canI(resource, namespace),
  };
}

function deniedFinding(
  resource: ResourceType,
  namespace: string | undefined,
  error: ApiError,
): Finding {
  const where = namespace ? `in namespace ${namespace}` : 'cluster-wide';
  return {
    severity: 'warning',
    code: 'forbidden',
    message: `cannot list ${resource.plural} ${where} (${error.status} ${error.reason || 'error'}: ${error.message}); the analysis is partial. Check with: ${canI(resource, namespace)}`,
  };
}

/** Turns the failures that end a run into one clear line. */
export function connectionError(error: unknown, kubeconfig: ResolvedKubeConfig): Error {
  const server = printableServer(kubeconfig.cluster.server);
  if (isCallFailure(error)) return new UserError(error.message);
  if (error instanceof ApiError && error.status === 401) {
    const whose = kubeconfig.user.name
      ? `of user "${kubeconfig.user.name}" (context "${kubeconfig.contextName}")`
      : 'given by flags';
    return new UserError(
      `${server}: unauthorized: the server rejected the credentials ${whose}; they may have expired`,
    );
  }
  if (error instanceof ApiError)
    return new UserError(`${server}: ${error.status} ${error.message}`);
  return error instanceof Error ? error : new Error(String(error));
}

/** The list function, telling the listener (if any) each time one of its lists ends. */
function countedLists(
  list: (path: string) => Promise<ListResult>,
  onListRead: ListReadListener | undefined,
): (path: string) => Promise<ListResult> {
  if (!onListRead) return list;
  const progress = { listsRead: 0, lists: 0 };
  return (path) => {
    progress.lists++;
    return list(path).finally(() => {
      progress.listsRead++;
      onListRead({ ...progress });
    });
  };
}

/**
 * Reads the optional resources; one that cannot be read only leaves a note (none when the
 * server does not serve it), and the snapshot goes on without it.
 */
export async function readOptional(
  list: (path: string) => Promise<ListResult>,
  optional: readonly ResourceType[],
): Promise<Pick<LiveRead, 'scopes' | 'findings'>> {
  const read: Pick<LiveRead, 'scopes' | 'findings'> = { scopes: [], findings: [] };
  const results = await Promise.allSettled(optional.map((resource) => list(resource.path())));
  results.forEach((result, i) => {
    const resource = optional[i] as ResourceType;
    if (result.status === 'fulfilled') {
      read.scopes.push({ resource, ...result.value });
      return;
    }
    const error = result.reason;
    if (error instanceof ApiError && error.status === 404) return;
    const why =
      error instanceof ApiError
        ? `${error.status} ${error.reason || 'error'}`
        : errorMessage(error);
    read.findings.push({
      severity: 'info',
      code: 'pod-range-unknown',
      message: `cannot list ${resource.plural} (${why}), so the pod address ranges are unknown: verdicts that depend on the IP of a pod without one are UNKNOWN unless --pod-cidr gives them. Check with: ${canI(resource)}`,
    });
  });
  return read;
}

/**
 * Reads every snapshot resource, and the policy objects of other layers the cluster serves,
 * cluster-wide where allowed. When a cluster-wide list is forbidden, falls back to the
 * namespaces that can be read (all known ones, else the context's), and reports each denial
 * with the `kubectl auth can-i` command to check it; what stays unread is listed in `unread`.
 */
export async function readCluster(
  client: ApiClient,
  fallbackNamespaces: readonly string[],
  discovered?: DiscoveredPolicies,
  onListRead?: ListReadListener,
): Promise<LiveRead> {
  const layers = discovered ?? (await discoverPolicyResources(client));
  const read: LiveRead = { scopes: [], findings: [], unread: layers.unread };
  // Where cluster policies are served, their nodes peers need the Nodes: not reading them is
  // then an unread list; elsewhere Nodes only tell the pod ranges, and are optional.
  const clusterPolicies = layers.resources.some((r) => clusterPolicyKind(r.apiVersion, r.kind));
  const nodes = clusterPolicies ? [NODE_RESOURCE] : [];
  const optional = OPTIONAL_RESOURCES.filter((resource) => !nodes.includes(resource));
  const resources = [...SNAPSHOT_RESOURCES, ...nodes, ...layers.resources];
  // One byte budget for the whole snapshot: its lists run in parallel and add up in memory.
  const bytes = client.readBudget();
  const list = countedLists((path) => client.list(path, bytes), onListRead);
  const optionalRead = readOptional(list, optional);
  // Where Cilium's policies are served, its agent's enforcement mode decides how they apply.
  const cilium = layers.resources.some((r) => ciliumPolicyKind(r.apiVersion, r.kind));
  const ciliumConfig: Promise<CiliumConfigRead | undefined> = cilium
    ? readCiliumConfig(client, bytes)
    : Promise.resolve(undefined);
  const clusterWide = await Promise.allSettled(resources.map((r) => list(r.path())));
  const forbidden: { resource: ResourceType; error: ApiError }[] = [];
  clusterWide.forEach((result, i) => {
    const resource = resources[i] as ResourceType;
    if (result.status === 'fulfilled') {
      read.scopes.push({ resource, ...result.value });
      return;
    }
    const error = result.reason;
    if (!(error instanceof ApiError) || error.status !== 403) throw error;
    if (resource.namespaced) {
      forbidden.push({ resource, error });
      return;
    }
    read.unread.push(unreadList(resource, undefined, error));
    read.findings.push(
      resource.kind === 'Namespace'
        ? {
            ...deniedFinding(resource, undefined, error),
            message: `cannot list namespaces (${error.message}); namespace labels other than kubernetes.io/metadata.name are unknown, so namespaceSelectors may match wrongly. Check with: ${canI(resource)}`,
          }
        : deniedFinding(resource, undefined, error),
    );
  });
  const optionalResult = await optionalRead;
  read.scopes.push(...optionalResult.scopes);
  read.findings.push(...optionalResult.findings);
  const config = await ciliumConfig;
  if (config?.scope) read.scopes.push(config.scope);
  if (config?.finding) read.findings.push(config.finding);
  if (config?.unread) read.unread.push(config.unread);
  const known = read.scopes
    .filter((scope) => scope.resource.kind === 'Namespace')
    .flatMap((scope) => scope.items.map((ns) => (ns.metadata as { name: string }).name));
  const namespaces = known.length > 0 ? known : [...fallbackNamespaces];
  // Every namespace's list at once; what they hold and their refusals in the order asked, not
  // the order the answers came in, so that one cluster always reads as one snapshot.
  const fallbacks = await Promise.all(
    forbidden.map(async (refused) => ({
      ...refused,
      answers: await Promise.allSettled(namespaces.map((ns) => list(refused.resource.path(ns)))),
    })),
  );
  for (const { resource, error, answers } of fallbacks) {
    const denied: string[] = [];
    answers.forEach((answer, i) => {
      const namespace = namespaces[i] as string;
      if (answer.status === 'fulfilled') {
        read.scopes.push({ resource, namespace, ...answer.value });
        return;
      }
      const nsError = answer.reason;
      if (!(nsError instanceof ApiError) || nsError.status !== 403) throw nsError;
      denied.push(namespace);
      read.unread.push(unreadList(resource, namespace, nsError));
      read.findings.push(deniedFinding(resource, namespace, nsError));
    });
    const readable = namespaces.filter((ns) => !denied.includes(ns));
    const partial = known.length === 0 || denied.length > 0;
    // Without the namespace list, namespaces other than the ones tried went unread.
    if (known.length === 0) {
      const list = unreadList(resource, undefined, error);
      read.unread.push(readable.length > 0 ? { ...list, readIn: readable } : list);
    }
    read.findings.push({
      ...deniedFinding(resource, undefined, error),
      severity: partial ? 'warning' : 'info',
      message: `cannot list ${resource.plural} cluster-wide (${error.status} ${error.reason}); read ${readable.length > 0 ? `namespace${readable.length === 1 ? '' : 's'} ${readable.join(', ')}` : 'no namespace'} instead${partial ? ', so the analysis is partial' : ''}. Check with: ${canI(resource)}`,
    });
  }
  // After the policies read namespace by namespace too.
  await readServiceAccountsIfSelected(list, read);
  sortUnread(read.unread);
  return read;
}

/**
 * Lists the ServiceAccounts cluster-wide when a Calico policy read may select on their labels
 * (no request otherwise). A refused list is an unread list: those selectors stay UNKNOWN.
 */
async function readServiceAccountsIfSelected(
  list: (path: string) => Promise<ListResult>,
  read: LiveRead,
): Promise<void> {
  const needed = read.scopes.some(
    ({ resource, items }) =>
      calicoObjectKind(resource.apiVersion, resource.kind) !== undefined &&
      items.some(calicoPolicyReadsAccountLabels),
  );
  if (!needed) return;
  const resource = SERVICE_ACCOUNT_RESOURCE;
  try {
    read.scopes.push({ resource, ...(await list(resource.path())) });
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 403) throw error;
    read.unread.push(unreadList(resource, undefined, error));
    read.findings.push({
      ...deniedFinding(resource, undefined, error),
      message: `cannot list serviceaccounts (${error.status} ${error.reason || 'error'}: ${error.message}); Calico selectors on ServiceAccount labels stay UNKNOWN. Check with: ${canI(resource)}`,
    });
  }
}

/** Sorts lists not read by resource, then namespace, as answers show them; returns them. */
export function sortUnread(unread: UnreadList[]): UnreadList[] {
  return unread.sort(
    (a, b) =>
      a.resource.localeCompare(b.resource) || (a.namespace ?? '').localeCompare(b.namespace ?? ''),
  );
}

/** An API list item as `kubectl get -o yaml` shows it: apiVersion and kind first, no managedFields. */
function asManifest(
  resource: ResourceType,
  item: Record<string, unknown>,
): Record<string, unknown> {
  const { managedFields: _, ...metadata } = (item.metadata ?? {}) as Record<string, unknown>;
  return { apiVersion: resource.apiVersion, kind: resource.kind, ...item, metadata };
}

/** The collections read as manifests, one by one, each located at the context it was read from. */
function* sourcedObjects(
  scopes: readonly Pick<ReadScope, 'resource' | 'items'>[],
  contextName: string,
): Generator<SourcedObject> {
  const location = { file: `context ${contextName}` };
  for (const { resource, items } of scopes)
    for (const item of items) yield { object: asManifest(resource, item), location };
}

/** The collections read as manifests, each located at the context it was read from. */
export function scopeObjects(
  scopes: readonly Pick<ReadScope, 'resource' | 'items'>[],
  contextName: string,
): SourcedObject[] {
  return [...sourcedObjects(scopes, contextName)];
}

/** What a snapshot is built from: the collections read, the problems met, the lists not read. */
export interface ScopesRead {
  readonly scopes: readonly Pick<ReadScope, 'resource' | 'items'>[];
  readonly findings: readonly Finding[];
  readonly unread: readonly UnreadList[];
}

/** The engine input of a read's objects once normalised, after the read's own problems. */
function snapshotOf(
  { findings, unread }: ScopesRead,
  { findings: problems, ...normalized }: NormalizedObjects,
  contextName: string,
): LoadedInput {
  return {
    ...normalized,
    cluster: unread.length > 0 ? { ...normalized.cluster, unread } : normalized.cluster,
    findings: [...findings, ...problems],
    description: `context ${contextName}`,
  };
}

/**
 * Builds the engine input from the collections read (API list items carry no kind), with the
 * problems met and the lists that could not be read.
 */
export function snapshotFromScopes(read: ScopesRead, contextName: string): LoadedInput {
  return snapshotOf(read, normalizeObjects(scopeObjects(read.scopes, contextName)), contextName);
}

/**
 * The snapshot snapshotFromScopes builds, normalised object by object with `pace` awaited after
 * each (the UI's event loop turns there), so no one turn normalises the whole cluster.
 */
export async function pacedSnapshotFromScopes(
  read: ScopesRead,
  contextName: string,
  pace: () => Promise<void>,
): Promise<LoadedInput> {
  const normalizer = new ObjectNormalizer({ keepObjects: true });
  for (const sourced of sourcedObjects(read.scopes, contextName)) {
    normalizer.add(sourced);
    await pace();
  }
  return snapshotOf(read, normalizer.finish(), contextName);
}
