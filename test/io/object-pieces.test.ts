import { describe, expect, it } from 'vitest';
import {
  addEntries,
  type ObjectPiece,
  objectPieces,
  weighsAtMost,
} from '../../src/io/files/object-pieces.js';

/** Pieces as the UI's thread receives them: each a copy, made as it is posted. */
const posted = (value: unknown, budget: number) =>
  [...objectPieces(value, budget)].map((piece) => structuredClone(piece));

/** Puts pieces together as the UI's thread does: the root, then each run of entries. */
function rebuilt(pieces: readonly ObjectPiece[]): unknown {
  const [first, ...rest] = pieces;
  const root = first && 'root' in first ? first.root : undefined;
  for (const piece of rest) if ('path' in piece) addEntries(root, piece);
  return root;
}

/** How many nodes a value has (its strings short): what a piece may hold at most. */
function nodes(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 1;
  return 1 + Object.values(value).reduce((sum: number, child) => sum + nodes(child), 0);
}

const schema = (depth: number): Record<string, unknown> =>
  depth === 0
    ? { type: 'string' }
    : { type: 'object', properties: { b: schema(depth - 1), a: schema(depth - 1), 2: 'two' } };

describe('an object cut into pieces', () => {
  it('is posted whole when it is light', () => {
    const pod = { kind: 'Pod', metadata: { name: 'web' } };
    expect([...objectPieces(pod, 100)]).toEqual([{ root: pod }]);
  });

  it('comes back the same, keys in their order, from pieces no heavier than the budget', () => {
    const value = {
      kind: 'CustomResourceDefinition',
      schema: schema(8),
      list: Array.from({ length: 300 }, (_, i) => ({ i, tags: [`t${i}`] })),
      ['__proto__']: { polluted: true },
      last: 'end',
    };
    const pieces = posted(value, 50);
    for (const piece of pieces) {
      const entries = 'root' in piece ? [piece.root] : piece.entries.map(([, child]) => child);
      expect(entries.reduce((sum: number, child) => sum + nodes(child), 0)).toBeLessThanOrEqual(50);
    }
    const back = rebuilt(pieces);
    expect(back).toEqual(value);
    expect(JSON.stringify(back)).toBe(JSON.stringify(value));
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(pieces.length).toBeGreaterThan(nodes(value) / 50);
  });

  it('is weighed as its pieces are made: the first comes having read about a budget of it', () => {
    // A Pod's 50,000 annotations, sent from the UI's thread: weighing them all before the
    // first piece held that thread 80 ms in one turn.
    let reads = 0;
    const annotations = Object.fromEntries(
      Array.from({ length: 50_000 }, (_, i) => [`note-${i}`, 'text']),
    );
    const counted = new Proxy(annotations, {
      get(target, key, receiver) {
        reads++;
        return Reflect.get(target, key, receiver);
      },
    });
    const pieces = objectPieces({ kind: 'Pod', metadata: { annotations: counted } }, 100);
    expect(pieces.next().value).toEqual({ root: {} });
    expect(reads).toBeLessThanOrEqual(100);
  });

  it('tells whether a value comes whole: it weighs the budget or less', () => {
    const value = { kind: 'Pod', metadata: { name: 'web', labels: { app: 'web' } } };
    // The Pod, kind, metadata, name, labels, app: six nodes.
    expect(weighsAtMost(value, 6)).toBe(true);
    expect(weighsAtMost(value, 5)).toBe(false);
    expect([...objectPieces(value, 5)]).toHaveLength(2);
    // A string weighs a node more per KiB.
    expect(weighsAtMost('x'.repeat(2048), 3)).toBe(true);
    expect(weighsAtMost('x'.repeat(2048), 2)).toBe(false);
  });

  it('gives a string too long for a piece a piece of its own', () => {
    const long = 'x'.repeat(100 * 1024);
    const pieces = posted({ a: 1, data: long, b: 2 }, 50);
    expect(pieces).toEqual([
      { root: {} },
      { path: [], entries: [['a', 1]] },
      { path: [], entries: [['data', long]] },
      { path: [], entries: [['b', 2]] },
    ]);
  });
});
