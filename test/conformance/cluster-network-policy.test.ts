import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addressEndpoint, podEndpoint } from '../../src/engine/compile/endpoint.js';
import { evaluateFlow, type Outcome } from '../../src/engine/evaluate/evaluate.js';
import type { Analysis, PortSet, Protocol } from '../../src/engine/index.js';
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

const root = new URL('../fixtures/conformance/cluster-network-policy/', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const cases = readdirSync(root, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

/**
 * The matrix's answer for a pair on the checked port: DENIED when no connection is possible,
 * UNKNOWN when the port is among the pair's undecided connections.
 */
function matrixOutcome(
  matrix: ReturnType<typeof computeMatrix>,
  from: number,
  to: number,
  check: Check,
): Outcome {
  const allows = (set: PortSet) => portSetAllows(set, check.protocol, check.port);
  if (!allows(matrix.connections(from, to))) return 'DENIED';
  return allows(matrix.undecidedConnections(from, to)) ? 'UNKNOWN' : 'ALLOWED';
}

function podIndex(analysis: Analysis, id: string): number {
  const idx = analysis.pods.findIndex((pod) => pod.id === id);
  if (idx < 0) throw new Error(`no pod ${id} in the model`);
  return idx;
}

describe('ClusterNetworkPolicy conformance (upstream suite and edge cases)', () => {
  it('has the cases to run', () => {
    expect(cases.length).toBeGreaterThanOrEqual(138);
  });

  describe.each(cases)('%s', (name) => {
    const model = existsSync(new URL(`${name}/model.yaml`, root))
      ? read(`${name}/model.yaml`)
      : read('model.yaml');
    const { checks } = JSON.parse(read(`${name}/expected.json`)) as { checks: Check[] };
    // Compiled on first use: a case the reader rejects fails its own checks, not the whole file.
    let compiled: { analysis: Analysis; matrix: ReturnType<typeof computeMatrix> } | undefined;
    const compile = () => {
      if (!compiled) {
        const analysis = analyseYaml(model, read(`${name}/policies.yaml`));
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
      // The matrix covers pairs of pods: an address destination is answered by check alone.
      const answers =
        destination.kind === 'pod'
          ? {
              check: flow.verdict,
              matrix: matrixOutcome(
                matrix,
                matrix.podIdxs.indexOf(from),
                matrix.podIdxs.indexOf(destination.podIdx),
                check,
              ),
            }
          : { check: flow.verdict };
      const expected =
        destination.kind === 'pod'
          ? { check: check.verdict, matrix: check.verdict }
          : { check: check.verdict };
      expect(answers).toEqual(expected);
    });
  });
});
