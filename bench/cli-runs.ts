import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentile, round } from './stats.js';

/** The CLI as a user runs it from a checkout or the npm install. */
const NPM_CLI = [process.execPath, 'bin/kubectl-netpol'];

/**
 * The sink of a run whose answer is its output: it fails (exit 99, which no command exits with)
 * when nothing was printed, as a command that failed prints only to stderr. Exit 2 is UNKNOWN
 * and an error alike; without this a live check that failed was timed as if it had answered.
 */
const ANSWERED = "awk 'END { if (NR == 0) exit 99 }'";

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

/** A new empty cache directory (KUBECACHEDIR) for a run that finds no parsed manifests. */
export function emptyCacheDir(): string {
  return mkdtempSync(join(tmpdir(), 'netpol-bench-cache-'));
}

/**
 * Runs `kubectl-netpol ARGS` in bash, its output into `sink` (a shell pipeline, such as `wc -c`,
 * so that output goes to a pipe as when a user pipes it), and measures it: wall time, and the
 * CPU time bash's `times` reports for its children. An exit code not in `exits` fails the run.
 * Its manifest cache is `warmCache`, else an empty one of its own (a first run's cost), never
 * the user's.
 */
function runCli(
  args: readonly string[],
  sink: string,
  env: NodeJS.ProcessEnv = process.env,
  exits: readonly number[] = [0],
  command: readonly string[] = NPM_CLI,
  warmCache?: string,
): ProcessCost {
  const script = `set -o pipefail; "$@" 2>/dev/null | ${sink} >/dev/null; status=$?; times; exit $status`;
  const cache = warmCache ?? emptyCacheDir();
  const start = performance.now();
  const run = spawnSync('bash', ['-c', script, 'bash', ...command, ...args], {
    encoding: 'utf8',
    env: { ...env, KUBECACHEDIR: cache },
  });
  const wallMs = performance.now() - start;
  if (!warmCache) rmSync(cache, { recursive: true, force: true });
  // `times` prints the shell's own user and system time, then its children's.
  const children = run.stdout.trim().split('\n').at(-1)?.split(/\s+/) ?? [];
  if (!exits.includes(run.status ?? -1) || children.length !== 2) {
    throw new Error(`bench run failed: ${run.stderr}`);
  }
  return { wallMs, cpuMs: children.reduce((sum, time) => sum + shellDuration(time), 0) };
}

/** Median wall and CPU milliseconds of `runs` runs. */
function medianCost(
  args: readonly string[],
  runs = START_UP_RUNS,
  env?: NodeJS.ProcessEnv,
  exits?: readonly number[],
  command?: readonly string[],
  warmCache?: string,
): ProcessCost {
  const costs = Array.from({ length: runs }, () =>
    runCli(args, ANSWERED, env, exits, command, warmCache),
  );
  const median = (of: (cost: ProcessCost) => number) => round(percentile(costs.map(of), 50));
  return { wallMs: median((cost) => cost.wallMs), cpuMs: median((cost) => cost.cpuMs) };
}

/** How often each live check is run; the medians are reported. */
const LIVE_CHECK_RUNS = 5;

/**
 * `check SOURCE DESTINATION --port PORT -o json` on a live cluster as a user runs it (one
 * process), reading what the answer depends on and, with --full-read, everything; `name`
 * prefixes the keys.
 */
export function measureLiveCheck(kubeconfig: string, name: string, question: readonly string[]) {
  const env = { ...process.env, KUBECONFIG: kubeconfig };
  const args = ['check', ...question, '-o', 'json'];
  // check exits 0 (allowed), 1 (denied) or 2 (unknown): each is an answer.
  const targeted = medianCost(args, LIVE_CHECK_RUNS, env, [0, 1, 2]);
  const full = medianCost([...args, '--full-read'], LIVE_CHECK_RUNS, env, [0, 1, 2]);
  return {
    [`${name}Question`]: question.join(' '),
    [`${name}WallMs`]: targeted.wallMs,
    [`${name}CpuMs`]: targeted.cpuMs,
    [`${name}FullReadWallMs`]: full.wallMs,
    [`${name}FullReadCpuMs`]: full.cpuMs,
  };
}

/** How often each question from files is run; the medians are reported. */
const FILE_QUESTION_RUNS = 5;

/** How often each further (random) question from files is run. */
const OTHER_QUESTION_RUNS = 3;

/** Two pods of a manifest folder, as `NAMESPACE/NAME`, and a port to ask about. */
export interface FileQuestion {
  readonly source: string;
  readonly destination: string;
  readonly port: number;
}

/**
 * `check SOURCE DESTINATION --port PORT -f DIR` and `explain SOURCE -f DIR` as a user runs them
 * (one process each): medians of `runs` runs. Each run parses the folder with an empty
 * manifest cache, unless `warmCache` names one that already holds it.
 */
function fileQuestionCost(dir: string, question: FileQuestion, runs: number, warmCache?: string) {
  const { source, destination, port } = question;
  // check exits 0 (allowed), 1 (denied) or 2 (unknown): each is an answer.
  const check = medianCost(
    ['check', source, destination, '--port', String(port), '-f', dir],
    runs,
    process.env,
    [0, 1, 2],
    undefined,
    warmCache,
  );
  const explainArgs = ['explain', source, '-f', dir];
  const explain = medianCost(explainArgs, runs, process.env, [0], undefined, warmCache);
  return { check, explain };
}

/** The first question asked again of a cache a first run filled: the next questions' cost. */
function warmFileQuestionCost(dir: string, question: FileQuestion) {
  const cache = emptyCacheDir();
  try {
    runCli(['explain', question.source, '-f', dir], ANSWERED, process.env, [0], NPM_CLI, cache);
    return fileQuestionCost(dir, question, FILE_QUESTION_RUNS, cache);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}

/**
 * check and explain from files, each run with an empty manifest cache: the first question's
 * figures, then the median and the worst of the others' (random pairs: one question alone can
 * favour or hide a cost); and the first question's again from a cache a first run filled (Warm).
 */
export function measureFileQuestions(
  size: string,
  dir: string,
  questions: readonly FileQuestion[],
) {
  const [first, ...others] = questions;
  if (!first) throw new Error('internal: no question to ask of the folder');
  const { check, explain } = fileQuestionCost(dir, first, FILE_QUESTION_RUNS);
  const costs = others.map((question) => fileQuestionCost(dir, question, OTHER_QUESTION_RUNS));
  const warm = warmFileQuestionCost(dir, first);
  const spread = (name: string, of: (cost: (typeof costs)[number]) => number) => {
    const values = costs.map(of);
    return values.length === 0
      ? {}
      : {
          [`${name}MedianMs`]: round(percentile(values, 50)),
          [`${name}MaxMs`]: round(Math.max(...values)),
        };
  };
  return {
    size,
    runs: FILE_QUESTION_RUNS,
    fileQuestion: `${first.source} -> ${first.destination} ${first.port}`,
    checkFromFilesWallMs: check.wallMs,
    checkFromFilesCpuMs: check.cpuMs,
    explainFromFilesWallMs: explain.wallMs,
    explainFromFilesCpuMs: explain.cpuMs,
    checkFromFilesWarmWallMs: warm.check.wallMs,
    checkFromFilesWarmCpuMs: warm.check.cpuMs,
    explainFromFilesWarmWallMs: warm.explain.wallMs,
    explainFromFilesWarmCpuMs: warm.explain.cpuMs,
    otherQuestions: others.length,
    otherQuestionRuns: OTHER_QUESTION_RUNS,
    ...spread('otherCheckFromFilesCpu', (cost) => cost.check.cpuMs),
    ...spread('otherExplainFromFilesCpu', (cost) => cost.explain.cpuMs),
  };
}

/** The start-ups measured: `--version`, and completion of flags, of names (no cluster), of --demo's. */
const START_UPS: Readonly<Record<string, readonly string[]>> = {
  version: ['--version'],
  completeFlags: ['__complete', 'check', '--'],
  complete: ['__complete', 'check', ''],
  completeDemo: ['__complete', 'check', '--demo', ''],
};

/** The standalone executable `npm run release` built for this machine, if it did. */
function standaloneExecutable(): string | undefined {
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  const file = process.platform === 'win32' ? 'kubectl-netpol.exe' : 'kubectl-netpol';
  const path = join('dist-release', 'build', `${os}_${arch}`, file);
  return existsSync(path) ? path : undefined;
}

/**
 * Median wall and CPU of each of `startUps` from the npm install and, when `npm run release`
 * built it, from the standalone executable (keys `standalone…`).
 */
function startUpFigures(
  startUps: Readonly<Record<string, readonly string[]>>,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, number> {
  const standalone = standaloneExecutable();
  const figures: Record<string, number> = {};
  for (const [name, args] of Object.entries(startUps)) {
    const npm = medianCost(args, START_UP_RUNS, env);
    figures[`${name}WallMs`] = npm.wallMs;
    figures[`${name}CpuMs`] = npm.cpuMs;
    if (!standalone) continue;
    const own = medianCost(args, START_UP_RUNS, env, undefined, [standalone]);
    const key = `standalone${name[0]?.toUpperCase()}${name.slice(1)}`;
    figures[`${key}WallMs`] = own.wallMs;
    figures[`${key}CpuMs`] = own.cpuMs;
  }
  return figures;
}

/** Start-up as a user and a shell's completion pay it (START_UPS), npm and standalone. */
export function measureStartUp() {
  return { size: 'start-up', runs: START_UP_RUNS, ...startUpFigures(START_UPS) };
}

/**
 * A shell's Tab on a live cluster: completion of check's and explain's names in `namespace`,
 * each one process reading the API server, npm and standalone.
 */
export function measureLiveCompletion(kubeconfig: string, namespace: string) {
  const startUps = {
    completeLiveCheck: ['__complete', 'check', '-n', namespace, ''],
    completeLiveExplain: ['__complete', 'explain', '-n', namespace, ''],
  };
  return startUpFigures(startUps, { ...process.env, KUBECONFIG: kubeconfig });
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
