/**
 * Loaded with `node --import` into `kubectl netpol` by tui-turn-causes.ts: writes down each turn
 * of the UI thread's event loop that took TURN_MS or more (wall or the thread's CPU time), every
 * garbage collection of the thread (perf_hooks' 'gc' entries: kind and wall time), the frames
 * that mark the phases, and with NETPOL_BENCH_CAUSES_PROFILE=1 the functions V8's sampling
 * profiler saw in each of those turns (their own time, named through the bundle's source map).
 * At exit it writes all of it as JSON to NETPOL_BENCH_CAUSES_FILE. Times are ms on the
 * monotonic clock (process.hrtime), which the launching process shares. The program itself is
 * not changed.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { type Profiler, type Runtime, Session } from 'node:inspector';
import { findSourceMap, SourceMap, type SourceMapping } from 'node:module';
import { constants, PerformanceObserver, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { whenRaw } from './raw-mode.js';

/** Turns shorter than this, wall and CPU, are not kept (ms). */
const TURN_MS = 20;
/** The profiler's sampling interval (µs): a 20 ms turn gets about 80 samples. */
const SAMPLE_US = 250;
/** How many of a turn's functions are named, most samples first. */
const TOP_FUNCTIONS = 6;

/** A turn of the event loop: when (monotonic ms), its wall and the thread's CPU time (ms). */
export interface Turn {
  readonly from: number;
  readonly to: number;
  readonly wall: number;
  readonly cpu: number;
  /** The functions sampled in it: "name source:line" and their sample count. */
  top?: [string, number][];
  samples?: number;
  /**
   * The longest time in it without a sample (ms). The profiler samples from a thread of its own:
   * a gap as long as the turn's CPU time means the whole virtual machine stood still (its host
   * paused it; the guest still counts that time as CPU time of the thread it interrupted).
   */
  gap?: number;
}

/** A garbage collection of the UI's thread (monotonic ms). */
export interface Collection {
  readonly start: number;
  readonly ms: number;
  readonly kind: 'minor' | 'major' | 'incremental' | 'weak callbacks';
}

/** What the preload writes. */
export interface TurnCauses {
  readonly turns: Turn[];
  readonly collections: Collection[];
  /** When each marked frame was written (monotonic ms): 'first' any frame, 'lists' the lists'. */
  readonly marks: Record<string, number>;
  /** The UI thread's CPU time (ms) when each marked frame was written. */
  readonly marksCpu: Record<string, number>;
  /**
   * When the terminal went raw (keys typed before then are echoed and edited by the terminal's
   * line discipline): ms since the process started, wall and the process's CPU time; `at` on
   * the monotonic clock, as the turns.
   */
  readonly raw?: { readonly wall: number; readonly cpu: number; readonly at: number };
  /** The thread's heap at exit (MB). */
  readonly heapUsedMb: number;
}

const KINDS: Record<number, Collection['kind']> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
};

/** Frames whose text marks a phase's end, and the mark's name. */
const MARKS = [
  ['kubectl netpol', 'first'],
  ['Namespaces (', 'lists'],
] as const;

const file = process.env.NETPOL_BENCH_CAUSES_FILE;
if (file) record(file, process.env.NETPOL_BENCH_CAUSES_PROFILE === '1');

function record(file: string, profiled: boolean) {
  const monotonicMs = () => Number(process.hrtime.bigint()) / 1e6;
  // performance.now() and entries' startTime are on the same clock, from another origin.
  const origin = monotonicMs() - performance.now();
  const cpuMs = () => {
    const { user, system } = process.threadCpuUsage();
    return (user + system) / 1000;
  };
  const turns: Turn[] = [];
  const collections: Collection[] = [];
  const marks: Record<string, number> = {};
  const marksCpu: Record<string, number> = {};
  let raw: TurnCauses['raw'];
  whenRaw(() => {
    const { user, system } = process.cpuUsage();
    raw = { wall: performance.now(), cpu: (user + system) / 1000, at: monotonicMs() };
  });
  const session = new Session();
  if (profiled) {
    session.connect();
    session.post('Profiler.enable');
    session.post('Profiler.setSamplingInterval', { interval: SAMPLE_US });
    session.post('Profiler.start');
  }
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const { detail } = entry as { detail?: { kind: number } };
      const kind = KINDS[detail?.kind ?? 0] ?? 'minor';
      collections.push({ start: origin + entry.startTime, ms: entry.duration, kind });
    }
  }).observe({ entryTypes: ['gc'] });
  // A timer that runs once a turn: the gaps between its calls are the turns.
  let last = monotonicMs();
  let lastCpu = cpuMs();
  setInterval(() => {
    const now = monotonicMs();
    const cpu = cpuMs();
    const turn = { from: last, to: now, wall: now - last - 1, cpu: cpu - lastCpu };
    if (turn.wall >= TURN_MS || turn.cpu >= TURN_MS) turns.push(turn);
    last = now;
    lastCpu = cpu;
  }, 1).unref();
  const write = process.stdout.write.bind(process.stdout) as (...args: unknown[]) => boolean;
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
    const text = String(chunk);
    for (const [frame, name] of MARKS)
      if (marks[name] === undefined && text.includes(frame)) {
        marks[name] = monotonicMs();
        marksCpu[name] = cpuMs();
      }
    return write(chunk, ...rest);
  }) as typeof process.stdout.write;
  process.on('exit', () => {
    if (profiled)
      session.post('Profiler.stop', (error, result) => {
        if (!error) nameFunctions(turns, result.profile);
      });
    const causes: TurnCauses = {
      turns,
      collections,
      marks,
      marksCpu,
      ...(raw && { raw }),
      heapUsedMb: process.memoryUsage().heapUsed / 1e6,
    };
    writeFileSync(file, JSON.stringify(causes));
  });
}

/** Adds to each turn of 40 ms or more the functions sampled in it, by their own time. */
function nameFunctions(turns: Turn[], profile: Profiler.Profile) {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const names = new Map<number, string>();
  const nameOf = (id: number) => {
    let name = names.get(id);
    if (name === undefined) {
      name = functionName(frames.get(id));
      names.set(id, name);
    }
    return name;
  };
  // Sample times are µs on the monotonic clock (V8's and libuv's clocks agree on Linux).
  let at = profile.startTime / 1000;
  const samples = (profile.samples ?? []).map((id, i) => {
    at += (profile.timeDeltas?.[i] ?? 0) / 1000;
    return { at, id };
  });
  for (const turn of turns) {
    if (turn.wall < 40 && turn.cpu < 40) continue;
    const counts = new Map<string, number>();
    let total = 0;
    let previous = turn.from;
    let gap = 0;
    for (const sample of samples) {
      if (sample.at < turn.from || sample.at > turn.to) continue;
      gap = Math.max(gap, sample.at - previous);
      previous = sample.at;
      const name = nameOf(sample.id);
      counts.set(name, (counts.get(name) ?? 0) + 1);
      total++;
    }
    turn.samples = total;
    turn.gap = Math.max(gap, turn.to - previous);
    turn.top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, TOP_FUNCTIONS);
  }
}

/** "name source:line", through the bundle's source map when it has one. */
function functionName(frame: Runtime.CallFrame | undefined): string {
  if (!frame) return '?';
  const { functionName, url, lineNumber, columnNumber } = frame;
  // Node names the mapping's function too (`name`), which @types/node leaves out.
  const mapped = sourceMapOf(url)?.findEntry(lineNumber, columnNumber) as
    | (SourceMapping & { name?: string })
    | undefined;
  if (mapped?.originalSource) {
    const source = mapped.originalSource
      .replace(/^.*node_modules\//, '')
      .replace(/^.*\/src\//, 'src/');
    return `${mapped.name ?? functionName ?? '(anonymous)'} ${source}:${mapped.originalLine + 1}`;
  }
  const where = url ? ` ${url.split('/').slice(-1)[0]}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'}${where}`;
}

const sourceMaps = new Map<string, SourceMap | undefined>();

/**
 * The source map of a module: Node's, else the `.map` file beside it (Node keeps none for the
 * bundle's chunks that were imported later).
 */
function sourceMapOf(url: string): SourceMap | undefined {
  if (!url.startsWith('file:')) return undefined;
  if (!sourceMaps.has(url)) {
    const file = `${fileURLToPath(url)}.map`;
    const map =
      findSourceMap(url) ??
      (existsSync(file) ? new SourceMap(JSON.parse(readFileSync(file, 'utf8'))) : undefined);
    sourceMaps.set(url, map);
  }
  return sourceMaps.get(url);
}
