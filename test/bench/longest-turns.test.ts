import { describe, expect, it } from 'vitest';
import { LongestTurns } from '../../bench/longest-turns.js';

const at = (wall: number, cpu = wall) => ({ wall, cpu });

describe("the TUI bench's longest turns, before and after the terminal goes raw", () => {
  it('counts a start-up turn before the mark only, and the turn the mark is read in from it on', () => {
    // A 1 ms timer: a 150 ms start-up turn in which the terminal goes raw 140 ms in, then
    // turns of 5 and 20 ms.
    const turns = new LongestTurns(at(0), 1);
    turns.turnEnded(at(2));
    turns.mark(at(142));
    turns.turnEnded(at(152));
    turns.turnEnded(at(158));
    turns.turnEnded(at(179, 175));
    expect(turns.before).toEqual({ wall: 139, cpu: 140 });
    expect(turns.after).toEqual({ wall: 20, cpu: 17 });
  });

  it('counts every turn before the mark when the terminal never goes raw', () => {
    const turns = new LongestTurns(at(0), 1);
    turns.turnEnded(at(31));
    turns.turnEnded(at(42));
    expect(turns.before).toEqual({ wall: 30, cpu: 31 });
    expect(turns.after).toEqual({ wall: 0, cpu: 0 });
  });

  it('splits at the first mark: setting raw mode again later is no new mark', () => {
    const turns = new LongestTurns(at(0), 1);
    turns.mark(at(10));
    turns.turnEnded(at(100));
    turns.mark(at(150));
    turns.turnEnded(at(160));
    expect(turns.before).toEqual({ wall: 9, cpu: 10 });
    expect(turns.after).toEqual({ wall: 90, cpu: 90 });
  });
});
