import type { LoadedInput } from '../normalize/loaded-input.js';
import { POLICY_LAYERS } from '../normalize/policy-layers.js';
import { ApiClient, ApiError } from './api-client.js';
import { discoverLayerResources } from './discover-policies.js';
import { requestTimeoutMs } from './duration.js';
import { resolveKubeConfig } from './kubeconfig.js';
import { type ByteBudget, DEFAULT_LIMITS } from './limits.js';
import { connectionError, type ReadScope, snapshotFromScopes } from './load-cluster.js';
import type { LiveFlags } from './load-live.js';
import { SNAPSHOT_RESOURCES } from './resources.js';

/**
 * What completing a name needs from the cluster beside its Namespaces: the Pods of some
 * namespaces and the Services of others; for explain's policy names, the NetworkPolicies of
 * some namespaces and the cluster policies.
 */
export interface NamesFocus {
  readonly podNamespaces: readonly string[];
  readonly serviceNamespaces: readonly string[];
  readonly policyNamespaces?: readonly string[];
  /** Whether ClusterNetworkPolicies (and their v1alpha1 kinds) are listed. */
  readonly clusterPolicies?: boolean;
}

/** A light snapshot for completion, the namespace of names given without one, and what was read. */
export interface NamesSnapshot {
  readonly input: LoadedInput;
  readonly namespace: string;
  readonly focus: NamesFocus;
}

type Resource = ReadScope['resource'];

const [NAMESPACES, PODS, SERVICES, NETWORK_POLICIES] = [
  'Namespace',
  'Pod',
  'Service',
  'NetworkPolicy',
].map((kind) => SNAPSHOT_RESOURCES.find((resource) => resource.kind === kind)) as [
  Resource,
  Resource,
  Resource,
  Resource,
];

/** The layer of ClusterNetworkPolicy and its v1alpha1 kinds. */
const CLUSTER_POLICY_LAYER = POLICY_LAYERS.find(
  (layer) => layer.group === 'policy.networking.k8s.io',
);

/** Lists a resource, in a namespace or cluster-wide. */
type ListScope = (resource: Resource, where?: string) => Promise<ReadScope>;

/**
 * Pods' metadata alone (name, labels, owners: all a pod's candidate reads), else whole Pods
 * where the server does not serve that form (content negotiation: the second type).
 */
const POD_METADATA =
  'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1, application/json';

/**
 * The pods normalisation leaves out (phase Succeeded or Failed) are left out by the server:
 * metadata alone does not tell the phase.
 */
const LIVE_PODS = { fieldSelector: 'status.phase!=Succeeded,status.phase!=Failed' };

/** HTTP 406: the server serves none of the media types asked for. */
const NOT_ACCEPTABLE = 406;

/** A list item as a manifest of its resource: a PartialObjectMetadata's own kind left out. */
function asListed(item: Record<string, unknown>): Record<string, unknown> {
  return item.kind === 'PartialObjectMetadata' ? { metadata: item.metadata } : item;
}

/** Lists the live pods of a namespace, as metadata where the server serves it, else whole. */
async function listPods(client: ApiClient, where: string, bytes: ByteBudget): Promise<ReadScope> {
  const path = PODS.path(where);
  const listed = await client.list(path, bytes, LIVE_PODS, POD_METADATA).catch((error) => {
    if (error instanceof ApiError && error.status === NOT_ACCEPTABLE) {
      return client.list(path, bytes, LIVE_PODS);
    }
    throw error;
  });
  return { resource: PODS, namespace: where, ...listed, items: listed.items.map(asListed) };
}

/**
 * The cluster policies' lists, their kinds found by discovery of their group alone: none where
 * the group is not served, and none of a kind the server refuses to list (names are a hint).
 */
async function clusterPolicyScopes(client: ApiClient, list: ListScope): Promise<ReadScope[]> {
  if (!CLUSTER_POLICY_LAYER) return [];
  const { resources } = await discoverLayerResources(client, CLUSTER_POLICY_LAYER);
  const lists = resources.map(async (resource) => {
    try {
      return [await list(resource)];
    } catch (error) {
      if (error instanceof ApiError) return [];
      throw error;
    }
  });
  return (await Promise.all(lists)).flat();
}

/**
 * Reads only what completing a name lists, as kubectl's own completion lists one kind: the
 * Namespaces, and the Pods, Services and NetworkPolicies `focus` names for the namespace in
 * question (`flagged`, else the kubeconfig's), and the cluster policies if it says so (the one
 * group discovered): no other policy layer, no other kind.
 */
export async function readNames(
  flags: LiveFlags,
  env: NodeJS.ProcessEnv,
  flagged: string | undefined,
  focus: (namespace: string) => NamesFocus,
): Promise<NamesSnapshot> {
  const kubeconfig = resolveKubeConfig(flags, env);
  const client = new ApiClient(kubeconfig, requestTimeoutMs(flags.requestTimeout), DEFAULT_LIMITS);
  const namespace = flagged ?? kubeconfig.namespace;
  const read = focus(namespace);
  const { podNamespaces, serviceNamespaces, policyNamespaces = [] } = read;
  const bytes = client.readBudget();
  const scope: ListScope = async (resource, where) => ({
    resource,
    ...(where === undefined ? {} : { namespace: where }),
    ...(await client.list(resource.path(where), bytes)),
  });
  try {
    const [clusterPolicies, scopes] = await Promise.all([
      read.clusterPolicies ? clusterPolicyScopes(client, scope) : [],
      Promise.all([
        scope(NAMESPACES),
        ...podNamespaces.map((where) => listPods(client, where, bytes)),
        ...serviceNamespaces.map((where) => scope(SERVICES, where)),
        ...policyNamespaces.map((where) => scope(NETWORK_POLICIES, where)),
      ]),
    ]);
    const all = [...clusterPolicies, ...scopes];
    const input = snapshotFromScopes(
      { scopes: all, findings: [], unread: [] },
      kubeconfig.contextName,
    );
    return { input, namespace, focus: read };
  } catch (error) {
    throw connectionError(error, kubeconfig);
  } finally {
    client.closeConnections();
  }
}
