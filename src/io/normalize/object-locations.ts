import type { SourceLocation } from '../../engine/index.js';

/**
 * Where each kept object came from, by "Kind key" (key as its kind's table names it): one table
 * per kind, so that keeping an object's location builds no string (10,000 pods, 10,000 keys).
 */
export class ObjectLocations implements ReadonlyMap<string, SourceLocation> {
  private readonly byKind = new Map<string, Map<string, SourceLocation>>();

  /** Keeps where an object of `kind` came from; the last one kept under a key wins. */
  keep(kind: string, key: string, location: SourceLocation): void {
    const table = this.byKind.get(kind);
    if (table) table.set(key, location);
    else this.byKind.set(kind, new Map([[key, location]]));
  }

  /** The location of the object named "Kind key". */
  get(id: string): SourceLocation | undefined {
    const space = id.indexOf(' ');
    return space < 0 ? undefined : this.byKind.get(id.slice(0, space))?.get(id.slice(space + 1));
  }

  /** Whether the object named "Kind key" was kept. */
  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  /** How many objects were kept. */
  get size(): number {
    let count = 0;
    for (const table of this.byKind.values()) count += table.size;
    return count;
  }

  /** Each object's "Kind key" and location, kind by kind. */
  *entries(): MapIterator<[string, SourceLocation]> {
    for (const [kind, table] of this.byKind) {
      for (const [key, location] of table) yield [`${kind} ${key}`, location];
    }
  }

  /** Each kept object's "Kind key". */
  *keys(): MapIterator<string> {
    for (const [id] of this.entries()) yield id;
  }

  /** Each kept object's location. */
  *values(): MapIterator<SourceLocation> {
    for (const table of this.byKind.values()) yield* table.values();
  }

  /** Calls `each` with every location and "Kind key". */
  forEach(
    each: (location: SourceLocation, id: string, map: ReadonlyMap<string, SourceLocation>) => void,
  ): void {
    for (const [id, location] of this.entries()) each(location, id, this);
  }

  /** The same as entries(). */
  [Symbol.iterator](): MapIterator<[string, SourceLocation]> {
    return this.entries();
  }
}
