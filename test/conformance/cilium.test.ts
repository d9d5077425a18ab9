import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addressEndpoint, podEndpoint } from '../../src/engine/compile/endpoint.js';
import { evaluateFlow, type Outcome } from '../../src/engine/evaluate/evaluate.js';
import type { Analysis, Protocol } from '../../src/engine/index.js';
import { computeMatrix, portSetAllows } from '../../src/engine/index.js';
import { analyseYaml } from '../helpers/load.js';

/** One checked connection: `to` is a pod ("namespace/name") or an address. */
interface Check {
  from: string;
  to: string;
  protocol: Protocol;
  port: number;
  verdict: Outcome;
}

/** A case: the documentation sentence that decides its checks, where it is, and the checks. */
interface Expected {
  quote: string;
  url: string;
  checks: Check[];
}

const root = new URL('../fixtures/conformance/cilium/', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const cases = readdirSync(root, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

function podIndex(analysis: Analysis, id: string): number {
  const idx = analysis.pods.findIndex((pod) => pod.id === id);
  if (idx < 0) throw new Error(`no pod ${id} in the model`);
  return idx;
}

describe('Cilium policies (cases from the Cilium documentation)', () => {
  it('has the cases to run, each with the sentence that decides it', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
    for (const name of cases) {
      const expected = JSON.parse(read(`${name}/expected.json`)) as Expected;
      expect(expected.quote.length, name).toBeGreaterThan(20);
      expect(expected.url, name).toMatch(/^https:\/\//);
    }
  });

  describe.each(cases)('%s', (name) => {
    const { checks } = JSON.parse(read(`${name}/expected.json`)) as Expected;
    let compiled: { analysis: Analysis; matrix: ReturnType<typeof computeMatrix> } | undefined;
    const compile = () => {
      if (!compiled) {
        const analysis = analyseYaml(read('model.yaml'), read(`${name}/policies.yaml`));
        compiled = { analysis, matrix: computeMatrix(analysis) };
      }
      return compiled;
    };
    const label = (check: Check) =>
      `${check.from} -> ${check.to} ${check.protocol}/${check.port} is ${check.verdict}`;

    it.each(checks.map((check) => [label(check), check] as const))('%s', (_, check) => {
      const { analysis, matrix } = compile();
      const from = podIndex(analysis, check.from);
      const isPod = analysis.pods.some((pod) => pod.id === check.to);
      const destination = isPod
        ? podEndpoint(analysis, podIndex(analysis, check.to))
        : addressEndpoint(analysis, check.to);
      if (!destination) throw new Error(`${check.to} is neither a pod nor an address`);
      const flow = evaluateFlow(
        analysis,
        podEndpoint(analysis, from),
        destination,
        check.protocol,
        check.port,
      );
      if (destination.kind !== 'pod') {
        expect(flow.verdict).toBe(check.verdict);
        return;
      }
      // The matrix walks the same chains for every pair: it must agree with check.
      const row = matrix.podIdxs.indexOf(from);
      const column = matrix.podIdxs.indexOf(destination.podIdx);
      const allows = (set: ReturnType<typeof matrix.connections>) =>
        portSetAllows(set, check.protocol, check.port);
      const matrixVerdict = !allows(matrix.connections(row, column))
        ? 'DENIED'
        : allows(matrix.undecidedConnections(row, column))
          ? 'UNKNOWN'
          : 'ALLOWED';
      expect({ check: flow.verdict, matrix: matrixVerdict }).toEqual({
        check: check.verdict,
        matrix: check.verdict,
      });
    });
  });
});
