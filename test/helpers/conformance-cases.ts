import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addressEndpoint, podEndpoint } from '../../src/engine/compile/endpoint.js';
import { evaluateFlow, type Outcome } from '../../src/engine/evaluate/evaluate.js';
import type { Analysis, PortSet, Protocol } from '../../src/engine/index.js';
import { computeMatrix, portSetAllows, sideL7Restriction } from '../../src/engine/index.js';
import { analyseYaml } from './load.js';

/** One checked connection: `to` is a pod ("namespace/name") or an address. */
export interface ConformanceCheck {
  readonly from: string;
  readonly to: string;
  readonly protocol: Protocol;
  readonly port: number;
  readonly verdict: Outcome;
  /** The requests Cilium's L7 rules still let through (empty: not restricted at L7), when asked. */
  readonly l7?: readonly string[];
}

/** What a folder of cases asks beyond its checks. */
export interface CaseFolder {
  /** The folder under test/fixtures/conformance. */
  readonly folder: string;
  readonly title: string;
  /** Fewer cases than this means the folder was not read as meant. */
  readonly minimum: number;
  /** Checks each case's expected.json (its documentation quote, say) besides its checks. */
  readonly eachCase?: (name: string, expected: Record<string, unknown>) => void;
}

function podIndex(analysis: Analysis, id: string): number {
  const idx = analysis.pods.findIndex((pod) => pod.id === id);
  if (idx < 0) throw new Error(`no pod ${id} in the model`);
  return idx;
}

/** The matrix's answer on the checked port: DENIED, or UNKNOWN when the port is undecided. */
function matrixOutcome(
  matrix: ReturnType<typeof computeMatrix>,
  row: number,
  column: number,
  check: ConformanceCheck,
): Outcome {
  const allows = (set: PortSet) => portSetAllows(set, check.protocol, check.port);
  if (!allows(matrix.connections(row, column))) return 'DENIED';
  return allows(matrix.undecidedConnections(row, column)) ? 'UNKNOWN' : 'ALLOWED';
}

/**
 * Runs every case of a conformance folder (NNN-name/policies.yaml over the folder's model.yaml,
 * or the case's own, with expected.json's checks): each check is answered by check's engine path
 * and, between pods, by the matrix, which walks the same chains and must agree.
 */
export function describeConformanceCases({ folder, title, minimum, eachCase }: CaseFolder): void {
  const root = new URL(`../fixtures/conformance/${folder}/`, import.meta.url);
  const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
  const cases = readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const expectedOf = (name: string) =>
    JSON.parse(read(`${name}/expected.json`)) as Record<string, unknown> & {
      checks: ConformanceCheck[];
    };

  describe(title, () => {
    it('has the cases to run', () => {
      expect(cases.length).toBeGreaterThanOrEqual(minimum);
      for (const name of cases) eachCase?.(name, expectedOf(name));
    });

    describe.each(cases)('%s', (name) => {
      const model = existsSync(new URL(`${name}/model.yaml`, root))
        ? read(`${name}/model.yaml`)
        : read('model.yaml');
      const { checks } = expectedOf(name);
      // Compiled on first use: a case the reader rejects fails its own checks, not the whole file.
      let compiled: { analysis: Analysis; matrix: ReturnType<typeof computeMatrix> } | undefined;
      const compile = () => {
        if (!compiled) {
          const analysis = analyseYaml(model, read(`${name}/policies.yaml`));
          compiled = { analysis, matrix: computeMatrix(analysis) };
        }
        return compiled;
      };
      const label = (check: ConformanceCheck) =>
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
        if (check.l7 !== undefined) {
          const restricted = [flow.egress, flow.ingress].flatMap((side) =>
            sideL7Restriction(side).flatMap((rules) => rules.requests),
          );
          expect({ l7: restricted }).toEqual({ l7: check.l7 });
        }
        // The matrix covers pairs of pods: an address destination is answered by check alone.
        if (destination.kind !== 'pod') {
          expect({ check: flow.verdict }).toEqual({ check: check.verdict });
          return;
        }
        const row = matrix.podIdxs.indexOf(from);
        const column = matrix.podIdxs.indexOf(destination.podIdx);
        expect({ check: flow.verdict, matrix: matrixOutcome(matrix, row, column, check) }).toEqual({
          check: check.verdict,
          matrix: check.verdict,
        });
      });
    });
  });
}
