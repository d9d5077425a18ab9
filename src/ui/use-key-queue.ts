import { useInput, usePaste } from 'ink';
import { useEffect, useRef, useState } from 'react';
import { type KeyPress, keyPresses } from './key-presses.js';

/** Ctrl-C, which is never held: it quits whatever is awaited. */
function isInterrupt(press: KeyPress): boolean {
  return press.kind === 'key' && press.name === 'ctrl+c';
}

/**
 * Feeds every key press and paste to `handle`, in order, which returns what is left of a press
 * (the rest of a run of text taken as keys). The first press of a read is handled at once; each
 * later one waits for the render its predecessor caused, so that it sees the screen, focus and
 * rows that press left ("/web" filters; "jj" then enter opens the third row). While `holding`
 * (the screen awaits what its keys act on: the rows of a list, a check's verdict), presses wait
 * in order, ctrl-c excepted, and are handled once it comes.
 */
export function useKeyQueue(
  handle: (press: KeyPress) => readonly KeyPress[],
  holding = false,
): void {
  const [queued, setQueued] = useState<readonly KeyPress[]>([]);
  // ink calls its input handler once per key of a read ("\e[B\e[B\r": down, down, enter), all
  // before React renders again, so every call but the first sees this render's state: a press
  // handled since the last render makes the presses after it wait in the queue.
  const handledSinceRender = useRef(false);
  useEffect(() => {
    handledSinceRender.current = false;
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once per render of a new queue or hold, with that render's state
  useEffect(() => {
    const [next] = queued;
    if (!next || holding) return;
    const leftover = handle(next);
    setQueued((queue) => [...leftover, ...queue.slice(1)]);
  }, [queued, holding]);
  const receive = (presses: readonly KeyPress[]) => {
    const interrupt = presses.find(isInterrupt);
    if (interrupt) return void handle(interrupt);
    if (queued.length > 0 || holding || handledSinceRender.current) {
      return setQueued((queue) => [...queue, ...presses]);
    }
    const [next, ...later] = presses;
    if (!next) return;
    handledSinceRender.current = true;
    const rest = [...handle(next), ...later];
    if (rest.length > 0) setQueued(rest);
  };
  useInput((input, key) => receive(keyPresses(input, key)));
  usePaste((text) => receive([{ kind: 'paste', text }]));
}
