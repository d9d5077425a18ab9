import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { type Cluster, type Context, KubeConfig, type User } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { UserError } from '../../errors.js';
import { ExecCredentialAuth, execConfigOf } from './exec-credential.js';
import { checkCluster, checkUser, type Sourced, withTokenFile } from './kubeconfig-check.js';

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
  /** The user entry as written (exec included), for messages and redaction. */
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

/** One kubeconfig file as client-node read it, with what client-node does not read. */
interface LoadedFile {
  readonly config: KubeConfig;
  /** kubectl's `tokenFile` of each user (client-node ignores it), by user name; absolute. */
  readonly tokenFiles: ReadonlyMap<string, string>;
}

function kubectlTokenFiles(file: string): Map<string, string> {
  const found = new Map<string, string>();
  let users: unknown;
  try {
    users = (parse(readFileSync(file, 'utf8')) as { users?: unknown } | null)?.users;
  } catch {
    return found;
  }
  if (!Array.isArray(users)) return found;
  for (const item of users as { name?: unknown; user?: { tokenFile?: unknown } }[]) {
    const path = item?.user?.tokenFile;
    if (typeof item?.name === 'string' && typeof path === 'string' && path !== '')
      found.set(item.name, resolve(dirname(file), path));
  }
  return found;
}

function loadFile(file: string): LoadedFile {
  const config = new KubeConfig();
  try {
    config.loadFromFile(file);
  } catch (error) {
    const { code, path } = error as NodeJS.ErrnoException;
    // client-node reads a user's token-file while loading; say which file is missing.
    const reason =
      code === 'ENOENT' && path && path !== file
        ? `token-file ${path}: no such file`
        : error instanceof Error
          ? error.message.split('\n')[0]
          : String(error);
    throw new UserError(`kubeconfig ${file}: ${reason}`);
  }
  return { config, tokenFiles: kubectlTokenFiles(file) };
}

function firstByName<T extends { name: string }>(
  files: readonly string[],
  lists: readonly (readonly T[])[],
): Sourced<T>[] {
  const byName = new Map<string, Sourced<T>>();
  lists.forEach((list, i) => {
    for (const entry of list)
      if (!byName.has(entry.name)) byName.set(entry.name, { entry, file: files[i] as string });
  });
  return [...byName.values()];
}

/**
 * A KubeConfig for client-node with one context. An exec plugin is run by our own
 * authenticator, which honours the request deadline and redacts what the plugin prints.
 */
function connectionConfig(context: Context, cluster: Cluster, user: User): KubeConfig {
  const config = new KubeConfig();
  const exec = execConfigOf(user);
  const { exec: _, ...withoutExec } = user;
  config.loadFromOptions({
    clusters: [cluster],
    users: [exec ? withoutExec : user],
    contexts: [context],
    currentContext: context.name,
  });
  if (exec) config.addAuthenticator(new ExecCredentialAuth(user, exec));
  return config;
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
  const loaded = files.map(loadFile);
  const configs = loaded.map((l) => l.config);
  const merged = <T extends { name: string }>(entries: (config: KubeConfig) => T[]) =>
    firstByName(files, configs.map(entries));
  const contexts = merged((c) => c.getContexts()).map((s) => s.entry);
  const clusters = merged((c) => c.getClusters());
  const users = merged((c) => c.getUsers());
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
  const cluster = clusters.find((c) => c.entry.name === context.cluster);
  if (!cluster)
    throw new UserError(
      `kubeconfig ${where}: cluster "${context.cluster}" of context "${contextName}" does not exist`,
    );
  const found = users.find((u) => u.entry.name === context.user);
  if (!found)
    throw new UserError(
      `kubeconfig ${where}: user "${context.user}" of context "${contextName}" does not exist`,
    );
  checkCluster(cluster);
  checkUser(found);
  const tokenFile = loaded[files.indexOf(found.file)]?.tokenFiles.get(found.entry.name);
  const entry = tokenFile ? withTokenFile(found, tokenFile) : found.entry;
  const user: User = flags.as ? { ...entry, impersonateUser: flags.as } : entry;
  return {
    config: connectionConfig(context, cluster.entry, user),
    contextName,
    cluster: cluster.entry,
    user,
    namespace: context.namespace ?? 'default',
    files,
  };
}
