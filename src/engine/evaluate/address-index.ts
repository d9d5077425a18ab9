import type { Analysis } from '../compile/compile.js';
import type { CompiledIpBlock } from '../primitives/ip-block.js';
import { ipBlockVerdict } from '../primitives/ip-block.js';

/** Pod addresses sorted by value, so that an ipBlock finds its pods by binary search. */
export class AddressIndex {
  private readonly entries: { family: 4 | 6; value: bigint; podIdx: number }[];

  constructor(analysis: Analysis) {
    this.entries = analysis.podAddresses
      .flatMap((addresses, podIdx) => addresses.map((a) => ({ ...a, podIdx })))
      .sort((a, b) => a.family - b.family || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
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

  private scan(block: CompiledIpBlock): number[] {
    const { family, first, last } = block.range;
    const found = new Set<number>();
    for (let i = this.lowerBound(family, first); i < this.entries.length; i++) {
      const entry = this.entries[i] as (typeof this.entries)[number];
      if (entry.family !== family || entry.value > last) break;
      if (ipBlockVerdict(block, entry).kind === 'inside') found.add(entry.podIdx);
    }
    return [...found].sort((a, b) => a - b);
  }
}
