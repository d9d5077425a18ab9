import type { RequestOptions } from 'node:https';
import { request } from 'node:https';
import type { ResolvedKubeConfig } from './kubeconfig.js';

/** An answer other than 2xx from the API server, with the Status message it carried. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** The server could not be reached (refused, unresolvable, timed out). */
export class UnreachableError extends Error {
  override readonly name = 'UnreachableError';
}

/** The user's exec credential plugin failed; its message carries the plugin's stderr. */
export class CredentialError extends Error {
  override readonly name = 'CredentialError';
}

/** A page of a list answer. */
interface ListPage {
  readonly items?: unknown[];
  readonly metadata?: { readonly continue?: string; readonly resourceVersion?: string };
}

/** A complete list, with the resourceVersion to start a watch from. */
export interface ListResult {
  readonly items: Record<string, unknown>[];
  readonly resourceVersion: string;
}

/** One event of a watch stream. */
export interface WatchEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  readonly object: Record<string, unknown>;
}

/** How long the server keeps one watch request open before we start another. */
const WATCH_SECONDS = 300;

/** The objects a list page holds at most. */
export const PAGE_SIZE = 500;

function statusMessage(status: number, body: string): { reason: string; message: string } {
  try {
    const parsed = JSON.parse(body) as { reason?: string; message?: string };
    return { reason: parsed.reason ?? '', message: parsed.message ?? body };
  } catch {
    return { reason: '', message: body.trim() || `HTTP ${status}` };
  }
}

/** A small client for the API server, authenticated as kubectl would be: it reads, and creates. */
export class ApiClient {
  constructor(
    private readonly kubeconfig: ResolvedKubeConfig,
    /** Milliseconds before a request is abandoned; 0 means no limit. */
    readonly timeoutMs: number,
  ) {}

  /** The server URL of the current cluster. */
  get server(): string {
    return this.kubeconfig.cluster.server;
  }

  private async options(path: string): Promise<RequestOptions & { url: URL }> {
    const url = new URL(path, this.server.endsWith('/') ? this.server : `${this.server}/`);
    const options: RequestOptions = { method: 'GET', headers: { Accept: 'application/json' } };
    try {
      await this.kubeconfig.config.applyToHTTPSOptions(options);
    } catch (error) {
      const { user } = this.kubeconfig;
      const command = (user.exec as { command?: string } | undefined)?.command;
      const detail = error instanceof Error ? error.message.trim() : String(error);
      const why =
        (error as NodeJS.ErrnoException).code === 'ENOENT'
          ? 'not found on PATH'
          : detail || 'failed';
      throw new CredentialError(
        command
          ? `credential plugin "${command}" of user "${user.name}" failed: ${why}`
          : `credentials of user "${user.name}" could not be loaded: ${why}`,
      );
    }
    return { ...options, url };
  }

  /** GETs a path and parses the JSON answer. */
  get<T>(path: string): Promise<T> {
    return this.send<T>('GET', path);
  }

  /**
   * POSTs an object to a collection (create-only). With dryRun the server validates and
   * admits it without storing it. A conflict or rejection comes back as the server's ApiError.
   */
  create<T>(path: string, body: unknown, dryRun: boolean): Promise<T> {
    return this.send<T>('POST', dryRun ? `${path}?dryRun=All` : path, JSON.stringify(body));
  }

  private async send<T>(method: 'GET' | 'POST', path: string, body?: string): Promise<T> {
    const { url, ...options } = await this.options(path);
    const headers = { ...options.headers, ...(body ? { 'Content-Type': 'application/json' } : {}) };
    return new Promise<T>((resolve, reject) => {
      const settings = { ...options, method, headers, timeout: this.timeoutMs || undefined };
      const req = request(url, settings, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) {
            try {
              resolve(JSON.parse(body) as T);
            } catch {
              reject(new ApiError(status, 'BadResponse', `invalid JSON from ${url.pathname}`));
            }
            return;
          }
          const { reason, message } = statusMessage(status, body);
          reject(new ApiError(status, reason, message));
        });
        res.on('error', reject);
      });
      req.on('timeout', () => {
        req.destroy(
          new UnreachableError(
            `no answer from ${this.server} within ${this.timeoutMs / 1000}s (--request-timeout)`,
          ),
        );
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (error instanceof UnreachableError) return reject(error);
        const why =
          error.code === 'ECONNREFUSED'
            ? 'connection refused'
            : error.code === 'ENOTFOUND'
              ? 'host not found'
              : error.message;
        reject(new UnreachableError(`cannot reach ${this.server}: ${why}`));
      });
      req.end(body);
    });
  }

  /**
   * Streams a watch: calls onEvent for each event until the server ends the stream (resolve)
   * or it fails (reject). `signal` aborts it.
   */
  async watch(
    path: string,
    resourceVersion: string,
    onEvent: (event: WatchEvent) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const query = new URLSearchParams({
      watch: '1',
      resourceVersion,
      allowWatchBookmarks: 'true',
      timeoutSeconds: String(WATCH_SECONDS),
    });
    const { url, ...options } = await this.options(`${path}?${query}`);
    return new Promise<void>((resolve, reject) => {
      const req = request(url, { ...options, signal }, (res) => {
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const { reason, message } = statusMessage(
              status,
              Buffer.concat(chunks).toString('utf8'),
            );
            reject(new ApiError(status, reason, message));
          });
          return;
        }
        let buffered = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffered += chunk;
          let newline = buffered.indexOf('\n');
          try {
            while (newline >= 0) {
              const line = buffered.slice(0, newline).trim();
              buffered = buffered.slice(newline + 1);
              if (line) onEvent(JSON.parse(line) as WatchEvent);
              newline = buffered.indexOf('\n');
            }
          } catch (error) {
            // An ERROR event (such as 410 Gone) or a broken line ends this watch.
            res.destroy();
            reject(error);
          }
        });
        res.on('end', () => resolve());
        res.on('error', reject);
      });
      req.on('error', (error: Error) => {
        if (signal.aborted) resolve();
        else
          reject(
            new UnreachableError(`watch of ${path} on ${this.server} failed: ${error.message}`),
          );
      });
      req.end();
    });
  }

  /** Lists a collection page by page (limit + continue), returning every item. */
  async list(path: string): Promise<ListResult> {
    const items: Record<string, unknown>[] = [];
    let token: string | undefined;
    let resourceVersion = '';
    do {
      const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (token) query.set('continue', token);
      const page = await this.get<ListPage>(`${path}?${query}`);
      items.push(...((page.items ?? []) as Record<string, unknown>[]));
      token = page.metadata?.continue || undefined;
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
    } while (token);
    return { items, resourceVersion };
  }
}
