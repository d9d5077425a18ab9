import type { UnreadList } from '../../engine/index.js';
import { POLICY_LAYERS } from '../normalize/policy-layers.js';
import { type ApiClient, ApiError } from './api-client.js';
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

/** Both Calico groups serve the same objects; the API server's names are the ones users write. */
const SAME_OBJECTS_AS: Readonly<Record<string, string>> = {
  'crd.projectcalico.org': 'projectcalico.org',
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

/** GETs a discovery document; undefined when the server does not serve it (404). */
async function discover<T>(
  client: ApiClient,
  path: string,
  unread: UnreadList[],
): Promise<T | undefined> {
  try {
    return await client.get<T>(path);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.status !== 404) {
      unread.push({
        resource: path.replace(/^\/apis\/?/, '') || 'API groups',
        reason: `${error.status} ${error.reason || 'error'}`,
        canI: `kubectl auth can-i get ${path}`,
      });
    }
    return undefined;
  }
}

/**
 * Finds which policy kinds of other layers (Cilium, Calico, Antrea, ClusterNetworkPolicy...)
 * the cluster serves, through API discovery: a group or kind that is not installed is simply
 * absent; a discovery document the server refuses or fails to give is reported as unread.
 */
export async function discoverPolicyResources(client: ApiClient): Promise<DiscoveredPolicies> {
  const unread: UnreadList[] = [];
  const groups = (await discover<ApiGroupList>(client, '/apis', unread))?.groups ?? [];
  const served = new Map(groups.map((g) => [g.name ?? '', g.versions ?? []]));
  const layers = POLICY_LAYERS.filter((layer) => {
    const twin = SAME_OBJECTS_AS[layer.group];
    return served.has(layer.group) && !(twin && served.has(twin));
  });
  const found = await Promise.all(
    layers.map(async (layer) => {
      const resources: ResourceType[] = [];
      // The server lists the preferred version first: each kind is read in the first that has it.
      for (const { groupVersion } of served.get(layer.group) ?? []) {
        if (!groupVersion) continue;
        const list = await discover<ApiResourceList>(client, `/apis/${groupVersion}`, unread);
        for (const r of list?.resources ?? []) {
          const { name, kind } = r;
          if (!name || !kind || name.includes('/') || !layer.kinds.includes(kind)) continue;
          if (resources.some((known) => known.kind === kind)) continue;
          resources.push(
            groupResource(layer.group, groupVersion, name, kind, r.namespaced ?? true),
          );
        }
      }
      return resources;
    }),
  );
  return { resources: found.flat(), unread };
}
