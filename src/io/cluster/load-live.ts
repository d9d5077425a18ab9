import type { LoadedInput, SourceObjects } from '../normalize/loaded-input.js';
import { ApiClient } from './api-client.js';
import { type DiscoveredPolicies, discoverPolicyResources } from './discover-policies.js';
import { requestTimeoutMs } from './duration.js';
import { type ConnectionFlags, type ResolvedKubeConfig, resolveKubeConfig } from './kubeconfig.js';
import { DEFAULT_LIMITS } from './limits.js';
import { ListCache } from './list-cache.js';
import {
  connectionError,
  type ListReadListener,
  type LiveRead,
  pacedSnapshotFromScopes,
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

/** Hears how a full read goes and paces its normalising: the UI's event loop turns there. */
export interface LiveLoadListener {
  /** After each list is answered or refused. */
  readonly listRead: ListReadListener;
  /** Every list read, before its objects are normalised. */
  normalising(objects: number): Promise<void>;
  /** Awaited after each object normalised: resolves once the event loop may turn. */
  pace(): Promise<void>;
  /**
   * The objects a list page holds at most (PAGE_SIZE unless told): each page is parsed in one
   * turn of the event loop, so fewer make shorter turns, at the cost of more requests.
   */
  readonly pageSize?: number;
}

/**
 * Snapshots of the cluster kubectl's flags name, read over one connection: a read after another
 * (a check's targets alone, after their peers reached too many namespaces) sends only the
 * requests it adds, and the policy layers are discovered once. With `logTo` (stderr of a command, not of the
 * full-screen UI), -v 6 and up log each request there.
 */
export class LiveReader {
  readonly kubeconfig: ResolvedKubeConfig;
  readonly client: ApiClient;
  private readonly lists: ListCache;
  private discovered: Promise<DiscoveredPolicies> | undefined;

  constructor(
    flags: LiveFlags,
    env: NodeJS.ProcessEnv,
    logTo?: (text: string) => void,
    /** The objects a list page holds at most (the client's PAGE_SIZE unless told). */
    pageSize?: number,
  ) {
    this.kubeconfig = resolveKubeConfig(flags, env);
    this.client = new ApiClient(
      this.kubeconfig,
      requestTimeoutMs(flags.requestTimeout),
      DEFAULT_LIMITS,
      logTo && requestLogger(flags.v, logTo),
      pageSize,
    );
    this.lists = new ListCache(this.client);
  }

  /**
   * A snapshot: with a `focus`, only what an answer about it can depend on when that can be
   * told, else everything, told to `heard` list by list and normalised at its pace.
   */
  async read(focus?: ReadFocus, heard?: LiveLoadListener): Promise<LiveInput> {
    return (focus && (await this.readFocused(focus))) || this.connected(() => this.readAll(heard));
  }

  /**
   * A snapshot of only what an answer about the focus can depend on; undefined when that cannot
   * be told (see readTargeted), for a full read or another focus to answer.
   */
  async readFocused(focus: ReadFocus): Promise<LiveInput | undefined> {
    const { kubeconfig } = this;
    return this.connected(async () => {
      const read = await readTargeted(this.lists, focus, kubeconfig.namespace, this.layers());
      return read && this.snapshot(read, true);
    });
  }

  private async readAll(heard?: LiveLoadListener): Promise<LiveInput> {
    const { client, kubeconfig } = this;
    const layers = await this.layers();
    const read = await readCluster(client, [kubeconfig.namespace], layers, heard?.listRead);
    return this.snapshot(read, false, heard);
  }

  /** The policy layers the cluster serves, discovered once. */
  private layers(): Promise<DiscoveredPolicies> {
    this.discovered ??= discoverPolicyResources(this.client);
    return this.discovered;
  }

  /** The read normalised: at once, or with `heard` told first and pacing it. */
  private async snapshot(
    read: LiveRead,
    targeted: boolean,
    heard?: LiveLoadListener,
  ): Promise<LiveInput> {
    const { client, kubeconfig } = this;
    let snapshot: LoadedInput;
    if (heard) {
      await heard.normalising(read.scopes.reduce((sum, scope) => sum + scope.items.length, 0));
      snapshot = await pacedSnapshotFromScopes(read, kubeconfig.contextName, heard.pace);
    } else snapshot = snapshotFromScopes(read, kubeconfig.contextName);
    return { ...snapshot, kubeconfig, client, read, targeted };
  }

  /** A read's failures that end the run, as one clear line (connectionError). */
  private async connected<T>(read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      throw connectionError(error, this.kubeconfig);
    }
  }

  /** Closes the connections the reads left open (a later read opens new ones). */
  close(): void {
    this.client.closeConnections();
  }
}

/**
 * Connects as kubectl would and reads one snapshot (see LiveReader), leaving no connection open;
 * a full read is told to `heard`, paced by it and paged at its page size.
 */
export async function loadLive(
  flags: LiveFlags,
  env: NodeJS.ProcessEnv,
  logTo?: (text: string) => void,
  focus?: ReadFocus,
  heard?: LiveLoadListener,
): Promise<LiveInput> {
  const reader = new LiveReader(flags, env, logTo, heard?.pageSize);
  try {
    return await reader.read(focus, heard);
  } finally {
    reader.close();
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
