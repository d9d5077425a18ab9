import type { ApiClient, ListResult } from './api-client.js';
import type { ByteBudget } from './limits.js';

/**
 * The lists and probes of one cluster, each requested once however often it is asked for: a
 * read that reaches further than the one before it (check's peers after its targets) sends only
 * the requests it adds. Their answers share one byte budget, as one snapshot's lists do.
 */
export class ListCache {
  private readonly answers = new Map<string, Promise<unknown>>();
  private readonly bytes: ByteBudget;

  constructor(private readonly client: ApiClient) {
    this.bytes = client.readBudget();
  }

  /** Every item of a collection (ApiClient.list), filtered by the server's `selectors`. */
  list(path: string, selectors: Readonly<Record<string, string>> = {}): Promise<ListResult> {
    const query = new URLSearchParams(selectors).toString();
    return this.once(`list ${path}?${query}`, () => this.client.list(path, this.bytes, selectors));
  }

  /** One answer (ApiClient.get). */
  get<T>(path: string): Promise<T> {
    return this.once(`get ${path}`, () => this.client.get<T>(path));
  }

  private once<T>(key: string, call: () => Promise<T>): Promise<T> {
    const known = this.answers.get(key) as Promise<T> | undefined;
    if (known) return known;
    const answer = call();
    this.answers.set(key, answer);
    return answer;
  }
}
