import { admittedIntervals, type CompiledIpBlock, type IpAddress } from './ip-block.js';

/**
 * The addresses of numbered items (pods, Services) sorted by value, so that an ipBlock finds its
 * items by binary search.
 */
export class AddressIndex {
  private readonly entries: { family: 4 | 6; value: bigint; item: number }[];
  private readonly itemCount: number;
  /** The item of each entry, by entry position. */
  private readonly itemOf: Int32Array;

  /** Indexes each item's addresses (`addresses[item]`, as Analysis.podAddresses holds pods'). */
  constructor(addresses: readonly (readonly IpAddress[])[]) {
    this.itemCount = addresses.length;
    this.entries = addresses
      .flatMap((ofItem, item) => ofItem.map((a) => ({ ...a, item })))
      .sort((a, b) => a.family - b.family || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
    this.itemOf = Int32Array.from(this.entries, (entry) => entry.item);
  }

  private lowerBound(family: 4 | 6, value: bigint): number {
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const entry = this.entries[mid] as (typeof this.entries)[number];
      if (entry.family < family || (entry.family === family && entry.value < value)) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private readonly insideByBlock = new Map<string, number[]>();

  /** The items with an address inside the block (and outside its excepts), ascending. */
  inside(block: CompiledIpBlock): number[] {
    const key = `${block.block.cidr} ${block.block.except.join(' ')}`;
    let items = this.insideByBlock.get(key);
    if (!items) {
      items = this.scan(block);
      this.insideByBlock.set(key, items);
    }
    return items;
  }

  /** The items with an address in one of the intervals the block admits, found by binary search. */
  private scan(block: CompiledIpBlock): number[] {
    const { family } = block.range;
    // Marked by item rather than listed, as a block may hold every item, some by several addresses.
    const inside = new Uint8Array(this.itemCount);
    for (const { first, last } of admittedIntervals(block)) {
      const end = this.lowerBound(family, last + 1n);
      for (let i = this.lowerBound(family, first); i < end; i++)
        inside[this.itemOf[i] as number] = 1;
    }
    const found: number[] = [];
    for (let item = 0; item < inside.length; item++) if (inside[item]) found.push(item);
    return found;
  }
}
