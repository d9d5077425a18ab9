import { existsSync, readFileSync } from 'node:fs';
import { delimiter, dirname, resolve } from 'node:path';
import { type Cluster, type Context, KubeConfig, type User } from '@kubernetes/client-node';
import { load } from 'js-yaml';
import { UserError } from '../../errors.js';
import { ExecCredentialAuth, execConfigOf } from './exec-credential.js';
import { checkCluster, checkUser, type Sourced, withTokenFile } from './kubeconfig-check.js';
import { kubeconfigFiles } from './kubeconfig-files.js';
import { proxyFromEnvironment } from './proxy-env.js';
import { printableServer } from './redact.js';

/** kubectl's generic connection flags that we honour. */
export interface ConnectionFlags {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly cluster?: string;
  readonly user?: string;
  readonly namespace?: string;
  readonly server?: string;
  readonly token?: string;
  readonly as?: string;
  readonly asGroup?: readonly string[];
  readonly asUid?: string;
  readonly certificateAuthority?: string;
  readonly clientCertificate?: string;
  readonly clientKey?: string;
  readonly insecureSkipTlsVerify?: boolean;
  readonly tlsServerName?: string;
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
  /** Our runner of the user's exec plugin, to start within a call's deadline. */
  readonly credentialPlugin?: ExecCredentialAuth;
  /** Impersonation headers client-node does not set (it sets only Impersonate-User). */
  readonly impersonationHeaders: Readonly<Record<string, string>>;
}

/** What kubectl reads from a user entry that client-node does not. */
interface KubectlUserFields {
  /** `tokenFile`, absolute. */
  readonly tokenFile?: string;
  /** `as-groups`: the groups to impersonate. */
  readonly asGroups?: readonly string[];
  /** `as-uid`: the UID to impersonate. */
  readonly asUid?: string;
}

/** One kubeconfig file as client-node read it, with what client-node does not read. */
interface LoadedFile {
  readonly config: KubeConfig;
  /** kubectl's fields client-node ignores, by user name. */
  readonly userFields: ReadonlyMap<string, KubectlUserFields>;
}

function kubectlUserFields(file: string): Map<string, KubectlUserFields> {
  const found = new Map<string, KubectlUserFields>();
  let users: unknown;
  try {
    // Read as client-node reads the rest of the file (js-yaml's load), for the same values.
    users = (load(readFileSync(file, 'utf8')) as { users?: unknown } | null)?.users;
  } catch {
    return found;
  }
  if (!Array.isArray(users)) return found;
  for (const item of users as { name?: unknown; user?: Record<string, unknown> }[]) {
    const user = item?.user;
    if (typeof item?.name !== 'string' || !user) continue;
    const { tokenFile, 'as-groups': groups, 'as-uid': uid } = user;
    found.set(item.name, {
      ...(typeof tokenFile === 'string' && tokenFile !== ''
        ? { tokenFile: resolve(dirname(file), tokenFile) }
        : {}),
      ...(Array.isArray(groups) ? { asGroups: groups.map(String) } : {}),
      ...(typeof uid === 'string' && uid !== '' ? { asUid: uid } : {}),
    });
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
  return { config, userFields: kubectlUserFields(file) };
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
 * The cluster entry with kubectl's cluster flags applied as client-go applies them: --server
 * replaces the server, --certificate-authority replaces the entry's CA (file and data), and
 * --insecure-skip-tls-verify drops the CA.
 */
function withClusterFlags(cluster: Cluster, flags: ConnectionFlags): Cluster {
  const { certificateAuthority: ca, insecureSkipTlsVerify: insecure } = flags;
  if (ca && insecure)
    throw new UserError(
      '--certificate-authority and --insecure-skip-tls-verify: specifying a root certificates file with the insecure flag is not allowed',
    );
  const { caData: _data, caFile: _file, ...withoutCa } = cluster;
  return {
    ...(ca || insecure ? withoutCa : cluster),
    ...(ca ? { caFile: resolve(ca) } : {}),
    ...(insecure ? { skipTLSVerify: true } : {}),
    ...(flags.server ? { server: flags.server } : {}),
    ...(flags.tlsServerName ? { tlsServerName: flags.tlsServerName } : {}),
  };
}

/**
 * The user entry with kubectl's credential flags applied: --token replaces the entry's way to
 * get a token (exec or auth-provider), --client-certificate and --client-key replace the
 * entry's certificate and key, --as impersonates.
 */
function withUserFlags(user: User, flags: ConnectionFlags): User {
  let next: User = user;
  if (flags.token) {
    const { exec: _exec, authProvider: _provider, ...rest } = next;
    next = { ...rest, token: flags.token };
  }
  if (flags.clientCertificate) {
    const { certData: _, ...rest } = next;
    next = { ...rest, certFile: resolve(flags.clientCertificate) };
  }
  if (flags.clientKey) {
    const { keyData: _, ...rest } = next;
    next = { ...rest, keyFile: resolve(flags.clientKey) };
  }
  return flags.as ? { ...next, impersonateUser: flags.as } : next;
}

/**
 * The Impersonate-Group and Impersonate-Uid headers: --as-group and --as-uid, else the user
 * entry's as-groups and as-uid; as in kubectl, they need a user to impersonate. The fetch
 * client-node sends requests with joins repeated headers into one ("a, b"), which the API
 * server would read as one group: so one group at most.
 */
function impersonationHeaders(
  flags: ConnectionFlags,
  user: User,
  fields: KubectlUserFields,
): Record<string, string> {
  const groups = flags.asGroup ?? fields.asGroups ?? [];
  const uid = flags.asUid ?? fields.asUid;
  if ((groups.length > 0 || uid) && !user.impersonateUser)
    throw new UserError('--as-group and --as-uid impersonate a user: give the user with --as');
  if (groups.length > 1)
    throw new UserError(
      `--as-group: one group at most (got ${groups.length}); kubectl-netpol cannot send several`,
    );
  return {
    ...(groups[0] ? { 'Impersonate-Group': groups[0] } : {}),
    ...(uid ? { 'Impersonate-Uid': uid } : {}),
  };
}

/** The user entry without its credentials: the name, and whom it impersonates. */
function impersonationOnly(user: User): User {
  return user.impersonateUser
    ? { name: user.name, impersonateUser: user.impersonateUser }
    : { name: user.name };
}

/**
 * A KubeConfig for client-node with one context. An exec plugin is run by our own
 * authenticator, which honours the request deadline and redacts what the plugin prints.
 * Over plain http, as in kubectl (client-go's "only try to read the auth information if we
 * are secure"), no credentials are sent, impersonation is; client-node refuses an http server
 * unless its TLS verification is off, which means nothing there.
 * Without the cluster's proxy-url, the proxy comes from the environment as in kubectl.
 */
function connectionConfig(
  context: Context,
  cluster: Cluster,
  user: User,
  env: NodeJS.ProcessEnv,
): { config: KubeConfig; credentialPlugin?: ExecCredentialAuth } {
  const config = new KubeConfig();
  const plain = cluster.server.startsWith('http:');
  const exec = plain ? undefined : execConfigOf(user);
  const { exec: _, ...withoutExec } = user;
  const proxyUrl = cluster.proxyUrl ?? proxyFromEnvironment(new URL(cluster.server), env);
  config.loadFromOptions({
    clusters: [{ ...cluster, ...(plain ? { skipTLSVerify: true } : {}), proxyUrl }],
    users: [plain ? impersonationOnly(user) : exec ? withoutExec : user],
    contexts: [context],
    currentContext: context.name,
  });
  if (!exec) return { config };
  const credentialPlugin = new ExecCredentialAuth(user, exec);
  config.addAuthenticator(credentialPlugin);
  return { config, credentialPlugin };
}

/** Loads the files, or none when --server alone says where to connect (as kubectl allows). */
function loadFiles(flags: ConnectionFlags, env: NodeJS.ProcessEnv) {
  const files = kubeconfigFiles(flags.kubeconfig, env);
  if (flags.kubeconfig && !existsSync(flags.kubeconfig)) {
    throw new UserError(`kubeconfig ${flags.kubeconfig}: no such file`);
  }
  if (files.length === 0 && !flags.server) {
    throw new UserError(
      'no kubeconfig found (--kubeconfig, $KUBECONFIG or ~/.kube/config); use -f PATH or --demo to work offline',
    );
  }
  return { files, loaded: files.map(loadFile) };
}

/**
 * Merges kubeconfig files as kubectl does (the first file to set a value wins, for named
 * entries and for current-context), then applies the connection flags. With --server, a
 * context, cluster or user that no file names is empty, as in kubectl.
 */
export function resolveKubeConfig(
  flags: ConnectionFlags,
  env: NodeJS.ProcessEnv,
): ResolvedKubeConfig {
  const { files, loaded } = loadFiles(flags, env);
  const configs = loaded.map((l) => l.config);
  const merged = <T extends { name: string }>(entries: (config: KubeConfig) => T[]) =>
    firstByName(files, configs.map(entries));
  const contexts = merged((c) => c.getContexts()).map((s) => s.entry);
  const clusters = merged((c) => c.getClusters());
  const users = merged((c) => c.getUsers());
  const current = configs.map((c) => c.getCurrentContext()).find((name) => !!name);
  // Connecting by --server alone, the snapshot is named after the server.
  const contextName =
    flags.context ?? current ?? (flags.server ? printableServer(flags.server) : undefined);
  const where = files.join(delimiter) || '(none)';
  if (contextName === undefined)
    throw new UserError(`kubeconfig ${where}: no current-context; pick one with --context`);
  const base: Context | undefined = contexts.find((c) => c.name === contextName);
  if (!base && !(flags.cluster && flags.user) && !(flags.server && !flags.context)) {
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
  const unnamed = flags.server && context.cluster === '';
  const cluster = unnamed
    ? { entry: { name: '', server: flags.server ?? '', skipTLSVerify: false }, file: '--server' }
    : clusters.find((c) => c.entry.name === context.cluster);
  if (!cluster)
    throw new UserError(
      `kubeconfig ${where}: cluster "${context.cluster}" of context "${contextName}" does not exist`,
    );
  const found =
    context.user === '' && flags.server
      ? { entry: { name: '' }, file: '--server' }
      : users.find((u) => u.entry.name === context.user);
  if (!found)
    throw new UserError(
      `kubeconfig ${where}: user "${context.user}" of context "${contextName}" does not exist`,
    );
  const clusterEntry = withClusterFlags(cluster.entry, flags);
  checkCluster({ ...cluster, entry: clusterEntry });
  const fields = loaded[files.indexOf(found.file)]?.userFields.get(found.entry.name) ?? {};
  const fromFile = fields.tokenFile ? withTokenFile(found, fields.tokenFile) : found.entry;
  const user = withUserFlags(fromFile, flags);
  checkUser({ ...found, entry: user });
  return {
    ...connectionConfig(context, clusterEntry, user, env),
    contextName,
    cluster: clusterEntry,
    user,
    namespace: context.namespace ?? 'default',
    files,
    impersonationHeaders: impersonationHeaders(flags, user, fields),
  };
}
