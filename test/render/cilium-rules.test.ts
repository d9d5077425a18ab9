import { describe, expect, it } from 'vitest';
import type { CiliumRuleMatch } from '../../src/engine/index.js';
import {
  ciliumIsolationText,
  ciliumMatchLines,
  ciliumRuleText,
} from '../../src/render/cilium-rules.js';

const match = (overrides: Partial<CiliumRuleMatch> = {}): CiliumRuleMatch => ({
  policy: 'ciliumnetworkpolicy/shop/api-l7',
  direction: 'ingress',
  action: 'allow',
  ruleIndex: 0,
  specIndex: 0,
  peerIndex: 0,
  ...overrides,
});

describe('Cilium rules in words', () => {
  it('names the rule list (ingressDeny for a deny rule) and the spec of a multi-spec policy', () => {
    expect(ciliumRuleText(match())).toBe('ciliumnetworkpolicy/shop/api-l7 ingress rule 1');
    expect(ciliumRuleText(match({ action: 'deny', direction: 'egress', ruleIndex: 2 }))).toBe(
      'ciliumnetworkpolicy/shop/api-l7 egressDeny rule 3',
    );
    expect(ciliumRuleText(match({ specIndex: 2 }))).toBe(
      'ciliumnetworkpolicy/shop/api-l7 (specs[1]) ingress rule 1',
    );
  });

  it('shows the L7 restriction only when every allowing rule has L7 rules', () => {
    const l7 = match({ l7: { protocol: 'http', requests: ['GET /public'] } });
    expect(ciliumMatchLines([l7])).toEqual([
      'allowed by ciliumnetworkpolicy/shop/api-l7 ingress rule 1',
      "  allowed at L4 only for the listed HTTP requests: GET /public; others are refused by Cilium's proxy",
    ]);
    expect(ciliumMatchLines([l7, match({ ruleIndex: 1 })])[1]).toBe(
      '  its L7 rules do not restrict this: another rule allows the port without L7 rules',
    );
  });

  it('escapes control characters of requests and names taken from objects', () => {
    const hostile = match({
      policy: 'ciliumnetworkpolicy/shop/\u001b[2Jevil',
      l7: { protocol: 'http', requests: ['GET /\u001b]0;title\u0007'] },
    });
    const text = ciliumMatchLines([hostile]).join('\n');
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\u0007');
    expect(
      ciliumIsolationText({ policies: ['ciliumnetworkpolicy/x/\u001b[2J'], always: true }),
    ).not.toContain('\u001b');
    expect(ciliumIsolationText({ policies: [], always: true })).toBe(
      'cilium-config enable-policy=always',
    );
  });
});
