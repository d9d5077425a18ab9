import { spawnSync } from 'node:child_process';
import { percentile, round } from './stats.js';

/** The CLI as a user runs it from a checkout or the npm install. */
const CLI = ['bin/kubectl-netpol'];

/** How often each start-up is run; the medians are reported. */
const START_UP_RUNS = 7;

/** Wall and CPU (user + system) milliseconds of one whole process, as the shell measures them. */
interface ProcessCost {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/** `0m1.250s` (bash's `times`) in milliseconds. */
function shellDuration(text: string): number {
  const match = /^(\d+)m([\d.]+)s$/.exec(text);
  if (!match) throw new Error(`not a duration of bash's times: ${text}`);
  return (Number(match[1]) * 60 + Number(match[2])) * 1000;
}

/**
 * Runs `kubectl-netpol ARGS` in bash, its output into `sink` (a shell pipeline, such as `wc -c`,
 * so that output goes to a pipe as when a user pipes it), and measures it: wall time, and the
 * CPU time bash's `times` reports for its children.
 */
function runCli(args: readonly string[], sink: string): ProcessCost {
  const script = `set -o pipefail; "$@" 2>/dev/null | ${sink} >/dev/null || exit $?; times`;
  const start = performance.now();
  const run = spawnSync('bash', ['-c', script, 'bash', process.execPath, ...CLI, ...args], {
    encoding: 'utf8',
  });
  const wallMs = performance.now() - start;
  // `times` prints the shell's own user and system time, then its children's.
  const children = run.stdout.trim().split('\n').at(-1)?.split(/\s+/) ?? [];
  if (run.status !== 0 || children.length !== 2) throw new Error(`bench run failed: ${run.stderr}`);
  return { wallMs, cpuMs: children.reduce((sum, time) => sum + shellDuration(time), 0) };
}

/** Median wall and CPU milliseconds of START_UP_RUNS runs. */
function medianCost(args: readonly string[]): ProcessCost {
  const runs = Array.from({ length: START_UP_RUNS }, () => runCli(args, 'cat'));
  return {
    wallMs: round(
      percentile(
        runs.map((run) => run.wallMs),
        50,
      ),
    ),
    cpuMs: round(
      percentile(
        runs.map((run) => run.cpuMs),
        50,
      ),
    ),
  };
}

/** Start-up as a user and a shell's completion pay it: `--version` and `__complete check ''`. */
export function measureStartUp() {
  const version = medianCost(['--version']);
  const complete = medianCost(['__complete', 'check', '']);
  return {
    size: 'start-up',
    runs: START_UP_RUNS,
    versionWallMs: version.wallMs,
    versionCpuMs: version.cpuMs,
    completeWallMs: complete.wallMs,
    completeCpuMs: complete.cpuMs,
  };
}

/**
 * `matrix -o json -f DIR | wc -c`, once: the whole matrix written to a pipe; with `grouped`,
 * its compact form (`--group`), under keys of its own.
 */
export function measureMatrixToPipe(size: string, dir: string, grouped = false) {
  const cost = runCli(
    ['matrix', '-o', 'json', ...(grouped ? ['--group'] : []), '-f', dir],
    'wc -c',
  );
  if (grouped) {
    return {
      size,
      matrixGroupedJsonToPipeWallMs: round(cost.wallMs),
      matrixGroupedJsonToPipeCpuMs: round(cost.cpuMs),
    };
  }
  return {
    size,
    matrixJsonToPipeWallMs: round(cost.wallMs),
    matrixJsonToPipeCpuMs: round(cost.cpuMs),
  };
}
