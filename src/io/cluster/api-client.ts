import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { HttpMethod, RequestContext } from '@kubernetes/client-node';
import { getGlobalDispatcher, type Dispatcher as UndiciDispatcher } from 'undici';
import { Deadline } from './deadline.js';
import { CredentialError, credentialTimeoutError } from './exec-credential.js';
import { APPLY_FIELD_MANAGER } from './field-manager.js';
import type { ResolvedKubeConfig } from './kubeconfig.js';
import {
  ByteBudget,
  DEFAULT_LIMITS,
  formatBytes,
  ListBudget,
  ResponseLimitError,
  type ResponseLimits,
  readBody,
} from './limits.js';
import { printableServer, redact, userSecrets } from './redact.js';
import { RedirectChain, RedirectError } from './redirects.js';

export { CredentialError } from './exec-credential.js';
export { RedirectError } from './redirects.js';

/** One cause a Status gives for a refusal (its details.causes): a field and what is wrong. */
export interface StatusCause {
  readonly reason: string;
  readonly message: string;
  readonly field: string;
}

/** An answer other than 2xx from the API server, with the Status message and causes it carried. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly causes: readonly StatusCause[] = [],
  ) {
    super(message);
  }
}

/** The server could not be reached (refused, unresolvable, timed out). */
export class UnreachableError extends Error {
  override readonly name: string = 'UnreachableError';
}

/**
 * The server closed a shared HTTP/2 connection (GOAWAY) before answering a request on it, as
 * kube-apiserver does after refusing credentials: the request was not processed, so it may be
 * sent again over a new connection.
 */
class ConnectionClosedError extends UnreachableError {
  override readonly name: string = 'ConnectionClosedError';
}

/** No complete answer within the call's deadline (`--request-timeout`). */
export class RequestTimeoutError extends UnreachableError {
  override readonly name = 'RequestTimeoutError';
  constructor(
    message: string,
    /** The deadline, as the flag reads: "30s". */
    readonly budgetText: string,
  ) {
    super(message);
  }
}

/**
 * Whether an error is a call that failed (unreachable, credentials, limits, a redirect not
 * followed): said as it is.
 */
export function isCallFailure(error: unknown): error is Error {
  return (
    error instanceof UnreachableError ||
    error instanceof RedirectError ||
    error instanceof CredentialError ||
    error instanceof ResponseLimitError
  );
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

/** The objects a list page holds at most, unless the client is told fewer. */
export const PAGE_SIZE = 500;

/**
 * The compression calls accept, as fetch (and kubectl) asked for it: kube-apiserver gzips an
 * answer over 128 KiB for a client that accepts gzip, and knows no other coding
 * (k8s.io/apiserver@v0.37.1 pkg/endpoints/handlers/responsewriters/writers.go).
 */
const ACCEPT_ENCODING = 'gzip';

/** The media type calls ask for unless told otherwise: whole objects as JSON. */
const JSON_MEDIA = 'application/json';

/** One request sent, for `-v` logs: kubectl's level 6 line. */
export interface RequestLog {
  readonly method: string;
  readonly url: string;
  /** The HTTP status, or 0 when no answer came. */
  readonly status: number;
  readonly milliseconds: number;
}

/** How a client reports each request it sends (-v 6 and up). */
export type RequestLogger = (entry: RequestLog) => void;

/** A pool of connections to the server (undici's), as client-node makes one for a request. */
type Dispatcher = NonNullable<ReturnType<RequestContext['getDispatcher']>>;

/**
 * The connections a request goes over: those client-node made for its TLS material or proxy,
 * else undici's shared pool (what client-node's own fetch would use).
 */
function dispatcherOf(request: RequestContext): Dispatcher {
  return request.getDispatcher() ?? getGlobalDispatcher();
}

/**
 * What of a redirect's body is read before the next hop, so that its connection may be used
 * again (go1.26.8 src/net/http/client.go, maxBodySlurpSize).
 */
const REDIRECT_BODY_READ = 2 << 10;

/**
 * Drops an answer's body not to be read: a little of it is read so that its connection may serve
 * the next request, as Go does, and the rest is not.
 */
async function discard(body: UndiciDispatcher.ResponseData['body'], signal: AbortSignal) {
  await body.dump({ limit: REDIRECT_BODY_READ, signal }).catch(() => {});
}

/** An answer whose headers are in: its status and its body, still to read. */
interface Answer {
  readonly status: number;
  readonly body: Readable;
}

/** Why undici could not reach the server, from its error or the system error it wraps. */
function unreachableReason(error: unknown): string {
  const cause = ((error as { cause?: unknown }).cause ?? error) as NodeJS.ErrnoException;
  if (cause.code === 'ECONNREFUSED') return 'connection refused';
  if (cause.code === 'ENOTFOUND' || cause.code === 'EAI_AGAIN') return 'host not found';
  return cause.message || String(cause);
}

/** A text field of a parsed body, or '' when it is not text. */
function textField(object: unknown, key: string): string {
  const value =
    typeof object === 'object' && object !== null
      ? (object as Record<string, unknown>)[key]
      : undefined;
  return typeof value === 'string' ? value : '';
}

/** The causes of a Status (details.causes), each with its text fields or ''. */
function statusCauses(parsed: unknown): StatusCause[] {
  const details =
    typeof parsed === 'object' && parsed !== null
      ? (parsed as { details?: unknown }).details
      : undefined;
  const causes =
    typeof details === 'object' && details !== null
      ? (details as { causes?: unknown }).causes
      : undefined;
  if (!Array.isArray(causes)) return [];
  return causes.map((cause: unknown) => ({
    reason: textField(cause, 'reason'),
    message: textField(cause, 'message'),
    field: textField(cause, 'field'),
  }));
}

function statusMessage(
  status: number,
  body: string,
): { reason: string; message: string; causes: StatusCause[] } {
  try {
    const parsed = JSON.parse(body) as unknown;
    return {
      reason: textField(parsed, 'reason'),
      message: textField(parsed, 'message') || body,
      causes: statusCauses(parsed),
    };
  } catch {
    return { reason: '', message: body.trim() || `HTTP ${status}`, causes: [] };
  }
}

/** A path with more query parameters: a collection path may carry its own (a fieldSelector). */
function withQuery(path: string, query: URLSearchParams): string {
  return `${path}${path.includes('?') ? '&' : '?'}${query}`;
}

/** The resource a path names, for messages: "/api/v1/namespaces/x/pods?limit=1" is "pods". */
function resourceOf(path: string): string {
  return path.split('?')[0]?.split('/').at(-1) || path;
}

/**
 * A small client for the API server, authenticated as kubectl would be: it reads, and applies.
 * Each call, credential plugin included, ends by its `--request-timeout` deadline, and no
 * answer is read past the response limits.
 */
export class ApiClient {
  /**
   * The keep-alive connections calls share, and the client certificate they were opened with:
   * one TLS handshake then serves many requests, where client-node opens a pool per request.
   */
  private shared: { readonly identity: string; readonly dispatcher: Dispatcher } | undefined;

  constructor(
    private readonly kubeconfig: ResolvedKubeConfig,
    /** Milliseconds before a call is abandoned; 0 means no limit. */
    readonly timeoutMs: number,
    private readonly limits: ResponseLimits = DEFAULT_LIMITS,
    /** Told of every request sent (`-v`). */
    private readonly log?: RequestLogger,
    /** The objects a list page holds at most: fewer make each page's parse a shorter task. */
    readonly pageSize: number = PAGE_SIZE,
  ) {}

  /** The server URL of the current cluster, fit to print (no user:password@). */
  get server(): string {
    return printableServer(this.kubeconfig.cluster.server);
  }

  /**
   * A request with the user's credentials applied by client-node (headers, TLS material and
   * proxy in its dispatcher), within the call's deadline; `shared`, over the connections other
   * calls share. A path is appended to the server's own path, as kubectl does for servers
   * behind a prefix.
   */
  private async prepare(
    method: HttpMethod,
    path: string,
    deadline: Deadline,
    shared: boolean,
    accept = JSON_MEDIA,
  ): Promise<RequestContext> {
    // fetch refuses a URL with user:password@; kubectl does not use it either.
    const base = this.server.replace(/\/+$/, '');
    const request = new RequestContext(`${base}${path}`, method);
    request.setHeaderParam('Accept', accept);
    for (const [name, value] of Object.entries(this.kubeconfig.impersonationHeaders))
      request.setHeaderParam(name, value);
    const { user, config, credentialPlugin } = this.kubeconfig;
    try {
      await deadline.run(
        async (signal) => {
          // client-node asks for credentials without a signal: start our plugin with one.
          await credentialPlugin?.prepare(signal);
          await config.applySecurityAuthentication(request);
        },
        () => credentialTimeoutError(user, deadline.budgetText),
      );
    } catch (error) {
      if (error instanceof CredentialError) throw error;
      const why = error instanceof Error ? error.message.trim() : String(error);
      throw new CredentialError(
        redact(
          `credentials of user "${user.name}" could not be loaded: ${why || 'failed'}`,
          userSecrets(user),
        ),
      );
    }
    if (shared) this.share(request);
    return request;
  }

  /**
   * Sends a request over the connections earlier calls opened with the same client certificate
   * (a credential plugin may renew it); else its connections become the shared ones.
   */
  private share(request: RequestContext): void {
    const own = request.getDispatcher();
    // Without TLS material or proxy of its own, a request already goes through fetch's pool.
    if (!own) return;
    const identity = this.kubeconfig.credentialPlugin?.clientIdentity() ?? '';
    if (this.shared?.identity === identity) {
      request.setDispatcher(this.shared.dispatcher);
      return;
    }
    this.closeConnections();
    this.shared = { identity, dispatcher: own };
  }

  /**
   * Closes the connections calls share, each as soon as its answer is in (a later call opens
   * new ones): kept open, idle connections would outlive the read that needed them.
   */
  closeConnections(): void {
    const dispatcher = this.shared?.dispatcher;
    this.shared = undefined;
    dispatcher?.close().catch(() => {});
  }

  /**
   * Sends a request as client-node prepared it (URL, method, headers, body, the dispatcher that
   * carries its TLS material and proxy) with undici's request API, not client-node's fetch:
   * fetch's WHATWG layer (Headers, Request, Response, web streams) is most of the code a live
   * read would otherwise evaluate, and the body is a Node stream here. A redirect is followed as
   * RedirectChain says, over the same dispatcher, so a hop to another host verifies its server
   * and presents the client certificate as Go's transport would (k8s.io/client-go@v0.34.0
   * transport/transport.go: one tls.Config whose GetClientCertificate answers any server that
   * asks). Resolves once the final answer's headers are in.
   */
  private async open(request: RequestContext, signal: AbortSignal): Promise<Answer> {
    const headers = { ...request.getHeaders(), 'Accept-Encoding': ACCEPT_ENCODING };
    const method = request.getHttpMethod();
    const chain = new RedirectChain(new URL(request.getUrl()), method, headers, this.server);
    for (;;) {
      const hop = chain.current;
      const answer = await this.exchange(request, hop, chain.hopHeaders(), signal);
      const location = answer.headers.location;
      if (!chain.follow(answer.statusCode, typeof location === 'string' ? location : undefined)) {
        const withheld = chain.withheldFrom(answer.statusCode);
        if (withheld) {
          await discard(answer.body, signal);
          throw withheld;
        }
        // An error of either stream ends the other and reaches the reader of the result.
        const gzipped = answer.headers['content-encoding'] === ACCEPT_ENCODING;
        const { body } = answer;
        return {
          status: answer.statusCode,
          // The bundle loads zlib at this first call (scripts/release/bundle.ts, CALLED_BUILTINS):
          // a gzipped answer is over 128 KiB, and a Tab's answers are small.
          body: gzipped ? pipeline(body, createGunzip(), () => {}) : body,
        };
      }
      await discard(answer.body, signal);
    }
  }

  /** One HTTP exchange of a request: to `url`, with `headers`; resolves at its answer's headers. */
  private async exchange(
    request: RequestContext,
    url: URL,
    headers: Record<string, string>,
    signal: AbortSignal,
  ): Promise<UndiciDispatcher.ResponseData> {
    const started = performance.now();
    const logged = (status: number) =>
      this.log?.({
        method: request.getHttpMethod(),
        url: printableServer(url.href),
        status,
        milliseconds: Math.round(performance.now() - started),
      });
    try {
      const answer = await dispatcherOf(request).request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: request.getHttpMethod(),
        headers,
        body: request.getBody() as string | undefined,
        signal,
      });
      logged(answer.statusCode);
      return answer;
    } catch (error) {
      logged(0);
      if (signal.aborted) throw signal.reason;
      const reason = unreachableReason(error);
      const failure = reason.includes('GOAWAY') ? ConnectionClosedError : UnreachableError;
      const first = new URL(request.getUrl()).origin === url.origin;
      const where = first ? this.server : `${url.origin} (redirected from ${this.server})`;
      throw new failure(`cannot reach ${where}: ${reason}`);
    }
  }

  /**
   * Closes the connections of a finished watch. client-node makes a dispatcher (an undici
   * connection pool) for each request; left open, its idle keep-alive connections outlive
   * the watch and hold up an API server's graceful shutdown.
   */
  private release(request: RequestContext): void {
    request
      .getDispatcher()
      ?.destroy()
      .catch(() => {});
  }

  private timeoutError(path: string, deadline: Deadline): RequestTimeoutError {
    return new RequestTimeoutError(
      `no complete answer from ${this.server} for ${resourceOf(path)} within ${deadline.budgetText} (--request-timeout)`,
      deadline.budgetText,
    );
  }

  /** A byte budget for one read, to share between the lists it is made of (a snapshot). */
  readBudget(): ByteBudget {
    return new ByteBudget(this.limits.maxBytes);
  }

  /** One whole request within one deadline, its body read within a byte budget. */
  private async send<T>(
    method: 'GET' | 'PATCH',
    path: string,
    options: { body?: string; bytes?: ByteBudget; tooLarge?: () => Error; accept?: string } = {},
  ): Promise<T> {
    const deadline = new Deadline(this.timeoutMs);
    const { body, accept } = options;
    const request = async (shared: boolean) => {
      const prepared = await this.prepare(HttpMethod[method], path, deadline, shared, accept);
      if (body) {
        prepared.setHeaderParam('Content-Type', 'application/apply-patch+yaml');
        prepared.setBody(body);
      }
      return prepared;
    };
    const bytes = options.bytes ?? this.readBudget();
    const tooLarge =
      options.tooLarge ??
      (() =>
        new ResponseLimitError(
          `response from ${this.server} for ${resourceOf(path)} exceeded ${formatBytes(bytes.maxBytes)}`,
        ));
    // A retry over connections of its own, released once its answer is read.
    let own: RequestContext | undefined;
    // Prepared before the deadline runs, so that a credential plugin's own timeout is reported.
    const first = await request(true);
    const openAnswer = async (signal: AbortSignal) => {
      try {
        return await this.open(first, signal);
      } catch (error) {
        // The server closed the shared connections before answering: the request was not
        // processed, and other requests may be closing the next shared ones too.
        if (!(error instanceof ConnectionClosedError)) throw error;
        own = await request(false);
        return this.open(own, signal);
      }
    };
    try {
      return await deadline.run(
        async (signal) => {
          const { status, body: answer } = await openAnswer(signal);
          const text = (await readBody(answer, bytes, tooLarge)).toString('utf8');
          if (status < 200 || status >= 300) {
            const { reason, message, causes } = statusMessage(status, text);
            throw new ApiError(status, reason, message, causes);
          }
          try {
            return JSON.parse(text) as T;
          } catch {
            throw new ApiError(status, 'BadResponse', `invalid JSON from ${path.split('?')[0]}`);
          }
        },
        () => this.timeoutError(path, deadline),
      );
    } finally {
      if (own) this.release(own);
    }
  }

  /** GETs one answer (such as API discovery) within the call's deadline and its own byte budget. */
  async get<T>(path: string): Promise<T> {
    return this.send<T>('GET', path);
  }

  /**
   * Server-side applies an object at its path (creates or updates it) as the field manager
   * kubectl-netpol. With dryRun the server validates and admits it without storing it; force
   * takes over fields another manager owns. A conflict or rejection comes back as ApiError.
   */
  async apply<T>(
    path: string,
    body: unknown,
    options: { readonly dryRun: boolean; readonly force: boolean },
  ): Promise<T> {
    const query = new URLSearchParams({ fieldManager: APPLY_FIELD_MANAGER });
    if (options.dryRun) query.set('dryRun', 'All');
    if (options.force) query.set('force', 'true');
    // JSON is YAML: the apply patch is the object itself.
    return this.send<T>('PATCH', `${path}?${query}`, { body: JSON.stringify(body) });
  }

  /**
   * Streams a watch: calls onEvent for each event until the server ends the stream (resolve)
   * or it fails (reject). `signal` aborts it. Only connecting (up to the response headers) is
   * bounded by the deadline: a watch is meant to stay open.
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
    const deadline = new Deadline(this.timeoutMs);
    // A watch has connections of its own, closed as it stops.
    const request = await this.prepare(HttpMethod.GET, withQuery(path, query), deadline, false);
    // fetch closes an aborted stream's connection only some ticks later; closing it here, as
    // the watch is stopped, lets a process that exits or blocks right after leave no open watch.
    const release = () => this.release(request);
    signal.addEventListener('abort', release, { once: true });
    try {
      return await this.follow(request, path, deadline, onEvent, signal);
    } finally {
      signal.removeEventListener('abort', release);
      release();
    }
  }

  /** Opens a prepared watch and reads its events until it ends. */
  private async follow(
    request: RequestContext,
    path: string,
    deadline: Deadline,
    onEvent: (event: WatchEvent) => void,
    signal: AbortSignal,
  ): Promise<void> {
    let res: Answer;
    try {
      res = await deadline.run(
        (connecting) => this.open(request, AbortSignal.any([signal, connecting])),
        () => this.timeoutError(path, deadline),
      );
    } catch (error) {
      if (signal.aborted) return;
      throw error;
    }
    const { status, body } = res;
    if (status < 200 || status >= 300) {
      const text = (await readBody(body, this.readBudget(), () => this.lineTooLong(path))).toString(
        'utf8',
      );
      const { reason, message } = statusMessage(status, text);
      throw new ApiError(status, reason, message);
    }
    return this.readEvents(body, path, onEvent, signal);
  }

  private lineTooLong(path: string): ResponseLimitError {
    return new ResponseLimitError(
      `watch of ${path} on ${this.server}: an event exceeded ${formatBytes(this.limits.maxBytes)}`,
    );
  }

  /**
   * Parses a watch stream, one JSON event per line, until it ends. Not client-node's Watch:
   * it cannot bound an event's size (it reads lines with readline), drops lines that do not
   * parse, reports a refused watch without the server's Status message, and ends a watch
   * after 30 s without an event.
   */
  private readEvents(
    res: Readable,
    path: string,
    onEvent: (event: WatchEvent) => void,
    signal: AbortSignal,
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
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
          if (buffered.length > this.limits.maxBytes) throw this.lineTooLong(path);
        } catch (error) {
          // An ERROR event (such as 410 Gone), a broken or endless line ends this watch.
          res.destroy();
          reject(error);
        }
      });
      res.on('error', (error) => {
        if (signal.aborted) return resolve();
        reject(new UnreachableError(`watch of ${path} on ${this.server} failed: ${error.message}`));
      });
      // The server ending the stream (or its timeoutSeconds) is normal: the caller watches again.
      res.on('close', () => resolve());
    });
  }

  /**
   * Lists a collection page by page (limit + continue, `pageSize` objects a page), returning
   * every item. Each page has its own deadline; the pages draw on `bytes`, the read's budget
   * (this list's alone unless given), and stop at the page limit (scaled so that smaller pages
   * allow as many objects) or a repeated continue token.
   */
  async list(
    path: string,
    bytes: ByteBudget = this.readBudget(),
    /** Selectors the server filters by: `labelSelector`, `fieldSelector`. */
    selectors: Readonly<Record<string, string>> = {},
    /** The media types asked for (Accept), in the server's content negotiation. */
    accept = JSON_MEDIA,
  ): Promise<ListResult> {
    const budget = new ListBudget(
      Math.ceil((this.limits.maxPages * PAGE_SIZE) / this.pageSize),
      bytes,
      `list of ${resourceOf(path)} from ${this.server}`,
    );
    const items: Record<string, unknown>[] = [];
    let token: string | undefined;
    let resourceVersion = '';
    do {
      const query = new URLSearchParams({ ...selectors, limit: String(this.pageSize) });
      if (token) query.set('continue', token);
      const page = await this.send<ListPage>('GET', withQuery(path, query), {
        bytes,
        tooLarge: () => budget.tooLarge(),
        accept,
      });
      items.push(...((page.items ?? []) as Record<string, unknown>[]));
      token = page.metadata?.continue || undefined;
      budget.add(token);
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
    } while (token);
    return { items, resourceVersion };
  }
}
