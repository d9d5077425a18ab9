import { errorMessage } from '../../errors.js';
import type { LoadedInput } from '../normalize/loaded-input.js';
import { type ApiClient, ApiError, type WatchEvent } from './api-client.js';
import { pacedSnapshotFromScopes, type ReadScope, snapshotFromScopes } from './load-cluster.js';
import type { LiveInput } from './load-live.js';

/** What a LiveCluster tells its owner. */
export interface LiveClusterListener {
  /** A new snapshot after changes (debounced). */
  onSnapshot(input: LoadedInput): void;
  /**
   * A watch failed and will be retried: one line for a flash message, and which watch it is
   * ("networkpolicies in web"), for onWatchRecovered.
   */
  onWatchError(message: string, watch: string): void;
  /** A watch that had failed is back: the server answered a fresh list. */
  onWatchRecovered?(watch: string): void;
}

/** Timer functions, injectable so tests control time. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const REAL_TIMERS: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Backoff after a failed watch: doubles from 1 s up to 30 s, reset by a healthy stream. */
export const BACKOFF = { initialMs: 1000, maxMs: 30_000 } as const;

/** How long changes are gathered before one new snapshot is published. */
const DEBOUNCE_MS = 100;

interface WatchedScope {
  readonly scope: ReadScope;
  readonly objects: Map<string, Record<string, unknown>>;
  resourceVersion: string;
}

function objectKey(object: Record<string, unknown>): string {
  const metadata = (object.metadata ?? {}) as { namespace?: string; name?: string };
  return `${metadata.namespace ?? ''}/${metadata.name ?? ''}`;
}

function isGone(error: unknown): boolean {
  return error instanceof ApiError && error.status === 410;
}

/**
 * Keeps a live snapshot current: one watch per collection read, from its resourceVersion.
 * An expired resourceVersion (410 Gone) triggers a relist; other failures are reported and
 * retried with backoff. Changes are gathered briefly and published as one new snapshot; with
 * `pace`, each is normalised object by object, awaiting it after each (the UI's event loop turns
 * there), and published in turn.
 */
export class LiveCluster {
  private readonly scopes: WatchedScope[];
  private readonly abort = new AbortController();
  private pending: unknown;
  /** The publication under way, if paced: the next one starts after it. */
  private publishing: Promise<void> = Promise.resolve();

  constructor(
    private readonly live: LiveInput,
    private readonly listener: LiveClusterListener,
    private readonly timers: Timers = REAL_TIMERS,
    private readonly pace?: () => Promise<void>,
  ) {
    this.scopes = live.read.scopes.map((scope) => ({
      scope,
      objects: new Map(scope.items.map((item) => [objectKey(item), item])),
      resourceVersion: scope.resourceVersion,
    }));
  }

  private get client(): ApiClient {
    return this.live.client;
  }

  /** Starts every watch; they run until stop(). */
  start(): void {
    for (const watched of this.scopes) void this.run(watched);
  }

  /** Stops every watch and any pending publication. */
  stop(): void {
    this.abort.abort();
    if (this.pending !== undefined) this.timers.clearTimeout(this.pending);
    this.client.closeConnections();
  }

  /** The collections as they stand now, with the first read's findings and unread lists. */
  private current() {
    const scopes = this.scopes.map((w) => ({
      resource: w.scope.resource,
      items: [...w.objects.values()],
    }));
    return { ...this.live.read, scopes };
  }

  /** The snapshot as it stands now. */
  snapshot(): LoadedInput {
    return snapshotFromScopes(this.current(), this.live.kubeconfig.contextName);
  }

  private publishSoon(): void {
    if (this.pending !== undefined || this.abort.signal.aborted) return;
    this.pending = this.timers.setTimeout(() => {
      this.pending = undefined;
      const { pace } = this;
      if (!pace) {
        this.listener.onSnapshot(this.snapshot());
        return;
      }
      this.publishing = this.publishing.then(async () => {
        const contextName = this.live.kubeconfig.contextName;
        const next = await pacedSnapshotFromScopes(this.current(), contextName, pace);
        if (!this.abort.signal.aborted) this.listener.onSnapshot(next);
      });
    }, DEBOUNCE_MS);
  }

  private apply(watched: WatchedScope, event: WatchEvent): void {
    const version = (event.object.metadata as { resourceVersion?: string } | undefined)
      ?.resourceVersion;
    if (event.type === 'ERROR') {
      const status = event.object as { code?: number; reason?: string; message?: string };
      throw new ApiError(status.code ?? 500, status.reason ?? '', status.message ?? 'watch error');
    }
    if (version) watched.resourceVersion = version;
    if (event.type === 'BOOKMARK') return;
    if (event.type === 'DELETED') watched.objects.delete(objectKey(event.object));
    else watched.objects.set(objectKey(event.object), event.object);
    this.publishSoon();
  }

  private async relist(watched: WatchedScope): Promise<void> {
    const result = await this.client.list(watched.scope.resource.path(watched.scope.namespace));
    const changed = !sameVersions(watched.objects, result.items);
    watched.objects.clear();
    for (const item of result.items) watched.objects.set(objectKey(item), item);
    watched.resourceVersion = result.resourceVersion;
    // A list after an outage usually finds nothing new: no new snapshot to analyse then.
    if (changed) this.publishSoon();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const handle = this.timers.setTimeout(resolve, ms);
      this.abort.signal.addEventListener('abort', () => {
        this.timers.clearTimeout(handle);
        resolve();
      });
    });
  }

  private async run(watched: WatchedScope): Promise<void> {
    const { resource, namespace } = watched.scope;
    const name = `${resource.plural}${namespace ? ` in ${namespace}` : ''}`;
    let backoff: number = BACKOFF.initialMs;
    // After a failure, list before watching again: it catches up on what the watch missed
    // (or an expired resourceVersion), and its answer shows that the server is back.
    let relist = false;
    let lost = false;
    while (!this.abort.signal.aborted) {
      try {
        if (relist) {
          await this.relist(watched);
          relist = false;
          if (lost) this.listener.onWatchRecovered?.(name);
          lost = false;
        }
        await this.client.watch(
          resource.path(namespace),
          watched.resourceVersion,
          (event) => this.apply(watched, event),
          this.abort.signal,
        );
        backoff = BACKOFF.initialMs;
      } catch (error) {
        if (this.abort.signal.aborted) return;
        const watchFailed = !relist;
        relist = true;
        // 410 Gone: the resourceVersion expired; list again at once and watch from the new one.
        if (isGone(error) && watchFailed) continue;
        lost = true;
        const why = errorMessage(error);
        this.listener.onWatchError(
          `watch of ${name} lost (${why}); retrying in ${backoff / 1000}s`,
          name,
        );
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, BACKOFF.maxMs);
      }
    }
  }
}

/** Whether a list holds exactly the objects, at the same versions, as the map. */
function sameVersions(
  objects: ReadonlyMap<string, Record<string, unknown>>,
  items: readonly Record<string, unknown>[],
): boolean {
  const version = (object: Record<string, unknown> | undefined) =>
    (object?.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
  return (
    items.length === objects.size &&
    items.every((item) => version(objects.get(objectKey(item))) === version(item))
  );
}
