/**
 * The end of the time a call may take (`--request-timeout`). One deadline covers every phase of
 * a call (credential plugin, connection, headers, body), so a phase that starts late gets only
 * what is left. A budget of 0 means no deadline, as in kubectl.
 */
export class Deadline {
  private readonly endsAt: number;

  constructor(
    /** The whole budget in milliseconds; 0 means none. */
    readonly budgetMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.endsAt = budgetMs > 0 ? now() + budgetMs : Number.POSITIVE_INFINITY;
  }

  /** The budget as a user typed it, for messages: "3s", "1.5s". */
  get budgetText(): string {
    return `${this.budgetMs / 1000}s`;
  }

  /**
   * Runs one phase of the call. At the deadline the phase's signal aborts (so it can stop its
   * socket or child process) and the returned promise rejects at once with onTimeout's error,
   * whatever the phase does with the signal.
   */
  run<T>(phase: (signal: AbortSignal) => Promise<T>, onTimeout: () => Error): Promise<T> {
    const controller = new AbortController();
    if (this.endsAt === Number.POSITIVE_INFINITY) return phase(controller.signal);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => {
          const error = onTimeout();
          reject(error);
          controller.abort(error);
        },
        Math.max(0, this.endsAt - this.now()),
      );
      phase(controller.signal)
        .then(resolve, reject)
        .finally(() => clearTimeout(timer));
    });
  }
}
