import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import {
  admitsWholeFamily,
  compileIpBlock,
  type IpAddress,
  ipBlockCoverage,
  ipBlockVerdict,
  parseCidr,
  parseIpAddress,
  rangeContains,
} from '../../src/engine/primitives/ip-block.js';

function address(text: string): IpAddress {
  const parsed = parseIpAddress(text);
  if (!parsed) throw new Error(`test address ${text} should parse`);
  return parsed;
}

/** Whether a CIDR (which must parse) contains an address. */
function contains(cidr: string, ip: string): boolean {
  const range = parseCidr(cidr);
  if (!range) throw new Error(`test CIDR ${cidr} should parse`);
  return rangeContains(range, address(ip));
}

function verdict(cidr: string, except: string[], ip: string) {
  return ipBlockVerdict(compileIpBlock({ cidr, except }), address(ip));
}

describe('parseIpAddress', () => {
  it('reads IPv4 dotted quads as 32-bit values', () => {
    expect(parseIpAddress('10.1.2.3')).toEqual({ family: 4, value: 0x0a010203n });
    expect(parseIpAddress('0.0.0.0')).toEqual({ family: 4, value: 0n });
    expect(parseIpAddress('255.255.255.255')).toEqual({ family: 4, value: 0xffffffffn });
  });

  it('reads IPv6 in full and compressed forms as the same 128-bit value', () => {
    const full = parseIpAddress('2001:0db8:0000:0000:0000:0000:0000:0001');
    expect(full).toEqual({ family: 6, value: (0x20010db8n << 96n) | 1n });
    expect(parseIpAddress('2001:db8::1')).toEqual(full);
    expect(parseIpAddress('::')).toEqual({ family: 6, value: 0n });
  });

  it('treats an IPv4-mapped IPv6 address as the IPv4 address', () => {
    expect(parseIpAddress('::ffff:10.0.0.1')).toEqual(parseIpAddress('10.0.0.1'));
  });

  it.each([
    '',
    'abc',
    '10.1',
    '10.0.0',
    '256.0.0.1',
    '10.0.0.1.2',
    '0x0a.0.0.1',
    '010.0.0.1',
    ' 10.0.0.1',
    '10.0.0.1/32',
    '2001:db8:::1',
    '2001:db8::g',
  ])('rejects %j', (text) => {
    expect(parseIpAddress(text)).toBeUndefined();
  });

  it('reads every dotted text with four parts as ipaddr.js does, leading zeros and overflows refused', () => {
    const part = fc.oneof(
      fc.integer({ min: 0, max: 300 }).map(String),
      fc.stringMatching(/^[0-9]{1,4}$/),
    );
    fc.assert(
      fc.property(fc.array(part, { minLength: 4, maxLength: 4 }), (parts) => {
        const text = parts.join('.');
        const expected = ipaddr.IPv4.isValidFourPartDecimal(text)
          ? {
              family: 4,
              value: ipaddr.IPv4.parse(text)
                .toByteArray()
                .reduce((value, byte) => (value << 8n) | BigInt(byte), 0n),
            }
          : undefined;
        expect(parseIpAddress(text)).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('parseCidr', () => {
  it('gives the first and last address of an IPv4 block', () => {
    expect(parseCidr('10.0.0.0/24')).toEqual({
      family: 4,
      first: 0x0a000000n,
      last: 0x0a0000ffn,
      prefixLength: 24,
    });
  });

  it('covers one address at /32 and every IPv4 address at /0', () => {
    expect(contains('10.0.0.7/32', '10.0.0.7')).toBe(true);
    expect(contains('10.0.0.7/32', '10.0.0.8')).toBe(false);
    expect(contains('0.0.0.0/0', '0.0.0.0')).toBe(true);
    expect(contains('0.0.0.0/0', '255.255.255.255')).toBe(true);
  });

  it('ignores host bits as the API server does (10.0.0.5/24 is 10.0.0.0/24)', () => {
    expect(parseCidr('10.0.0.5/24')).toEqual(parseCidr('10.0.0.0/24'));
    expect(contains('10.0.0.5/24', '10.0.0.0')).toBe(true);
    expect(contains('10.0.0.5/24', '10.0.0.255')).toBe(true);
    expect(contains('10.0.0.5/24', '10.0.1.0')).toBe(false);
    expect(parseCidr('2001:db8::1/64')).toEqual(parseCidr('2001:db8::/64'));
  });

  it('handles IPv6 blocks', () => {
    expect(contains('2001:db8::/32', '2001:db8:ffff::1')).toBe(true);
    expect(contains('2001:db8::/32', '2001:db9::1')).toBe(false);
    expect(contains('fd00::1/128', 'fd00::1')).toBe(true);
    expect(contains('fd00::1/128', 'fd00::2')).toBe(false);
    expect(contains('::/0', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')).toBe(true);
  });

  it('never matches across families: 0.0.0.0/0 excludes IPv6 and ::/0 excludes IPv4', () => {
    expect(contains('0.0.0.0/0', '2001:db8::1')).toBe(false);
    expect(contains('::/0', '10.0.0.1')).toBe(false);
  });

  it.each([
    '10.0.0.0',
    '10.0.0.0/',
    '10.0.0.0/33',
    '10.0.0.0/-1',
    '10.0.0.0/8/8',
    '10.0.0.0/ 8',
    '10.0.0.0/8a',
    '10.0/8',
    '300.0.0.0/8',
    'example.com/8',
    '/8',
    '2001:db8::/129',
    '2001:db8::/1000',
    '',
  ])('rejects %j', (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });

  it('rejects an IPv6 zone, which Go and the API server do not accept in a CIDR', () => {
    // net.ParseCIDR("fe80::%eth0/64") fails: zones are not part of CIDR notation.
    expect(parseCidr('fe80::%eth0/64')).toBeUndefined();
  });
});

describe('ipBlockVerdict', () => {
  it('admits an address inside the cidr and outside every except', () => {
    expect(verdict('10.0.0.0/16', ['10.0.1.0/24'], '10.0.2.9')).toEqual({ kind: 'inside' });
  });

  it('reports an address outside the cidr', () => {
    expect(verdict('10.0.0.0/16', [], '10.1.0.1')).toEqual({ kind: 'outside' });
  });

  it('reports which except holds an excluded address', () => {
    expect(verdict('10.0.0.0/16', ['10.0.1.0/24', '10.0.2.0/24'], '10.0.2.9')).toEqual({
      kind: 'excepted',
      except: '10.0.2.0/24',
    });
  });

  it('treats the edges of an except as excluded and just outside it as admitted', () => {
    expect(verdict('10.0.0.0/16', ['10.0.1.0/24'], '10.0.1.0').kind).toBe('excepted');
    expect(verdict('10.0.0.0/16', ['10.0.1.0/24'], '10.0.1.255').kind).toBe('excepted');
    expect(verdict('10.0.0.0/16', ['10.0.1.0/24'], '10.0.0.255').kind).toBe('inside');
    expect(verdict('10.0.0.0/16', ['10.0.1.0/24'], '10.0.2.0').kind).toBe('inside');
  });

  it('works for IPv6 excepts', () => {
    expect(verdict('fd00::/64', ['fd00::/120'], 'fd00::1').kind).toBe('excepted');
    expect(verdict('fd00::/64', ['fd00::/120'], 'fd00::1:1').kind).toBe('inside');
    expect(verdict('fd00::/64', ['fd00::/120'], '10.0.0.1').kind).toBe('outside');
  });

  it('an IPv4 block says "outside" for an IPv6 address', () => {
    expect(verdict('0.0.0.0/0', ['10.0.0.0/8'], 'fd00::1')).toEqual({ kind: 'outside' });
  });
});

describe('compileIpBlock', () => {
  it('refuses unvalidated input as an internal error', () => {
    expect(() => compileIpBlock({ cidr: 'nope', except: [] })).toThrow(/internal/);
    expect(() => compileIpBlock({ cidr: '10.0.0.0/8', except: ['nope'] })).toThrow(/internal/);
  });
});

describe('ipBlockCoverage', () => {
  const ranges = (...cidrs: string[]) =>
    cidrs.map((cidr) => {
      const range = parseCidr(cidr);
      if (!range) throw new Error(`test CIDR ${cidr} should parse`);
      return range;
    });
  const coverage = (cidr: string, except: string[], podCidrs: string[]) =>
    ipBlockCoverage(compileIpBlock({ cidr, except }), ranges(...podCidrs));

  it('covers all of a pod range inside its CIDR', () => {
    expect(coverage('0.0.0.0/0', [], ['10.244.0.0/16'])).toBe('all');
    expect(coverage('10.0.0.0/8', [], ['10.244.0.0/16', '10.245.0.0/16'])).toBe('all');
    expect(coverage('10.244.0.0/16', [], ['10.244.0.0/16'])).toBe('all');
  });

  it('covers none of a pod range outside its CIDR, or of another family', () => {
    expect(coverage('192.168.0.0/16', [], ['10.244.0.0/16'])).toBe('none');
    expect(coverage('::/0', [], ['10.244.0.0/16'])).toBe('none');
  });

  it('covers part of a pod range larger than its CIDR, or of one of two ranges', () => {
    expect(coverage('10.244.1.0/24', [], ['10.244.0.0/16'])).toBe('part');
    expect(coverage('10.244.0.0/16', [], ['10.244.0.0/16', 'fd00:10::/64'])).toBe('part');
  });

  it('takes excepts out: all of the range excepted is none, some of it is part', () => {
    expect(coverage('10.0.0.0/8', ['10.244.0.0/16'], ['10.244.0.0/16'])).toBe('none');
    expect(coverage('10.0.0.0/8', ['10.244.0.0/17', '10.244.128.0/17'], ['10.244.0.0/16'])).toBe(
      'none',
    );
    expect(coverage('10.0.0.0/8', ['10.244.5.0/24'], ['10.244.0.0/16'])).toBe('part');
    expect(coverage('10.0.0.0/8', ['10.0.0.0/16', '10.1.0.0/16'], ['10.244.0.0/16'])).toBe('all');
  });

  it('counts nested excepts once', () => {
    expect(coverage('10.244.0.0/16', ['10.244.0.0/17', '10.244.0.0/24'], ['10.244.0.0/16'])).toBe(
      'part',
    );
    expect(
      coverage(
        '10.244.0.0/16',
        ['10.244.0.0/17', '10.244.0.0/24', '10.244.128.0/17'],
        ['10.244.0.0/16'],
      ),
    ).toBe('none');
  });
});

describe('admitsWholeFamily', () => {
  it('holds for a /0 without except only', () => {
    expect(admitsWholeFamily(compileIpBlock({ cidr: '0.0.0.0/0', except: [] }))).toBe(true);
    expect(admitsWholeFamily(compileIpBlock({ cidr: '::/0', except: [] }))).toBe(true);
    expect(admitsWholeFamily(compileIpBlock({ cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] }))).toBe(
      false,
    );
    expect(admitsWholeFamily(compileIpBlock({ cidr: '10.0.0.0/8', except: [] }))).toBe(false);
  });
});
