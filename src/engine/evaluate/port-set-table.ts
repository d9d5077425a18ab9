import {
  EMPTY_PORT_SET,
  FULL_PORT_SET,
  intersectPortSets,
  type PortSet,
  portSetKey,
  subtractPortSets,
  unionPortSets,
} from '../primitives/port-set.js';

const DENSE = 256;

/** Interns port sets as small integers so that equal sets share an id and intersections are memoised. */
export class PortSetTable {
  /** The id of the empty set. */
  static readonly EMPTY = 0;
  /** The id of the full set. */
  static readonly FULL = 1;

  private readonly sets: PortSet[] = [EMPTY_PORT_SET, FULL_PORT_SET];
  private readonly ids = new Map<string, number>([
    [portSetKey(EMPTY_PORT_SET), PortSetTable.EMPTY],
    [portSetKey(FULL_PORT_SET), PortSetTable.FULL],
  ]);
  private readonly intersections = new Map<number, number>();
  /** Intersections of the first DENSE ids, in a flat array: the matrix's hot path. */
  private readonly denseIntersections = new Int32Array(DENSE * DENSE).fill(-1);

  /** The id of a set, adding it when new. */
  intern(set: PortSet): number {
    const key = portSetKey(set);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.sets.length;
      this.sets.push(set);
      this.ids.set(key, id);
    }
    return id;
  }

  /** The set behind an id. */
  get(id: number): PortSet {
    const set = this.sets[id];
    if (!set) throw new Error(`internal: unknown port set id ${id}`);
    return set;
  }

  /** The id of the intersection of two interned sets. */
  intersect(a: number, b: number): number {
    if (a === PortSetTable.EMPTY || b === PortSetTable.EMPTY) return PortSetTable.EMPTY;
    if (a === PortSetTable.FULL || a === b) return b;
    if (b === PortSetTable.FULL) return a;
    const slot = a < DENSE && b < DENSE ? a * DENSE + b : -1;
    if (slot >= 0 && (this.denseIntersections[slot] as number) >= 0) {
      return this.denseIntersections[slot] as number;
    }
    const key = a < b ? a * 0x200000 + b : b * 0x200000 + a;
    let id = this.intersections.get(key);
    if (id === undefined) {
      id = this.intern(intersectPortSets(this.get(a), this.get(b)));
      this.intersections.set(key, id);
    }
    if (slot >= 0) this.denseIntersections[slot] = id;
    return id;
  }

  /** The id of the ports of `a` not in `b` (rare: only answers that may differ need it). */
  subtract(a: number, b: number): number {
    if (a === b || a === PortSetTable.EMPTY || b === PortSetTable.FULL) return PortSetTable.EMPTY;
    if (b === PortSetTable.EMPTY) return a;
    return this.intern(subtractPortSets(this.get(a), this.get(b)));
  }

  /** The id of the union of two interned sets (rare: only readings that disagree need it). */
  union(a: number, b: number): number {
    return this.intern(unionPortSets([this.get(a), this.get(b)]));
  }
}
