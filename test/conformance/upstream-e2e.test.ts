import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { podEndpoint } from '../../src/engine/compile/endpoint.js';
import { evaluateFlow } from '../../src/engine/evaluate/evaluate.js';
import type { Protocol } from '../../src/engine/index.js';
import { computeMatrix, portSetAllows } from '../../src/engine/index.js';
import { analyseYaml } from '../helpers/load.js';

interface Probe {
  port: number;
  protocol: Protocol;
  allowed: [string, string][];
}

const root = new URL('../fixtures/conformance/upstream-e2e/', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const cases = readdirSync(root, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

describe('upstream NetworkPolicy e2e cases', () => {
  it('has the cases to run', () => {
    expect(cases.length).toBeGreaterThanOrEqual(29);
  });

  describe.each(cases)('%s', (name) => {
    const model = existsSync(new URL(`${name}/model.yaml`, root))
      ? read(`${name}/model.yaml`)
      : read('model.yaml');
    const analysis = analyseYaml(model, read(`${name}/policies.yaml`));
    const expected = JSON.parse(read(`${name}/expected.json`)) as { probes: Probe[] };
    const matrix = computeMatrix(analysis);
    const ids = analysis.pods.map((pod) => pod.id);

    it.each(expected.probes.map((probe) => [`${probe.protocol}/${probe.port}`, probe] as const))(
      'probe %s matches the upstream truth table',
      (_, probe) => {
        const allowed = new Set(probe.allowed.map(([from, to]) => `${from}->${to}`));
        const flows: string[] = [];
        const verdicts: string[] = [];
        const wanted: string[] = [];
        ids.forEach((from, i) => {
          ids.forEach((to, j) => {
            if (i === j) return; // self pairs: always allowed by our engine, never probed upstream
            const key = `${from}->${to}`;
            if (allowed.has(key)) wanted.push(key);
            const verdict = evaluateFlow(
              analysis,
              podEndpoint(analysis, i),
              podEndpoint(analysis, j),
              probe.protocol,
              probe.port,
            );
            if (verdict.allowed) verdicts.push(key);
            if (portSetAllows(matrix.connections(i, j), probe.protocol, probe.port))
              flows.push(key);
          });
        });
        expect(verdicts).toEqual(wanted);
        expect(flows).toEqual(wanted);
      },
    );
  });
});
