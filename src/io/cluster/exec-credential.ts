import { spawn } from 'node:child_process';
import type { RequestOptions } from 'node:https';
import type { KubeConfig, User } from '@kubernetes/client-node';
import { formatBytes } from './limits.js';
import { outputSecrets, redact, userSecrets } from './redact.js';

/** client-node's interface for an authenticator (its package does not export the name). */
type Authenticator = Parameters<KubeConfig['addAuthenticator']>[0];

/** The user's exec credential plugin failed, timed out or answered nonsense; secrets redacted. */
export class CredentialError extends Error {
  override readonly name = 'CredentialError';
}

/** The `exec` entry of a kubeconfig user. */
export interface ExecConfig {
  readonly command: string;
  readonly args?: readonly string[];
  readonly env?: readonly { readonly name: string; readonly value: string }[];
  readonly apiVersion?: string;
  readonly interactiveMode?: 'Never' | 'IfAvailable' | 'Always';
  /** What to tell a user who does not have the command (kubectl shows it too). */
  readonly installHint?: string;
}

/** The part of an ExecCredential (client.authentication.k8s.io) we use. */
interface ExecCredential {
  readonly status: {
    readonly token?: string;
    readonly clientCertificateData?: string;
    readonly clientKeyData?: string;
    readonly expirationTimestamp?: string;
  };
}

/** More output than any credential is made of: a plugin printing this much is stopped. */
const MAX_OUTPUT_BYTES = 1024 * 1024;

/** The user's exec plugin, if the kubeconfig entry has one. */
export function execConfigOf(user: User): ExecConfig | undefined {
  const exec = user.exec as ExecConfig | undefined;
  return exec?.command ? exec : undefined;
}

/** The error for credentials not ready by the deadline; an exec plugin has been stopped. */
export function credentialTimeoutError(user: User, budgetText: string): CredentialError {
  const exec = execConfigOf(user);
  return new CredentialError(
    exec
      ? `credential plugin "${exec.command}" of user "${user.name}" did not finish within ${budgetText} (--request-timeout) and was stopped`
      : `credentials of user "${user.name}" were not ready within ${budgetText} (--request-timeout)`,
  );
}

function isExecCredential(value: unknown): value is ExecCredential {
  const status = (value as { status?: unknown } | null)?.status;
  return typeof status === 'object' && status !== null;
}

function isFresh(credential: ExecCredential, now: number): boolean {
  const expires = credential.status.expirationTimestamp;
  return expires === undefined || Date.parse(expires) > now;
}

/** Text as one line: its lines trimmed and joined (stderr's with "; "), blank ones dropped. */
function oneLine(text: string, joiner = '; '): string {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(joiner);
}

/**
 * Runs a kubeconfig user's exec credential plugin as kubectl does, for client-node to use in
 * place of its own runner, which cannot be stopped and quotes the plugin's output in errors.
 * The plugin is killed when the request's signal aborts (the `--request-timeout` deadline);
 * concurrent requests share one run; the credential is kept until it expires. What the plugin
 * wrote on stderr is shown with every secret of the user entry and all of its stdout redacted.
 */
export class ExecCredentialAuth implements Authenticator {
  private credential: ExecCredential | undefined;
  private running: Promise<ExecCredential> | undefined;

  constructor(
    /** The user entry as written, exec included (client-node gets it without exec). */
    private readonly user: User,
    private readonly exec: ExecConfig,
  ) {}

  /** Ours is the user this was made for. */
  isAuthProvider(user: User): boolean {
    return user.name === this.user.name;
  }

  /** Sets the bearer token or client certificate the plugin returned. */
  async applyAuthentication(_user: User, opts: RequestOptions): Promise<void> {
    // prepare() got (or refreshed) it just before, within the call's deadline: use that one.
    const { status } = this.credential ?? (await this.current(opts.signal));
    if (status.clientCertificateData) opts.cert = status.clientCertificateData;
    if (status.clientKeyData) opts.key = status.clientKeyData;
    if (status.token) opts.headers = { ...opts.headers, Authorization: `Bearer ${status.token}` };
  }

  /**
   * The client certificate and key the plugin last returned ('' for none): connections made
   * with one serve no request that should carry another.
   */
  clientIdentity(): string {
    const status = this.credential?.status;
    return `${status?.clientCertificateData ?? ''}\n${status?.clientKeyData ?? ''}`;
  }

  /**
   * Runs the plugin unless a fresh credential is kept, stopping it when the signal aborts:
   * client-node asks for credentials without a signal, so a call starts them here first.
   */
  async prepare(signal: AbortSignal): Promise<void> {
    await this.current(signal);
  }

  private current(signal: AbortSignal | undefined): Promise<ExecCredential> {
    if (this.credential && isFresh(this.credential, Date.now()))
      return Promise.resolve(this.credential);
    this.running ??= this.run(signal).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private failure(why: string, secrets: readonly string[]): CredentialError {
    const message = `credential plugin "${this.exec.command}" of user "${this.user.name}" ${why}`;
    // A plugin refreshing a credential may well print the one it gave us before.
    const earlier = this.credential ? outputSecrets(JSON.stringify(this.credential)) : [];
    return new CredentialError(
      redact(message, [...userSecrets(this.user), ...earlier, ...secrets]),
    );
  }

  private run(signal: AbortSignal | undefined): Promise<ExecCredential> {
    const env = { ...process.env };
    for (const { name, value } of this.exec.env ?? []) env[name] = value;
    env.KUBERNETES_EXEC_INFO = JSON.stringify({
      apiVersion: this.exec.apiVersion ?? 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      spec: { interactive: false },
    });
    return new Promise<ExecCredential>((resolve, reject) => {
      // A plugin that will never prompt runs in its own process group (on POSIX), so that
      // stopping it also stops what it started (a script's `sleep`, a helper holding its
      // pipes). One that may prompt keeps our terminal, which a new group would take away.
      const ownGroup = process.platform !== 'win32' && this.exec.interactiveMode === 'Never';
      const child = spawn(this.exec.command, [...(this.exec.args ?? [])], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: ownGroup,
        windowsHide: true,
      });
      let stdout = '';
      let stderr = '';
      let received = 0;
      const stop = (error: Error) => {
        try {
          if (ownGroup && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
          else child.kill('SIGKILL');
        } catch {
          // Already gone.
        }
        child.stdout.destroy();
        child.stderr.destroy();
        child.unref();
        reject(error);
      };
      const onAbort = () =>
        stop(signal?.reason instanceof Error ? signal.reason : this.failure('was stopped', []));
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      const collect = (into: 'stdout' | 'stderr') => (chunk: Buffer) => {
        received += chunk.length;
        if (received > MAX_OUTPUT_BYTES)
          return stop(
            this.failure(`printed more than ${formatBytes(MAX_OUTPUT_BYTES)} and was stopped`, []),
          );
        if (into === 'stdout') stdout += chunk.toString('utf8');
        else stderr += chunk.toString('utf8');
      };
      child.stdout.on('data', collect('stdout'));
      child.stderr.on('data', collect('stderr'));
      child.on('error', (error: NodeJS.ErrnoException) => {
        signal?.removeEventListener('abort', onAbort);
        reject(
          this.failure(
            error.code === 'ENOENT'
              ? `failed: not found on PATH${this.exec.installHint ? ` (${oneLine(this.exec.installHint, ' ')})` : ''}`
              : `failed: ${error.message}`,
            [],
          ),
        );
      });
      child.on('close', (code, killedBy) => {
        signal?.removeEventListener('abort', onAbort);
        const secrets = outputSecrets(stdout);
        if (code !== 0) {
          const said = oneLine(stderr);
          const why = said || (killedBy ? `killed by ${killedBy}` : `exit code ${code}`);
          return reject(this.failure(`failed: ${why}`, secrets));
        }
        let parsed: unknown;
        try {
          parsed = JSON.parse(stdout);
        } catch {
          parsed = undefined;
        }
        if (!isExecCredential(parsed)) {
          const size = Buffer.byteLength(stdout);
          return reject(
            this.failure(`printed something that is not an ExecCredential (${size} bytes)`, []),
          );
        }
        this.credential = parsed;
        resolve(parsed);
      });
    });
  }
}
