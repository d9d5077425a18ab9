import type { Parsed } from '../../src/engine/index.js';

/** A reader of user input that throws its failure's message instead of returning it, for terse tests. */
export function throwing<T>(read: (text: string) => Parsed<T>): (text: string) => T {
  return (text) => {
    const parsed = read(text);
    if (parsed.ok) return parsed.value;
    throw new Error(parsed.error);
  };
}
