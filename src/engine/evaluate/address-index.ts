import { admittedIntervals, type CompiledIpBlock, type IpAddress } from '../primitives/ip-block.js';

/** Pod addresses sorted by value, so that an ipBlock finds its pods by binary search. */
export class AddressIndex {
  private readonly entries: { family: 4 | 6; value: bigint; podIdx: number }[];
  private readonly podCount: number;
  /** The pod of each entry, by entry position. */
  private readonly podOf: Int32Array;

  /** Indexes each pod's addresses (`podAddresses[podIdx]`, as Analysis.podAddresses holds them). */
  constructor(podAddresses: readonly (readonly IpAddress[])[]) {
    this.podCount = podAddresses.length;
    this.entries = podAddresses
      .flatMap((addresses, podIdx) => addresses.map((a) => ({ ...a, podIdx })))
      .sort((a, b) => a.family - b.family || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
    this.podOf = Int32Array.from(this.entries, (entry) => entry.podIdx);
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

  private readonly inside = new Map<string, number[]>();

  /** Indexes of the pods with an address inside the block (and outside its excepts), ascending. */
  podsInside(block: CompiledIpBlock): number[] {
    const key = `${block.block.cidr} ${block.block.except.join(' ')}`;
    let pods = this.inside.get(key);
    if (!pods) {
      pods = this.scan(block);
      this.inside.set(key, pods);
    }
    return pods;
  }

  /** The pods with an address in one of the intervals the block admits, found by binary search. */
  private scan(block: CompiledIpBlock): number[] {
    const { family } = block.range;
    // Marked by pod rather than listed, as a block may hold every pod, some by several addresses.
    const inside = new Uint8Array(this.podCount);
    for (const { first, last } of admittedIntervals(block)) {
      const end = this.lowerBound(family, last + 1n);
      for (let i = this.lowerBound(family, first); i < end; i++)
        inside[this.podOf[i] as number] = 1;
    }
    const found: number[] = [];
    for (let podIdx = 0; podIdx < inside.length; podIdx++) if (inside[podIdx]) found.push(podIdx);
    return found;
  }
}
