import { describe, expect, it } from 'vitest';
import type { AuditFinding } from '../../src/engine/index.js';
import { findingMessage } from '../../src/render/audit.js';

/** A one-sided-allow finding on x/api-in ingress rule 1, the other side denied by `blockedBy`. */
function oneSided(blockedBy: { namespace: string; name: string }[]): AuditFinding {
  return {
    code: 'one-sided-allow',
    severity: 'warning',
    namespace: 'x',
    rule: { policy: { namespace: 'x', name: 'api-in' }, direction: 'ingress', ruleIndex: 0 },
    peers: ['x/web'],
    blockedBy,
    objects: [],
    fixes: [],
  };
}

describe('the one-sided-allow message', () => {
  it('names the NetworkPolicies isolating the other side', () => {
    expect(findingMessage(oneSided([{ namespace: 'x', name: 'web-out' }]))).toContain(
      'its egress, isolated by x/web-out, does not allow that traffic',
    );
  });

  it('names none where another tier denies (a Calico or cluster policy), with no empty list', () => {
    const message = findingMessage(oneSided([]));
    expect(message).toContain('its egress does not allow that traffic');
    expect(message).not.toContain('isolated by');
  });
});
