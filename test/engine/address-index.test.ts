import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AddressIndex } from '../../src/engine/primitives/address-index.js';
import {
  addressText,
  compileIpBlock,
  type IpAddress,
  ipBlockVerdict,
} from '../../src/engine/primitives/ip-block.js';

/** Each family's addresses lie near one base, so that random CIDRs and excepts meet them. */
const BASE = { 4: 0x0a000000n, 6: 0x20010db8n << 96n } as const;
const BITS = { 4: 32, 6: 128 } as const;

const familyArb = fc.constantFrom<4 | 6>(4, 6);

/** An address within 512 of its family's base. */
const addressArb = familyArb.chain((family) =>
  fc.integer({ min: 0, max: 511 }).map(
    (offset): IpAddress => ({
      family,
      value: BASE[family] + BigInt(offset),
    }),
  ),
);

/** A CIDR near the base: mostly long prefixes, sometimes the whole family. */
const cidrArb = (family: 4 | 6) =>
  fc
    .tuple(
      fc.integer({ min: 0, max: 511 }),
      fc.oneof(
        fc.integer({ min: BITS[family] - 10, max: BITS[family] }),
        fc.integer({ min: 0, max: BITS[family] }),
      ),
    )
    .map(([offset, length]) => `${addressText(family, BASE[family] + BigInt(offset))}/${length}`);

/** An ipBlock with up to four excepts: inside it, overlapping each other, or of the other family. */
const blockArb = familyArb.chain((family) =>
  fc.record({
    cidr: cidrArb(family),
    except: fc.array(
      fc.oneof(
        { arbitrary: cidrArb(family), weight: 4 },
        { arbitrary: cidrArb(family === 4 ? 6 : 4), weight: 1 },
      ),
      { maxLength: 4 },
    ),
  }),
);

describe('AddressIndex', () => {
  it('finds exactly the pods an ipBlock admits, as a scan of every address does (IPv4 and IPv6)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(addressArb, { maxLength: 3 }), { maxLength: 40 }),
        fc.array(blockArb, { minLength: 1, maxLength: 5 }),
        (podAddresses, blocks) => {
          const index = new AddressIndex(podAddresses);
          for (const block of blocks) {
            const compiled = compileIpBlock(block);
            const scanned = podAddresses.flatMap((addresses, podIdx) =>
              addresses.some((a) => ipBlockVerdict(compiled, a).kind === 'inside') ? [podIdx] : [],
            );
            expect(index.inside(compiled)).toEqual(scanned);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('leaves out the pods of an except, and lists a pod with two addresses inside once', () => {
    const v4 = (last: number): IpAddress => ({ family: 4, value: BASE[4] + BigInt(last) });
    const index = new AddressIndex([[v4(1)], [v4(70), v4(71)], [v4(200)], []]);
    const block = compileIpBlock({ cidr: '10.0.0.0/24', except: ['10.0.0.0/26', '10.0.0.128/25'] });
    expect(index.inside(block)).toEqual([1]);
  });
});
