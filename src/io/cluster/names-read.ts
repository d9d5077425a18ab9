import type { LoadedInput } from '../normalize/loaded-input.js';
import { ApiClient } from './api-client.js';
import { resolveKubeConfig } from './kubeconfig.js';
import { DEFAULT_LIMITS } from './limits.js';
import { connectionError, type ReadScope, snapshotFromScopes } from './load-cluster.js';
import { type LiveFlags, requestTimeoutMs } from './load-live.js';
import { SNAPSHOT_RESOURCES } from './resources.js';

/**
 * What completing a name needs from the cluster beside its Namespaces: the Pods of some
 * namespaces and the Services of others.
 */
export interface NamesFocus {
  readonly podNamespaces: readonly string[];
  readonly serviceNamespaces: readonly string[];
}

/** A light snapshot for completion, the namespace of names given without one, and what was read. */
export interface NamesSnapshot {
  readonly input: LoadedInput;
  readonly namespace: string;
  readonly focus: NamesFocus;
}

const [NAMESPACES, PODS, SERVICES] = ['Namespace', 'Pod', 'Service'].map((kind) =>
  SNAPSHOT_RESOURCES.find((resource) => resource.kind === kind),
) as [ReadScope['resource'], ReadScope['resource'], ReadScope['resource']];

/**
 * Reads only what completing a name lists, as kubectl's own completion lists one kind: the
 * Namespaces, and the Pods and Services `focus` names for the namespace in question (`flagged`,
 * else the kubeconfig's): no discovery of policy layers, no other kind, no policy compiled.
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
  const { podNamespaces, serviceNamespaces } = read;
  const bytes = client.readBudget();
  const scope = async (resource: ReadScope['resource'], where?: string): Promise<ReadScope> => ({
    resource,
    ...(where === undefined ? {} : { namespace: where }),
    ...(await client.list(resource.path(where), bytes)),
  });
  try {
    const scopes = await Promise.all([
      scope(NAMESPACES),
      ...podNamespaces.map((where) => scope(PODS, where)),
      ...serviceNamespaces.map((where) => scope(SERVICES, where)),
    ]);
    const input = snapshotFromScopes({ scopes, findings: [], unread: [] }, kubeconfig.contextName);
    return { input, namespace, focus: read };
  } catch (error) {
    throw connectionError(error, kubeconfig);
  } finally {
    client.closeConnections();
  }
}
