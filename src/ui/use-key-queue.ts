import { useInput, usePaste } from 'ink';
import { useEffect, useState } from 'react';
import { type KeyPress, keyPresses } from './key-presses.js';

/**
 * Feeds every key press and paste to `handle`, in order, which returns what is left of a press
 * (the rest of a run of text taken as keys). The first press of a read is handled at once; each
 * later one waits for the render its predecessor caused, so that it sees the screen, focus and
 * rows that press left ("/web" filters; "jj" then enter opens the third row).
 */
export function useKeyQueue(handle: (press: KeyPress) => readonly KeyPress[]): void {
  const [queued, setQueued] = useState<readonly KeyPress[]>([]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once per render of a new queue, with that render's state
  useEffect(() => {
    const [next] = queued;
    if (!next) return;
    const leftover = handle(next);
    setQueued((queue) => [...leftover, ...queue.slice(1)]);
  }, [queued]);
  const receive = (presses: readonly KeyPress[]) => {
    if (queued.length > 0) return setQueued((queue) => [...queue, ...presses]);
    const [next, ...later] = presses;
    if (!next) return;
    const rest = [...handle(next), ...later];
    if (rest.length > 0) setQueued(rest);
  };
  useInput((input, key) => receive(keyPresses(input, key)));
  usePaste((text) => receive([{ kind: 'paste', text }]));
}
