import { printableServer, redact } from './redact.js';

/**
 * HTTP redirects of an API server (or of an authenticating proxy or aggregated API in front of
 * it), followed for reads as kubectl's client-go follows them: it sends every request through a
 * Go net/http Client without a CheckRedirect of its own (k8s.io/client-go@v0.34.0
 * rest/transport.go HTTPClientFor). Two refusals go further than kubectl, whose credential
 * round trippers (transport/round_trippers.go bearerAuthRoundTripper and basicAuthRoundTripper,
 * plugin/pkg/client/auth/exec/exec.go roundTripper) put the token back on every hop, whatever
 * its host or scheme: credentials never go to another host, and https never turns into http.
 */

/**
 * The statuses whose Location is followed; any other answer, a 3xx without a Location among
 * them, is the final one (go1.26.8 src/net/http/client.go, redirectBehavior and Client.do).
 */
const FOLLOWED_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** Redirects followed at most (go1.26.8 src/net/http/client.go defaultCheckRedirect). */
export const MAX_REDIRECTS = 10;

/**
 * The request headers Go's Client drops on a redirect to another host (go1.26.8
 * src/net/http/client.go makeHeadersCopier), lower-cased: where a credential travels.
 */
const CREDENTIAL_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'www-authenticate',
  'cookie',
  'cookie2',
  'proxy-authorization',
  'proxy-authenticate',
]);

/** The longest location shown in a message, in characters. */
const SHOWN_LOCATION_LIMIT = 200;

/** A redirect that is not followed: to a lesser scheme, in a loop, one too many, or unreadable. */
export class RedirectError extends Error {
  override readonly name = 'RedirectError';
}

/** Each character outside printable ASCII as its UTF-8 bytes, %XX: how a URL writes it. */
function percentEncoded(text: string): string {
  const encoder = new TextEncoder();
  return text.replace(/[^\x21-\x7e]/gu, (char) =>
    Array.from(encoder.encode(char), (byte) => `%${byte.toString(16).toUpperCase()}`).join(''),
  );
}

/** The values of credential headers, and the secrets after their scheme word ("Bearer x"). */
function credentialValues(headers: Readonly<Record<string, string>>): string[] {
  return Object.entries(headers)
    .filter(([name]) => CREDENTIAL_HEADERS.has(name.toLowerCase()))
    .flatMap(([, value]) => [value, value.replace(/^\S+\s+/, '')]);
}

/**
 * The hops of one request: each answer tells whether it is final or where to ask next, and
 * which headers that hop may carry. Hosts are compared as Go's shouldCopyHeaderOnRedirect does
 * (host names, the port aside), without its allowance for subdomains.
 */
export class RedirectChain {
  /** The URLs asked so far, the first request's first. */
  private readonly asked: URL[];
  /** Whether the hops still carry credentials: once one leaves the host, none does again, as in Go. */
  private trusted = true;

  constructor(
    first: URL,
    private readonly method: string,
    /** The first request's headers, credentials included. */
    private readonly headers: Readonly<Record<string, string>>,
    /** The server asked first, fit to print. */
    private readonly server: string,
  ) {
    this.asked = [first];
  }

  /** The URL of the hop to send now. */
  get current(): URL {
    return this.asked.at(-1) as URL;
  }

  /** The headers of the hop to send now: the first request's, less credentials off its host. */
  hopHeaders(): Record<string, string> {
    if (this.trusted) return { ...this.headers };
    return Object.fromEntries(
      Object.entries(this.headers).filter(([name]) => !CREDENTIAL_HEADERS.has(name.toLowerCase())),
    );
  }

  /**
   * Takes an answer's status and Location: false when it is the final answer, true when it
   * redirects and `current` is now the next hop. Throws RedirectError for one not followed.
   */
  follow(status: number, location: string | undefined): boolean {
    if (!FOLLOWED_STATUSES.has(status) || location === undefined) return false;
    const from = this.current;
    let target: URL;
    try {
      target = new URL(location, from);
    } catch {
      throw this.refused(`to ${this.shown(location)}, which is not a URL`);
    }
    target.hash = '';
    const shown = this.shown(target.href);
    // Go turns a redirected PATCH into a GET (301-303) or sends its body again (307, 308):
    // an apply is only ever sent where the user asked.
    if (this.method !== 'GET') throw this.refused(`to ${shown}: only reads follow a redirect`);
    if (from.protocol === 'https:' && target.protocol !== 'https:')
      throw this.refused(`to ${shown}, which is not https`);
    if (target.protocol !== 'https:' && target.protocol !== 'http:')
      throw this.refused(`to ${shown}, which is neither http nor https`);
    if (this.asked.some((url) => url.href === target.href))
      throw this.refused(`in a loop, back to ${shown}`);
    if (this.asked.length > MAX_REDIRECTS)
      throw this.refused(`more than ${MAX_REDIRECTS} times, the last time to ${shown}`);
    if (target.hostname !== (this.asked[0] as URL).hostname) this.trusted = false;
    this.asked.push(target);
    return true;
  }

  /**
   * For a final answer of 401 Unauthorized from a hop the credentials were kept from, an error
   * that says so: the server did not reject them, it never saw them.
   */
  withheldFrom(status: number): RedirectError | undefined {
    if (status !== 401 || this.trusted || credentialValues(this.headers).length === 0) return;
    const host = this.shown(this.current.host);
    return this.error(
      `to ${host}, which answered 401 Unauthorized: credentials go to no other host than the server's, so none were sent there`,
    );
  }

  private refused(how: string): RedirectError {
    return this.error(`${how}: not followed`);
  }

  private error(what: string): RedirectError {
    const path = (this.asked[0] as URL).pathname;
    return new RedirectError(`${this.server} redirected the request for ${path} ${what}`);
  }

  /**
   * A location as a message may show it: in printable ASCII, without user:password@ or the
   * request's credentials, and cut after SHOWN_LOCATION_LIMIT characters.
   */
  private shown(location: string): string {
    const text = redact(printableServer(percentEncoded(location)), credentialValues(this.headers));
    return text.length > SHOWN_LOCATION_LIMIT
      ? `${text.slice(0, SHOWN_LOCATION_LIMIT)}…(+${text.length - SHOWN_LOCATION_LIMIT} chars)`
      : text;
  }
}
