/** A moment as a sampler reads it between or in turns: a monotonic clock and the thread's CPU time (ms). */
export interface Reading {
  readonly wall: number;
  readonly cpu: number;
}

/** The longest turn seen: its wall time and, apart, the most CPU time of one turn (ms). */
export interface TurnLength {
  wall: number;
  cpu: number;
}

/**
 * The longest turns of an event loop before a mark and after it, from readings a timer takes
 * between turns (each gap between two readings is a turn, less the timer's own interval). The
 * mark is read in the middle of a turn and splits it: its part before the mark counts before,
 * the rest after (a key typed once the terminal went raw waits only for that rest).
 */
export class LongestTurns {
  readonly before: TurnLength = { wall: 0, cpu: 0 };
  readonly after: TurnLength = { wall: 0, cpu: 0 };
  private marked = false;
  /** The timer's wait at the start of the turn under way, not yet taken off (ms). */
  private idleMs: number;

  constructor(
    private last: Reading,
    private readonly intervalMs: number,
  ) {
    this.idleMs = intervalMs;
  }

  /** A reading between two turns: the one since the last reading ended. */
  turnEnded(now: Reading): void {
    this.count(now);
    this.idleMs = this.intervalMs;
  }

  /** The mark, read in the turn under way; a second mark changes nothing. */
  mark(now: Reading): void {
    if (this.marked) return;
    this.count(now);
    this.marked = true;
  }

  private count(now: Reading): void {
    const longest = this.marked ? this.after : this.before;
    longest.wall = Math.max(longest.wall, now.wall - this.last.wall - this.idleMs);
    longest.cpu = Math.max(longest.cpu, now.cpu - this.last.cpu);
    this.last = now;
    this.idleMs = 0;
  }
}
