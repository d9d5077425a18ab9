import { describe, expect, it } from 'vitest';
import type { AuditFinding, LayerRuleRef } from '../../src/engine/index.js';
import { findingMessage } from '../../src/render/audit.js';

const rule = (policy: string, layer: LayerRuleRef['layer'], list = 'ingress'): LayerRuleRef => ({
  layer,
  policy,
  object: { kind: 'NetworkPolicy', namespace: 'shop', name: 'x' },
  direction: 'ingress',
  list,
  ruleIndex: 0,
  action: layer === 'Cilium deny' ? 'deny' : 'accept',
});

describe('messages of findings across layers', () => {
  it('names each rule once, escaped once: a backslash in a name from a file is doubled, not quadrupled', () => {
    const finding: AuditFinding = {
      code: 'rule-shadowed-across-layers',
      severity: 'warning',
      namespace: 'shop',
      rule: rule('shop/legacy', 'NetworkPolicy'),
      by: [
        rule('ciliumnetworkpolicy/shop/a\\b\u001b[2J', 'Cilium deny', 'ingressDeny'),
        rule('cnp/wall', 'Admin'),
      ],
      objects: [],
      fixes: [],
    };
    expect(findingMessage(finding)).toBe(
      'NetworkPolicy shop/legacy ingress rule 1 [accept] never decides a flow of these pods: Cilium deny ciliumnetworkpolicy/shop/a\\\\b\\x1b[2J ingressDeny rule 1 [deny]; Admin cnp/wall ingress rule 1 [accept] decide everything it matches first',
    );
  });
});
