import type { UnreadList } from '../../engine/index.js';
import { POLICY_LAYERS, type PolicyLayer } from '../normalize/policy-layers.js';
import { type ApiClient, ApiError, RequestTimeoutError } from './api-client.js';
import type { ResourceType } from './resources.js';

/** The policy resources of other layers that a cluster serves, and the discovery that failed. */
export interface DiscoveredPolicies {
  readonly resources: ResourceType[];
  readonly unread: UnreadList[];
}

/** The part of an APIGroupList (GET /apis) discovery needs. */
interface ApiGroupList {
  readonly groups?: readonly {
    readonly name?: string;
    readonly versions?: readonly { readonly groupVersion?: string }[];
  }[];
}

/** The part of an APIResourceList (GET /apis/GROUP/VERSION) discovery needs. */
interface ApiResourceList {
  readonly resources?: readonly {
    readonly name?: string;
    readonly kind?: string;
    readonly namespaced?: boolean;
  }[];
}

/**
 * Groups of an aggregated API server and the CRD group it stores the same objects in. The API
 * server's names are the ones users write; its CRDs are read when its discovery fails (the
 * Calico API server is down).
 */
const CRD_GROUP_OF: Readonly<Record<string, string>> = {
  'projectcalico.org': 'crd.projectcalico.org',
};

function groupResource(
  group: string,
  groupVersion: string,
  name: string,
  kind: string,
  namespaced: boolean,
): ResourceType {
  return {
    kind,
    apiVersion: groupVersion,
    // As `kubectl auth can-i` takes it: Calico's and Antrea's `networkpolicies` are not Kubernetes'.
    plural: `${name}.${group}`,
    namespaced,
    path: (namespace) =>
      namespace
        ? `/apis/${groupVersion}/namespaces/${namespace}/${name}`
        : `/apis/${groupVersion}/${name}`,
  };
}

/** Why a discovery document could not be read; undefined for errors that end the run. */
function discoveryFailure(error: unknown): string | undefined {
  if (error instanceof ApiError) return `${error.status} ${error.reason || 'error'}`;
  if (error instanceof RequestTimeoutError) {
    return `no answer within ${error.budgetText} (--request-timeout)`;
  }
  return undefined;
}

/**
 * GETs a discovery document; undefined when the server does not serve it (404), or refuses,
 * fails or does not answer in time (then recorded in `unread`).
 */
async function discover<T>(
  client: ApiClient,
  path: string,
  unread: UnreadList[],
): Promise<T | undefined> {
  try {
    return await client.get<T>(path);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return undefined;
    const reason = discoveryFailure(error);
    if (reason === undefined) throw error;
    unread.push({
      resource: path.replace(/^\/apis\/?/, '') || 'API groups',
      reason,
      canI: `kubectl auth can-i get ${path}`,
    });
    return undefined;
  }
}

/** The policy resources of one layer, each kind in the first served version that has it. */
async function layerResources(
  client: ApiClient,
  layer: PolicyLayer,
  versions: readonly { readonly groupVersion?: string }[],
  unread: UnreadList[],
): Promise<ResourceType[]> {
  const resources: ResourceType[] = [];
  // The server lists the preferred version first.
  for (const { groupVersion } of versions) {
    if (!groupVersion) continue;
    const list = await discover<ApiResourceList>(client, `/apis/${groupVersion}`, unread);
    for (const r of list?.resources ?? []) {
      const { name, kind } = r;
      if (!name || !kind || name.includes('/') || !layer.kinds.includes(kind)) continue;
      if (resources.some((known) => known.kind === kind)) continue;
      resources.push(groupResource(layer.group, groupVersion, name, kind, r.namespaced ?? true));
    }
  }
  return resources;
}

/** The part of an APIGroup (GET /apis/GROUP) discovery needs: its versions, preferred first. */
interface ApiGroup {
  readonly versions?: readonly { readonly groupVersion?: string }[];
}

/**
 * The policy kinds of one layer's group that the cluster serves, found by discovery of that
 * group alone (GET /apis/GROUP, then its versions): none when the group is not served.
 */
export async function discoverLayerResources(
  client: ApiClient,
  layer: PolicyLayer,
): Promise<DiscoveredPolicies> {
  const unread: UnreadList[] = [];
  const group = await discover<ApiGroup>(client, `/apis/${layer.group}`, unread);
  const versions = group?.versions ?? [];
  return { resources: await layerResources(client, layer, versions, unread), unread };
}

/**
 * Finds which policy kinds of other layers (Cilium, Calico, Antrea, ClusterNetworkPolicy...)
 * the cluster serves, through API discovery: a group or kind that is not installed is simply
 * absent; a discovery document the server refuses, fails or is too slow to give is reported as
 * unread, unless the objects are read another way (Calico's CRDs for its API server's group).
 */
export async function discoverPolicyResources(client: ApiClient): Promise<DiscoveredPolicies> {
  const unread: UnreadList[] = [];
  const groups = (await discover<ApiGroupList>(client, '/apis', unread))?.groups ?? [];
  const served = new Map(groups.map((g) => [g.name ?? '', g.versions ?? []]));
  const storedIn = new Set([...served.keys()].flatMap((group) => CRD_GROUP_OF[group] ?? []));
  const layers = POLICY_LAYERS.filter(
    (layer) => served.has(layer.group) && !storedIn.has(layer.group),
  );
  const found = await Promise.all(
    layers.map(async (layer) => {
      const failed: UnreadList[] = [];
      const resources = await layerResources(client, layer, served.get(layer.group) ?? [], failed);
      const crdGroup = CRD_GROUP_OF[layer.group];
      const fallback = POLICY_LAYERS.find((l) => l.group === crdGroup);
      if (failed.length === 0 || resources.length > 0 || !fallback) {
        unread.push(...failed);
        return resources;
      }
      // What the failed discovery would have found, read from the group that stores it.
      const versions = served.get(fallback.group) ?? [];
      const instead: UnreadList[] = [];
      const read = await layerResources(client, fallback, versions, instead);
      unread.push(...(versions.length > 0 && instead.length === 0 ? [] : [...failed, ...instead]));
      return read;
    }),
  );
  return { resources: found.flat(), unread };
}
