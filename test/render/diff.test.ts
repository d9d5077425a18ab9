import { describe, expect, it } from 'vitest';
import type { FlowDecision, PairDiff, SideDecider } from '../../src/engine/index.js';
import { EMPTY_PORT_SET, portSetOf } from '../../src/engine/primitives/port-set.js';
import { diffData, diffLines } from '../../src/render/diff.js';

const PAIR: PairDiff = {
  from: 'a/web',
  to: 'a/db',
  before: { allowed: EMPTY_PORT_SET, unknown: EMPTY_PORT_SET },
  after: { allowed: portSetOf('TCP', 5432, 5432), unknown: EMPTY_PORT_SET },
  transitions: [],
};

/** The DECIDED BY cell of a one-flow diff whose after side is `sides`. */
function decidedBy(...sides: SideDecider[]): string {
  const decision: FlowDecision = { protocol: 'TCP', port: 5432, outcome: 'ALLOWED', sides };
  const transition = {
    ports: portSetOf('TCP', 5432, 5432),
    before: 'DENIED',
    after: 'ALLOWED',
  } as const;
  const lines = diffLines({ objects: [], flows: [{ pair: PAIR, transition, decision }] });
  const header = lines.find((line) => line.startsWith('CHANGE')) ?? '';
  return (lines.at(-1) ?? '').slice(header.indexOf('DECIDED BY'));
}

describe('diff text', () => {
  it('names each kind of decider in a few words, names made safe', () => {
    expect(
      decidedBy(
        { direction: 'egress', kind: 'unrestricted', reason: 'host-network' },
        {
          direction: 'ingress',
          kind: 'rule',
          policy: { namespace: 'a', name: 'allow\u001b' },
          ruleIndex: 1,
        },
      ),
    ).toBe('egress host network, not isolated; a/allow\\x1b ingress rule 2');
    expect(
      decidedBy({
        direction: 'ingress',
        kind: 'cluster-rule',
        policy: 'cnp/guard',
        ruleIndex: 0,
        ruleName: 'deny-all',
        action: 'Deny',
      }),
    ).toBe('cnp/guard ingress rule 1 (deny-all): Deny');
    expect(
      decidedBy({
        direction: 'ingress',
        kind: 'isolation',
        policies: [
          { namespace: 'a', name: 'deny' },
          { namespace: 'a', name: 'other' },
        ],
      }),
    ).toBe('ingress isolated by a/deny, a/other, no rule admits it');
    expect(
      decidedBy({
        direction: 'egress',
        kind: 'undecided',
        layers: [
          { kind: 'nodes-not-given', policy: 'cnp/nodes' },
          { kind: 'nodes-not-given', policy: 'cnp/more' },
        ],
      }),
    ).toBe(
      'egress UNKNOWN: cnp/nodes has a nodes peer, and the input holds no Node objects to match it (and 1 more)',
    );
  });

  it('says when nothing changes, and counts objects and flows otherwise', () => {
    expect(diffLines({ objects: [], flows: [] })).toEqual([
      'no change: the objects given are already in place',
    ]);
    const lines = diffLines({
      objects: [{ object: 'NetworkPolicy a/x\u001b', change: 'removed', namespace: 'a' }],
      flows: [],
    });
    expect(lines).toEqual([
      '1 object changed; flows: 0 opened, 0 closed',
      '',
      'removed NetworkPolicy a/x\\x1b',
      '',
      'no flow changes',
    ]);
    expect(diffData({ objects: [], flows: [] })).toEqual({ objects: [], flows: [] });
  });
});
