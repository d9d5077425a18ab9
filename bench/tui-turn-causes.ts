/**
 * What the UI thread's long turns are: `node dist/bench/tui-turn-causes.js RUNS DIR [ROOT...]`
 * launches each ROOT's bin/kubectl-netpol (this build's unless told) with `-f DIR` in an 80x24
 * pseudo-terminal (util-linux `script`), RUNS times interleaved, with turn-causes-preload.ts
 * loaded. Once the lists show it types the keys of NETPOL_BENCH_FLOW (FLOWS: 'rows' unless
 * told, enter then j every 50 ms for 3 s while the rows, the audit and the peer index are worked
 * out) and quits 6 s after the lists (QUIT_MS). For each turn of
 * LONG_MS or more (wall or CPU) it prints the phase, wall and CPU time, the garbage collections
 * in it, how long the whole machine was paused in it (stallWatch), and the functions sampled;
 * then one JSON line per launch, and the medians per ROOT. NETPOL_BENCH_PROFILE=1 turns the
 * sampling on (it costs the program a few per cent); NETPOL_BENCH_NODE_FLAGS (words) go on the
 * launched programs' node command line (V8 flags to try; NODE_OPTIONS refuses many).
 * Each launch starts with its manifest cache empty; with NETPOL_BENCH_WARM=1, filled by a
 * launch before it (not measured). NETPOL_BENCH_POD (NAMESPACE/NAME, kube-system/annotated
 * unless told) is the pod the 'yaml' flow opens.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { percentile, round } from './stats.js';
import { stallWatch } from './tui-latency.js';
import type { Turn, TurnCauses } from './turn-causes-preload.js';

const PRELOAD = fileURLToPath(new URL('./turn-causes-preload.js', import.meta.url));
const THIS_BUILD = fileURLToPath(new URL('../..', import.meta.url));
const QUOTE = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;

/** Turns this long or longer (ms, wall or CPU) are listed with their causes. */
const LONG_MS = 50;
/** After the lists show: a flow's keys until KEYS_MS, quit at QUIT_MS. */
const KEY_GAP_MS = 50;
const KEYS_MS = 3000;
const QUIT_MS = 6000;

/** Keys typed after the lists show: [ms after them, text]. */
type Flow = readonly (readonly [number, string])[];

/** `text` typed every KEY_GAP_MS from `from` until KEYS_MS. */
const everyGap = (from: number, text: string): Flow =>
  Array.from({ length: Math.ceil((KEYS_MS - from) / KEY_GAP_MS) }, (_, i) => [
    from + i * KEY_GAP_MS,
    text,
  ]);

const [podNamespace, podName] = (process.env.NETPOL_BENCH_POD ?? 'kube-system/annotated').split(
  '/',
);

/**
 * The flows: 'rows' opens the first namespace and moves down its pods; 'yaml' opens a pod's
 * YAML (write-huge-objects.ts's 9 MB Pod) and pages down it, then a line at a time; 'audit'
 * opens the audit and moves down its findings.
 */
const FLOWS: Record<string, Flow> = {
  rows: [[30, '\r'], ...everyGap(30 + KEY_GAP_MS, 'j')],
  yaml: [
    [30, `:po ${podNamespace}\r`],
    [300, `/${podName}\r`],
    [600, 'y'],
    ...everyGap(650, ' ').slice(0, 30),
    ...everyGap(650 + 30 * KEY_GAP_MS, 'j'),
  ],
  audit: [[30, 'a'], ...everyGap(30 + KEY_GAP_MS, 'j')],
};
const flowName = process.env.NETPOL_BENCH_FLOW ?? 'rows';
const chosen = FLOWS[flowName];
if (!chosen) throw new Error(`no flow ${flowName}: ${Object.keys(FLOWS).join(', ')}`);
const flow: Flow = chosen;

/**
 * The phases of a launch, by the marks that end them: 'start-up' until the terminal went raw
 * (the turn it went raw in included: keys typed until then are the terminal's to echo, and
 * ctrl-c is a signal), 'first frame' from then until any frame was written, 'loading' until
 * the lists' frame, then 'keys' and 'settled'.
 */
type Phase = 'start-up' | 'first frame' | 'loading' | 'keys' | 'settled';
const PHASES: readonly Phase[] = ['start-up', 'first frame', 'loading', 'keys', 'settled'];

/** One launch's figures: the longest turn per phase (wall, CPU) and its long turns explained. */
interface Launch {
  readonly root: string;
  readonly longest: Record<Phase, { wall: number; cpu: number }>;
  readonly listsMs: number;
  /** ms from the process's start until the terminal went raw: wall, and the process's CPU time. */
  readonly rawWallMs: number;
  readonly rawCpuMs: number;
  /** ms from the first turn until any frame was written (the loading screen's). */
  readonly firstMs: number;
  /** The UI thread's CPU time until then (ms): the same, less the time others held the cores. */
  readonly firstCpuMs: number;
  /**
   * How long the turn the terminal went raw in ran on after it (wall ms): keys typed then wait
   * that long, a part of a turn that the phases count as start-up.
   */
  readonly rawTurnAfterMs: number;
  readonly heapUsedMb: number;
  readonly long: ExplainedTurn[];
}

/** A long turn, with what the machine and the collector did in it (ms). */
interface ExplainedTurn {
  readonly phase: Phase;
  readonly wall: number;
  readonly cpu: number;
  readonly paused: number;
  readonly collections: string;
  readonly collectorMs: number;
  /** The longest stretch of it without a profiler sample (see Turn.gap), if sampled. */
  readonly gap?: number;
  readonly top: string;
}

/** How much of [from, to] the intervals cover (ms). */
function covered(from: number, to: number, intervals: readonly [number, number][]): number {
  let ms = 0;
  for (const [start, end] of intervals)
    ms += Math.max(0, Math.min(end, to) - Math.max(start, from));
  return ms;
}

function phaseOf(turn: Turn, marks: TurnCauses['marks'], rawAt: number): Phase {
  const { first = Infinity, lists = Infinity } = marks;
  if (turn.from <= rawAt) return 'start-up';
  if (turn.to <= first) return 'first frame';
  if (turn.to <= lists) return 'loading';
  return turn.from < lists + KEYS_MS ? 'keys' : 'settled';
}

/** One launch of ROOT's UI on DIR, its manifest cache `cache`. */
function launch(
  root: string,
  dir: string,
  cache: string,
  stalls: ReturnType<typeof stallWatch>,
): Promise<Launch> {
  const work = mkdtempSync(join(tmpdir(), 'netpol-turn-causes-'));
  const file = join(work, 'causes.json');
  const cli = join(root, 'bin/kubectl-netpol');
  const flags = process.env.NETPOL_BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  const words = [process.execPath, ...flags, '--import', PRELOAD, cli, '-f', dir]
    .map(QUOTE)
    .join(' ');
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    KUBECACHEDIR: cache,
    NETPOL_BENCH_CAUSES_FILE: file,
    NETPOL_BENCH_CAUSES_PROFILE: process.env.NETPOL_BENCH_PROFILE ?? '',
  };
  const child = spawn('script', ['-qfec', `stty cols 80 rows 24; exec ${words}`, '/dev/null'], {
    stdio: ['pipe', 'pipe', 'ignore'],
    env,
  });
  let output = '';
  let listed = false;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
    if (listed || !output.includes('Namespaces (')) return;
    listed = true;
    for (const [at, text] of flow) setTimeout(() => child.stdin.write(text), at);
    setTimeout(() => child.stdin.write('\u0003'), QUIT_MS);
  });
  return new Promise<Launch>((done, fail) => {
    child.on('error', fail);
    child.on('close', () => {
      try {
        done(explain(root, JSON.parse(readFileSync(file, 'utf8')) as TurnCauses, stalls));
      } catch (error) {
        fail(new Error(`${cli} -f ${dir} left no figures (${error}):\n${output.slice(-2000)}`));
      }
    });
  }).finally(() => rmSync(work, { recursive: true, force: true }));
}

function explain(root: string, causes: TurnCauses, stalls: ReturnType<typeof stallWatch>): Launch {
  const zero = () => ({ wall: 0, cpu: 0 });
  const longest = Object.fromEntries(PHASES.map((phase) => [phase, zero()])) as Launch['longest'];
  const rawAt = causes.raw?.at ?? Number.NEGATIVE_INFINITY;
  const rawTurn = causes.turns.find((turn) => turn.from <= rawAt && turn.to >= rawAt);
  const gcs = causes.collections.map((c) => [c.start, c.start + c.ms] as [number, number]);
  const long: ExplainedTurn[] = [];
  for (const turn of causes.turns) {
    const phase = phaseOf(turn, causes.marks, rawAt);
    longest[phase].wall = Math.max(longest[phase].wall, turn.wall);
    longest[phase].cpu = Math.max(longest[phase].cpu, turn.cpu);
    if (turn.wall < LONG_MS && turn.cpu < LONG_MS) continue;
    const inTurn = causes.collections.filter(
      (c) => c.start < turn.to && c.start + c.ms > turn.from,
    );
    const ns = (ms: number) => BigInt(Math.round(ms * 1e6));
    long.push({
      phase,
      wall: round(turn.wall),
      cpu: round(turn.cpu),
      paused: round(stalls.overlap(ns(turn.from), ns(turn.to))),
      collections: inTurn.map((c) => `${c.kind} ${round(c.ms)}`).join(', '),
      collectorMs: round(covered(turn.from, turn.to, gcs)),
      ...(turn.gap !== undefined && { gap: round(turn.gap) }),
      top: (turn.top ?? []).map(([name, n]) => `${n} ${name}`).join(' | '),
    });
  }
  const first = causes.turns[0]?.from ?? 0;
  return {
    root,
    longest,
    listsMs: round((causes.marks.lists ?? Number.NaN) - first),
    rawWallMs: round(causes.raw?.wall ?? Number.NaN),
    rawCpuMs: round(causes.raw?.cpu ?? Number.NaN),
    firstMs: round((causes.marks.first ?? Number.NaN) - first),
    firstCpuMs: round(causes.marksCpu.first ?? Number.NaN),
    rawTurnAfterMs: round(rawTurn ? rawTurn.to - rawAt : 0),
    heapUsedMb: round(causes.heapUsedMb),
    long,
  };
}

function printLaunch(run: number, result: Launch) {
  process.stderr.write(
    `run ${run} ${result.root}: raw after ${result.rawWallMs} ms (${result.rawCpuMs} ms CPU,` +
      ` its turn ran on ${result.rawTurnAfterMs} ms), first frame after ${result.firstMs} ms` +
      ` (${result.firstCpuMs} ms CPU),` +
      ` lists after ${result.listsMs} ms\n`,
  );
  for (const turn of result.long) {
    process.stderr.write(
      `  ${turn.phase.padEnd(8)} wall ${`${turn.wall}`.padStart(6)} cpu ${`${turn.cpu}`.padStart(6)}` +
        ` paused ${turn.paused}  gc ${turn.collectorMs} [${turn.collections}]` +
        `${turn.gap === undefined ? '' : `  no sample for ${turn.gap}`}\n` +
        (turn.top ? `      ${turn.top}\n` : ''),
    );
  }
  process.stdout.write(`${JSON.stringify({ run, ...result })}\n`);
}

const [runsArg = '5', dir = join('bench-out', 'large'), ...rootArgs] = process.argv.slice(2);
const warm = process.env.NETPOL_BENCH_WARM === '1';
const roots = rootArgs.length > 0 ? rootArgs.map((root) => resolve(root)) : [THIS_BUILD];
const results = new Map<string, Launch[]>(roots.map((root) => [root, []]));
const stalls = stallWatch();
try {
  for (let run = 1; run <= Number(runsArg); run++) {
    for (const root of roots) {
      const cache = mkdtempSync(join(tmpdir(), 'netpol-turn-causes-cache-'));
      // Warm: a first launch, not measured, fills the manifest cache the measured one reads.
      if (warm) await launch(root, resolve(dir), cache, stalls);
      const result = await launch(root, resolve(dir), cache, stalls).finally(() =>
        rmSync(cache, { recursive: true, force: true }),
      );
      results.get(root)?.push(result);
      printLaunch(run, result);
    }
  }
} finally {
  stalls.stop();
}
for (const [root, launches] of results) {
  const summary: Record<string, unknown> = { root, runs: launches.length };
  for (const phase of PHASES) {
    for (const measure of ['wall', 'cpu'] as const) {
      const values = launches.map((l) => l.longest[phase][measure]);
      summary[`${phase} ${measure} median/worst`] =
        `${round(percentile(values, 50))}/${round(Math.max(...values))}`;
    }
  }
  summary.turnsOver50 = launches.map((l) => l.long.length);
  for (const key of ['rawTurnAfterMs', 'firstMs', 'firstCpuMs'] as const)
    summary[`${key}Median`] = round(
      percentile(
        launches.map((l) => l[key]),
        50,
      ),
    );
  summary.listsMsMedian = round(
    percentile(
      launches.map((l) => l.listsMs),
      50,
    ),
  );
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}
