/**
 * Calico conformance cases: each folder under test/fixtures/conformance/calico holds policies
 * for the shared model and the probes they decide, with the documentation sentence (and its
 * address) that decides them. Each probe is answered by `check`'s engine path and by the matrix.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addressEndpoint, podEndpoint } from '../../src/engine/compile/endpoint.js';
import { evaluateFlow, type Outcome } from '../../src/engine/evaluate/evaluate.js';
import type { Analysis, PortSet, Protocol } from '../../src/engine/index.js';
import { computeMatrix, portSetAllows } from '../../src/engine/index.js';
import { analyseYaml } from '../helpers/load.js';

interface Check {
  from: string;
  to: string;
  protocol: Protocol;
  port: number;
  verdict: Outcome;
}

const root = new URL('../fixtures/conformance/calico/', import.meta.url);
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

describe('Calico conformance (documented behaviour)', () => {
  it('has the cases to run, each quoting the documentation', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
    for (const name of cases) {
      const { quote, url } = JSON.parse(read(`${name}/expected.json`));
      expect([name, typeof quote, String(url).startsWith('https://')]).toEqual([
        name,
        'string',
        true,
      ]);
    }
  });

  describe.each(cases)('%s', (name) => {
    const { checks } = JSON.parse(read(`${name}/expected.json`)) as { checks: Check[] };
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
      const allows = (set: PortSet) => portSetAllows(set, check.protocol, check.port);
      const i = matrix.podIdxs.indexOf(from);
      const j = matrix.podIdxs.indexOf(destination.podIdx);
      const matrixVerdict = !allows(matrix.connections(i, j))
        ? 'DENIED'
        : allows(matrix.undecidedConnections(i, j))
          ? 'UNKNOWN'
          : 'ALLOWED';
      expect({ check: flow.verdict, matrix: matrixVerdict }).toEqual({
        check: check.verdict,
        matrix: check.verdict,
      });
    });
  });
});
