import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { type Cluster, type Context, KubeConfig, type User } from '@kubernetes/client-node';
import { UserError } from '../../errors.js';

/** kubectl's generic connection flags that we honour. */
export interface ConnectionFlags {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly cluster?: string;
  readonly user?: string;
  readonly namespace?: string;
  readonly as?: string;
}

/** A kubeconfig resolved for one connection, with where it came from. */
export interface ResolvedKubeConfig {
  readonly config: KubeConfig;
  readonly contextName: string;
  readonly cluster: Cluster;
  readonly user: User;
  /** The namespace for names given without one: the flag, else the context's, else "default". */
  readonly namespace: string;
  /** The files that were merged, first wins. */
  readonly files: readonly string[];
}

/** The kubeconfig files kubectl would read: --kubeconfig, else $KUBECONFIG, else ~/.kube/config. */
export function kubeconfigFiles(flag: string | undefined, env: NodeJS.ProcessEnv): string[] {
  if (flag) return [flag];
  const fromEnv = (env.KUBECONFIG ?? '').split(delimiter).filter((p) => p !== '');
  if (fromEnv.length > 0) return [...new Set(fromEnv)].filter((file) => existsSync(file));
  const home = join(env.HOME ?? homedir(), '.kube', 'config');
  return existsSync(home) ? [home] : [];
}

function loadFile(file: string): KubeConfig {
  const config = new KubeConfig();
  try {
    config.loadFromFile(file);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new UserError(`kubeconfig ${file}: ${reason}`);
  }
  return config;
}

function firstByName<T extends { name: string }>(lists: readonly (readonly T[])[]): T[] {
  const byName = new Map<string, T>();
  for (const list of lists)
    for (const item of list) if (!byName.has(item.name)) byName.set(item.name, item);
  return [...byName.values()];
}

/**
 * Merges kubeconfig files as kubectl does (the first file to set a value wins, for named
 * entries and for current-context), then applies the connection flags.
 */
export function resolveKubeConfig(
  flags: ConnectionFlags,
  env: NodeJS.ProcessEnv,
): ResolvedKubeConfig {
  const files = kubeconfigFiles(flags.kubeconfig, env);
  if (flags.kubeconfig && !existsSync(flags.kubeconfig)) {
    throw new UserError(`kubeconfig ${flags.kubeconfig}: no such file`);
  }
  if (files.length === 0) {
    throw new UserError(
      'no kubeconfig found (--kubeconfig, $KUBECONFIG or ~/.kube/config); use -f PATH or --demo to work offline',
    );
  }
  const configs = files.map(loadFile);
  const contexts = firstByName(configs.map((c) => c.getContexts()));
  const clusters = firstByName(configs.map((c) => c.getClusters()));
  const users = firstByName(configs.map((c) => c.getUsers()));
  const current = configs.map((c) => c.getCurrentContext()).find((name) => !!name);
  const contextName = flags.context ?? current;
  const where = files.join(delimiter);
  if (!contextName)
    throw new UserError(`kubeconfig ${where}: no current-context; pick one with --context`);
  const base: Context | undefined = contexts.find((c) => c.name === contextName);
  if (!base && !(flags.cluster && flags.user)) {
    throw new UserError(`kubeconfig ${where}: context "${contextName}" does not exist`);
  }
  const context: Context = {
    name: contextName,
    cluster: flags.cluster ?? base?.cluster ?? '',
    user: flags.user ?? base?.user ?? '',
    ...((flags.namespace ?? base?.namespace)
      ? { namespace: flags.namespace ?? base?.namespace }
      : {}),
  };
  const cluster = clusters.find((c) => c.name === context.cluster);
  if (!cluster)
    throw new UserError(
      `kubeconfig ${where}: cluster "${context.cluster}" of context "${contextName}" does not exist`,
    );
  const found = users.find((u) => u.name === context.user);
  if (!found)
    throw new UserError(
      `kubeconfig ${where}: user "${context.user}" of context "${contextName}" does not exist`,
    );
  const user: User = flags.as ? { ...found, impersonateUser: flags.as } : found;
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [cluster],
    users: [user],
    contexts: [context],
    currentContext: context.name,
  });
  return { config, contextName, cluster, user, namespace: context.namespace ?? 'default', files };
}
