import { performance } from 'node:perf_hooks';
import { PortSetTable } from '../src/engine/evaluate/port-set-table.js';
import { type ExplainContext, explainPod } from '../src/engine/explain/explain-pod.js';
import {
  auditCluster,
  buildPeerIndex,
  compileCluster,
  computeMatrix,
  policyEffect,
  portSetAllows,
  scaffoldPolicy,
} from '../src/engine/index.js';
import { loadManifests } from '../src/io/load-input.js';
import { countPairsByClass } from './class-pairs.js';
import { Random } from './prng.js';
import { percentile, round } from './stats.js';

/** The one JSON line a measurement prints, in this key order. */
export interface Measurement {
  readonly size: string;
  readonly pods: number;
  readonly policies: number;
  readonly namespaces: number;
  readonly loadParseMs: number;
  readonly compileMs: number;
  /** explain with the matrix and peer index kept from an earlier computation, as the TUI does. */
  readonly explainP50Ms: number;
  readonly explainP99Ms: number;
  /** explain from nothing, as one `kubectl netpol explain POD` run does. */
  readonly explainColdP50Ms: number;
  readonly explainColdP99Ms: number;
  readonly matrixOnePortMs: number;
  readonly matrixFullMs: number;
  /** The scaffold preview: what a default-deny (both directions) of the largest namespace changes. */
  readonly effectDefaultDenyMs: number;
  /** The whole audit, as `kubectl netpol audit` and the TUI's audit screen run it. */
  readonly auditMs: number;
  readonly auditFindings: number;
  readonly sourceClasses: number;
  readonly destinationClasses: number;
  readonly allowedPairs: number;
  readonly peakRssMb: number;
}

const EXPLAIN_SAMPLE = 200;
const EXPLAIN_SEED = 42;
const PROBE = { protocol: 'TCP', port: 8080 } as const;

const progress = (message: string) => process.stderr.write(`  ${message}\n`);

/** Runs fn and returns its result with the milliseconds it took, after a full collection. */
async function timed<T>(fn: () => T | Promise<T>): Promise<[T, number]> {
  globalThis.gc?.();
  const start = performance.now();
  const result = await fn();
  return [result, performance.now() - start];
}

/** Measures every phase on one manifest folder; the caller runs it in a fresh process. */
export async function measure(size: string, dir: string): Promise<Measurement> {
  const [input, loadParseMs] = await timed(() =>
    loadManifests([dir], () => Promise.reject(new Error('no stdin'))),
  );
  const problems = input.findings.filter((f) => f.severity !== 'info');
  if (problems.length > 0) {
    throw new Error(`generated manifests rejected: ${JSON.stringify(problems.slice(0, 5))}`);
  }
  const { cluster } = input;
  progress(`loaded ${cluster.pods.length} pods in ${round(loadParseMs)} ms`);
  const [analysis, compileMs] = await timed(() => compileCluster(cluster));

  const sample = new Random(EXPLAIN_SEED).sample(
    cluster.pods.map((_, idx) => idx),
    EXPLAIN_SAMPLE,
  );
  const explainTimes = (context: ExplainContext) => {
    globalThis.gc?.();
    return sample.map((podIdx) => {
      const start = performance.now();
      explainPod(analysis, podIdx, context);
      return performance.now() - start;
    });
  };
  const coldExplainMs = explainTimes({});
  progress(`explained ${sample.length} pods cold, max ${round(Math.max(...coldExplainMs))} ms`);

  // Both matrix phases read one pair of pods per pair of classes, as `matrix -o json --group`
  // does, and count the pairs of distinct pods (a pod always reaches itself: no news).
  const [onePortPairs, matrixOnePortMs] = await timed(() => {
    const matrix = computeMatrix(analysis);
    const allows: (boolean | undefined)[] = [];
    return countPairsByClass(matrix, (id) => {
      let allowed = allows[id];
      if (allowed === undefined) {
        allowed = portSetAllows(matrix.portSet(id), PROBE.protocol, PROBE.port);
        allows[id] = allowed;
      }
      return allowed;
    });
  });
  progress(`${onePortPairs} ordered pairs allow ${PROBE.protocol} ${PROBE.port}`);

  const [full, matrixFullMs] = await timed(() => {
    const matrix = computeMatrix(analysis);
    const pairs = countPairsByClass(matrix, (id) => id !== PortSetTable.EMPTY);
    return { pairs, classes: matrix.classCounts, matrix };
  });
  const explainMs = explainTimes({ matrix: full.matrix, peerIndex: buildPeerIndex(analysis) });
  const [largest] = [...analysis.podsByNamespace.entries()].sort(
    (a, b) => b[1].length - a[1].length,
  );
  const deny = scaffoldPolicy({
    kind: 'default-deny',
    namespace: largest?.[0] ?? '',
    direction: 'both',
  });
  const [effect, effectDefaultDenyMs] = await timed(() => policyEffect(cluster, [deny]));
  progress(
    `default-deny of ${largest?.[0]} (${largest?.[1].length} pods): ${effect.closed.length} flows closed in ${round(effectDefaultDenyMs)} ms`,
  );

  const [report, auditMs] = await timed(() => auditCluster(analysis));
  progress(`audit: ${report.findings.length} findings in ${round(auditMs)} ms`);

  return {
    size,
    pods: cluster.pods.length,
    policies: cluster.policies.length,
    namespaces: cluster.namespaces.length,
    loadParseMs: round(loadParseMs),
    compileMs: round(compileMs),
    explainP50Ms: round(percentile(explainMs, 50)),
    explainP99Ms: round(percentile(explainMs, 99)),
    explainColdP50Ms: round(percentile(coldExplainMs, 50)),
    explainColdP99Ms: round(percentile(coldExplainMs, 99)),
    matrixOnePortMs: round(matrixOnePortMs),
    matrixFullMs: round(matrixFullMs),
    effectDefaultDenyMs: round(effectDefaultDenyMs),
    auditMs: round(auditMs),
    auditFindings: report.findings.length,
    sourceClasses: full.classes.sources,
    destinationClasses: full.classes.destinations,
    allowedPairs: full.pairs,
    peakRssMb: round(process.resourceUsage().maxRSS / 1024),
  };
}
