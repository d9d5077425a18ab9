import type { ScaffoldedPolicy } from '../engine/index.js';
import type { LiveClusterListener } from '../io/cluster/live-cluster.js';
import type { LiveFlags, LiveLoadListener } from '../io/cluster/load-live.js';
import type { DemoVariant } from '../io/demo/demo-variants.js';
import { type CacheFlags, openManifestCache } from '../io/files/cache-dir.js';
import { OffThreadParser } from '../io/files/off-thread-parser.js';
import {
  demoDescription,
  demoSources,
  loadDemo,
  loadedFromSources,
  loadManifests,
  manifestsDescription,
} from '../io/load-input.js';
import type { FileReadListener } from '../io/manifests/read-paths.js';
import type { LoadedInput } from '../io/normalize/loaded-input.js';

/** Where the UI's snapshots come from, and how to refresh them. */
export interface SnapshotSource {
  readonly initial: LoadedInput;
  /** A short name for the header: "demo cluster", the files, "context NAME". */
  readonly name: string;
  /**
   * Reads the source again as the first time: manifests file by file, a cluster list by list,
   * `loading` told after each and paced while normalising (the UI's event loop turns there).
   */
  reload(loading?: LoadingListener): Promise<LoadedInput>;
  /**
   * Creates or updates a policy in the cluster by server-side apply (dryRun: validate only;
   * force: take over fields other managers own, else ApplyConflictError), when the source is a
   * cluster; resolves to the object as the server applied it.
   */
  create?(policy: ScaffoldedPolicy, dryRun: boolean, force: boolean): Promise<unknown>;
  /** The policy's object in the cluster now (undefined: none), to say what applying changes. */
  current?(policy: ScaffoldedPolicy): Promise<unknown>;
  /** Where create writes, for the confirmation question: "context NAME". */
  readonly target?: string;
  /**
   * Follows changes live, when the source can, telling the listener of new snapshots and of
   * each watch lost and recovered; returns a function that stops it.
   */
  watch?(listener: LiveClusterListener): () => void;
}

/** How the UI was asked to load: the same options as the commands. */
export interface SourceOptions extends LiveFlags, CacheFlags {
  readonly filename?: readonly string[];
  readonly demo?: DemoVariant;
}

/**
 * Hears how a read of manifests or of the cluster goes, and is waited for: the UI's event loop
 * turns there.
 */
export interface LoadingListener extends LiveLoadListener {
  /** After each file is read and parsed. */
  readonly fileRead: FileReadListener;
  /**
   * Every file read (each normalised as it was read), before the normalising ends; every list of
   * a cluster read, before its objects are normalised.
   */
  normalising(objects: number): Promise<void>;
}

/** How the header names the source the options name, before it is read. */
export function sourceName(options: SourceOptions): string {
  if (options.demo) return demoDescription(options.demo);
  const paths = options.filename ?? [];
  return paths.length > 0 ? manifestsDescription(paths) : 'the cluster';
}

/** Whether the options name the live cluster (neither the demo nor manifests). */
function isCluster(options: SourceOptions): boolean {
  return !options.demo && (options.filename ?? []).length === 0;
}

/**
 * Loads, for a cluster, its client's modules (@kubernetes/client-node with undici: about 120 ms
 * of evaluation that cannot be split), to call before the first frame: keys typed meanwhile
 * wait held as during the rest of start-up, where after it they would wait on the loading
 * screen. The demo and manifests need nothing more.
 */
export async function loadSourceModules(options: SourceOptions): Promise<void> {
  if (isCluster(options)) await import('./live-source.js');
}

/**
 * Opens the source the options name: the demo, manifests, or the live cluster with watches.
 * Manifests are read and normalised file by file, a cluster list by list then object by object
 * (the demo at once), `loading` told after each file or list and before the normalising ends. The objects are kept as read, for the YAML view.
 */
export async function openSource(
  options: SourceOptions,
  env: NodeJS.ProcessEnv,
  readStdin: () => Promise<string>,
  loading?: LoadingListener,
): Promise<SnapshotSource> {
  if (options.demo) {
    const demo = options.demo;
    const read = demoSources(demo);
    await loading?.normalising(read.objects.length);
    return {
      initial: loadedFromSources(read),
      name: demoDescription(demo),
      reload: async () => loadDemo(demo),
    };
  }
  const paths = options.filename ?? [];
  if (!isCluster(options)) {
    // The screen is the terminal's: the cache's notes are not shown.
    const load = async (heard?: LoadingListener) => {
      const cache = await openManifestCache(options, env);
      return loadManifests(paths, readStdin, {
        keepObjects: true,
        cache,
        ...(heard
          ? {
              onFileRead: heard.fileRead,
              onRead: heard.normalising,
              pace: heard.pace,
              bigFiles: new OffThreadParser(cache?.settings),
            }
          : {}),
      });
    };
    const initial = await load(loading);
    return { initial, name: initial.description, reload: load };
  }
  // The cluster client is loaded only for a cluster (by loadSourceModules, before the first
  // frame): from files or the demo, the first frame does not wait for it.
  const { openLiveSource } = await import('./live-source.js');
  return openLiveSource(options, env, loading);
}
