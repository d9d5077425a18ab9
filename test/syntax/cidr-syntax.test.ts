import { describe, expect, it } from 'vitest';
import { parseCidrList } from '../../src/syntax/cidr-syntax.js';

describe('parseCidrList (--pod-cidr)', () => {
  it('reads one CIDR or several, comma-separated, IPv4 and IPv6', () => {
    expect(parseCidrList('10.244.0.0/16')).toEqual({ ok: true, value: ['10.244.0.0/16'] });
    expect(parseCidrList('10.244.0.0/16, fd00:10::/56')).toEqual({
      ok: true,
      value: ['10.244.0.0/16', 'fd00:10::/56'],
    });
  });

  it.each(['10.244.0/16', '10.244.0.0', '10.244.0.0/33', '', '10.244.0.0/16,'])(
    'names the entry of %j that is not a CIDR',
    (text) => {
      const parsed = parseCidrList(text);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok)
        expect(parsed.error).toMatch(/^".*" is not a CIDR \(expected e\.g\. 10\.244\.0\.0\/16\)$/);
    },
  );
});
