import { UserError } from '../../errors.js';
import type { LoadedInput, SourceObjects } from '../normalize/loaded-input.js';
import { ApiClient } from './api-client.js';
import { discoverPolicyResources } from './discover-policies.js';
import { parseDuration } from './duration.js';
import { type ConnectionFlags, type ResolvedKubeConfig, resolveKubeConfig } from './kubeconfig.js';
import { DEFAULT_LIMITS } from './limits.js';
import {
  connectionError,
  type LiveRead,
  readCluster,
  scopeObjects,
  snapshotFromScopes,
} from './load-cluster.js';
import { requestLogger } from './request-log.js';
import { type ReadFocus, readTargeted } from './targeted-read.js';

/** Flags for reaching the live cluster, as kubectl spells them. */
export interface LiveFlags extends ConnectionFlags {
  readonly requestTimeout?: string;
  /** kubectl's -v: from 6, each API request is logged. */
  readonly v?: number;
}

/** A live snapshot, with the connection it came from. */
export interface LiveInput extends LoadedInput {
  readonly kubeconfig: ResolvedKubeConfig;
  readonly client: ApiClient;
  /** The collections read, to keep current with watches. */
  readonly read: LiveRead;
  /** Only what an answer about a focus depends on was read (not to watch or apply to). */
  readonly targeted: boolean;
}

/** The request timeout in milliseconds: the flag, else 30 s; "0" means none. */
export function requestTimeoutMs(flag: string | undefined): number {
  if (flag === undefined) return 30_000;
  const ms = parseDuration(flag);
  if (ms === undefined)
    throw new UserError(`--request-timeout ${flag}: expected a duration such as 5s, 1m or 0`);
  return ms;
}

/**
 * Connects as kubectl would and reads a snapshot of the cluster. With `logTo` (stderr of a
 * command, not of the full-screen UI), -v 6 and up log each request there. With a `focus`,
 * reads only what an answer about it can depend on when that can be told, else everything.
 */
export async function loadLive(
  flags: LiveFlags,
  env: NodeJS.ProcessEnv,
  logTo?: (text: string) => void,
  focus?: ReadFocus,
): Promise<LiveInput> {
  const kubeconfig = resolveKubeConfig(flags, env);
  const client = new ApiClient(
    kubeconfig,
    requestTimeoutMs(flags.requestTimeout),
    DEFAULT_LIMITS,
    logTo && requestLogger(flags.v, logTo),
  );
  try {
    const layers = discoverPolicyResources(client);
    const targeted = focus && (await readTargeted(client, focus, kubeconfig.namespace, layers));
    const read = targeted || (await readCluster(client, [kubeconfig.namespace], await layers));
    const snapshot = snapshotFromScopes(read, kubeconfig.contextName);
    return { ...snapshot, kubeconfig, client, read, targeted: targeted !== undefined };
  } catch (error) {
    throw connectionError(error, kubeconfig);
  } finally {
    client.closeConnections();
  }
}

/** The objects of a live snapshot as read, for a change to apply to. */
export function liveSources(live: LiveInput): SourceObjects {
  return {
    objects: scopeObjects(live.read.scopes, live.kubeconfig.contextName),
    findings: live.read.findings,
    description: live.description,
    unread: live.read.unread,
  };
}
