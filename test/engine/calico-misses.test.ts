/**
 * A connection a Calico tier's end denies carries why each rule of the tier missed it, as the
 * NetworkPolicy rules' misses do: the failing condition of the other side, or the ports.
 */
import { describe, expect, it } from 'vitest';
import { podEndpoint } from '../../src/engine/compile/endpoint.js';
import { evaluateFlow } from '../../src/engine/evaluate/evaluate.js';
import type { Analysis, Protocol } from '../../src/engine/index.js';
import { analyseYaml, fixture } from '../helpers/load.js';

const ROOT = 'conformance/calico';

function ingressOf(policies: string, protocol: Protocol, port: number) {
  const analysis: Analysis = analyseYaml(
    fixture(`${ROOT}/model.yaml`),
    fixture(`${ROOT}/${policies}/policies.yaml`),
  );
  const at = (id: string) => podEndpoint(analysis, analysis.podIndex.get(id) as number);
  const flow = evaluateFlow(analysis, at('prod/client'), at('prod/database'), protocol, port);
  if (flow.ingress.kind !== 'calico')
    throw new Error(`not decided by Calico: ${flow.ingress.kind}`);
  return { verdict: flow.verdict, step: flow.ingress.match };
}

describe("a Calico tier end's rule misses", () => {
  it('name the source condition that does not hold', () => {
    const { verdict, step } = ingressOf('002-end-of-tier-drops', 'TCP', 6379);
    expect(verdict).toBe('DENIED');
    expect(step.endOfTier).toBe(true);
    expect(step.misses).toEqual([
      {
        policy: 'globalnetworkpolicy/db-from-frontend',
        direction: 'ingress',
        ruleIndex: 0,
        ports: [],
        peerMisses: [
          {
            kind: 'calico-condition',
            peerIndex: 0,
            condition: 'selector',
            reason: "role == 'frontend' is false: role is 'client'",
          },
        ],
        portMisses: [],
      },
    ]);
  });

  it('name each port entry the port is not in, the source having matched', () => {
    const { step } = ingressOf('010-port-ranges-not-ports', 'TCP', 6100);
    const [miss] = step.misses ?? [];
    expect(miss?.peerMisses).toEqual([]);
    expect(miss?.portMisses.map((portMiss) => portMiss.kind)).toEqual([
      'port',
      'port',
      'named-port-other',
    ]);
  });

  it('are absent where a rule decided', () => {
    const { verdict, step } = ingressOf('010-port-ranges-not-ports', 'TCP', 6379);
    expect(verdict).toBe('ALLOWED');
    expect(step.misses).toBeUndefined();
  });
});
