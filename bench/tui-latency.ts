import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Instance } from 'ink';
import type { LoadedInput } from '../src/io/normalize/loaded-input.js';
import type { Analyst } from '../src/ui/analyst/analyst.js';
import type { SnapshotSource } from '../src/ui/sources.js';
import { measureInChild } from './child.js';
import { emptyCacheDir } from './cli-runs.js';
import { percentile, round } from './stats.js';
import { CLUSTER_SIZES, generateCluster } from './synthetic-cluster.js';
import { writeManifests } from './write-manifests.js';

/** The one JSON line this benchmark prints, in this key order. */
export interface TuiLatency {
  readonly size: 'tui-large';
  readonly pods: number;
  /**
   * `kubectl netpol -f DIR` on the large cluster's manifests, as a user launches it: a whole
   * process (bin/kubectl-netpol) in a pseudo-terminal of 80x24 (util-linux `script`), from its
   * spawn until its output first holds any frame (the header's "kubectl netpol"; while the
   * files are read, the loading screen). Median of FIRST_FRAME_RUNS launches.
   */
  readonly anyFrameFromFilesMs: number;
  /**
   * The same launches, from spawn until the output first holds the namespaces list's title
   * ("Namespaces ("): the files read, parsed and normalised, the namespaces listed. Median.
   */
  readonly firstFrameFromFilesMs: number;
  /** anyFrameFromFilesMs and firstFrameFromFilesMs with a manifest cache a first launch filled. */
  readonly anyFrameFromFilesWarmMs: number;
  readonly firstFrameFromFilesWarmMs: number;
  /**
   * The longest turn of the UI's event loop in those launches (keys and frames wait that long
   * at most), from when the terminal went raw (the rest of the turn it went raw in included)
   * until the namespaces list's frame was written, that frame's turn included: sampled in the
   * process by loading-turns-preload.ts. Median of the launches, and the worst launch.
   */
  readonly longestTurnUntilNamespacesMs: number;
  readonly longestTurnUntilNamespacesMaxMs: number;
  /**
   * The UI thread's CPU time in the longest of those turns (a turn's wall time also counts the
   * time other processes held the cores): median of the launches, and the worst launch. A pause
   * of the whole machine (see stallWatch) is not left out here.
   */
  readonly longestTurnCpuUntilNamespacesMs: number;
  readonly longestTurnCpuUntilNamespacesMaxMs: number;
  /** longestTurnCpuUntilNamespacesMs and its worst launch with a manifest cache a first launch filled. */
  readonly longestTurnCpuUntilNamespacesWarmMs: number;
  readonly longestTurnCpuUntilNamespacesWarmMaxMs: number;
  /**
   * The longest turn before the terminal went raw, wall and CPU, median of the launches: the
   * start-up (the program's modules evaluated, the loading screen rendered off screen), one turn
   * on purpose (src/ui/run.tsx). No key waits on it: a key typed then is the terminal's to echo
   * and keep, read once it is raw (and, as every key typed while the snapshot loads, held until
   * the lists show), and ctrl-c is a signal that ends the process at once. It delays the first
   * frame.
   */
  readonly startUpTurnMs: number;
  readonly startUpTurnCpuMs: number;
  readonly enterAfterFirstFrameMs: number;
  /** From that enter until the pods list shows every row (the analyst's rows came). */
  readonly rowsAfterFirstFrameMs: number;
  /**
   * The longest turn of the UI's event loop (keys wait that long at most) from the first frame
   * until the rows show: the event loop's delay as perf_hooks' monitorEventLoopDelay sees it
   * (its maximum, at 5 ms resolution). This is when the snapshot is serialised for the workers
   * and the rows answer comes back.
   */
  readonly longestTurnUntilRowsMs: number;
  /**
   * j and k pressed one after the other (50 ms apart) from when the rows show until the audit
   * (in its worker) has answered: each key's time to its frame, and how many keys that was.
   */
  readonly moveDuringAuditP50Ms: number;
  readonly moveDuringAuditP99Ms: number;
  readonly movesDuringAudit: number;
  /** The longest turn of the UI's event loop while the audit ran (as longestTurnUntilRowsMs). */
  readonly longestTurnDuringAuditMs: number;
  readonly moveP50Ms: number;
  readonly moveP99Ms: number;
  readonly filterP50Ms: number;
  readonly filterP99Ms: number;
  readonly detailP50Ms: number;
  readonly detailP99Ms: number;
  /** A traffic check's keys' waits until its verdict: the first check, then the median of the rest. */
  readonly checkFirstMs: number;
  readonly checkP50Ms: number;
  /** The longest turn of the UI's event loop over the whole key sequence, audit included. */
  readonly longestTurnMs: number;
  /**
   * The UI thread's CPU time in its longest turn (see turnCpuMonitor), until the rows, while the
   * audit ran, over the whole key sequence: what the longest turns would be on an idle machine,
   * where the wall-clock figures above also count the time other processes held the cores. The
   * machine's own pauses are left out (see stallWatch).
   */
  readonly longestTurnCpuUntilRowsMs: number;
  readonly longestTurnCpuDuringAuditMs: number;
  readonly longestTurnCpuMs: number;
  /** The most CPU time a pause of the whole machine added to one UI turn, left out above (0: none). */
  readonly machinePauseInTurnMs: number;
}

/** Launches of the CLI for firstFrameFromFilesMs. */
const FIRST_FRAME_RUNS = 5;
/** The command a user runs, as npm installs it. */
const CLI = fileURLToPath(new URL('../../bin/kubectl-netpol', import.meta.url));
/** Measures the launched CLI's longest turn until the namespaces show. */
const TURNS_PRELOAD = new URL('./loading-turns-preload.js', import.meta.url).href;

const COLUMNS = 80;
const ROWS = 24;
/**
 * Pause between a frame and the next key. Ink draws at most MAX_FPS frames a second (a leading
 * and trailing throttle), so keys sent faster than that would measure the throttle rather than
 * the work a key causes; 50 ms is still faster than a person types.
 */
const KEY_GAP_MS = 50;
const FRAME_TIMEOUT_MS = 10_000;

const KEYS = {
  enter: '\r',
  esc: '\u001b',
  backspace: '\u007f',
  tab: '\t',
  pageDown: '\u001b[6~',
} as const;

const progress = (message: string) => process.stderr.write(`  tui: ${message}\n`);

/** A terminal of a fixed size that keeps the text written to it since the last key. */
class FakeStdout extends EventEmitter {
  readonly isTTY = true;
  readonly writable = true;
  readonly columns = COLUMNS;
  readonly rows = ROWS;
  written = '';
  write = (chunk: string | Uint8Array): boolean => {
    this.written += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  };
}

/** A keyboard: each write is one chunk, read by ink on 'readable' as a tty's would be. */
class FakeStdin extends EventEmitter {
  readonly isTTY = true;
  private pending: string[] = [];
  write(data: string): void {
    this.pending.push(data);
    this.emit('readable');
  }
  read = (): string | null => this.pending.shift() ?? null;
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

/** The large synthetic cluster as the UI's snapshot source. */
async function largeSource(): Promise<SnapshotSource> {
  const { normalizeObjects } = await import('../src/io/normalize/normalize.js');
  const objects = generateCluster(CLUSTER_SIZES.large);
  const location = { file: 'synthetic large' };
  const { findings, ...normalized } = normalizeObjects(
    objects.map((object, i) => ({ object, location: { ...location, item: i + 1 } })),
  );
  const initial: LoadedInput = { ...normalized, findings, description: 'synthetic large' };
  return { initial, name: 'synthetic large', reload: async () => initial };
}

/**
 * One launch of `kubectl netpol -f DIR`, in ms: any frame, the namespaces' frame, the longest
 * turn from when the terminal went raw until that frame, and the longest before it went raw.
 */
interface Launch {
  readonly anyFrameMs: number;
  readonly namespacesMs: number;
  readonly longestTurnMs: number;
  /** The UI thread's CPU time in its longest turn until then. */
  readonly longestTurnCpuMs: number;
  readonly startUpTurnMs: number;
  readonly startUpTurnCpuMs: number;
}

/**
 * Launches `kubectl netpol -f DIR` in an 80x24 pseudo-terminal and times its first frame and the
 * frame that lists the namespaces; ctrl-c then quits it. Its manifest cache is `cacheDir`, else
 * an empty one (a first launch).
 */
async function launchFromFiles(dir: string, cacheDir?: string): Promise<Launch> {
  const cache = cacheDir ?? emptyCacheDir();
  try {
    return await launchWithCache(dir, cache);
  } finally {
    if (!cacheDir) rmSync(cache, { recursive: true, force: true });
  }
}

function launchWithCache(dir: string, cacheDir: string): Promise<Launch> {
  const turnsDir = mkdtempSync(join(tmpdir(), 'netpol-turns-'));
  const turnsFile = join(turnsDir, 'longest-turn');
  // `script` runs the command with the shell; the paths are quoted for it.
  const quoted = [process.execPath, '--import', TURNS_PRELOAD, CLI, '-f', dir]
    .map((word) => `'${word}'`)
    .join(' ');
  const command = `stty cols ${COLUMNS} rows ${ROWS}; exec ${quoted}`;
  return new Promise<Launch>((resolve, reject) => {
    const start = performance.now();
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      stdio: ['pipe', 'pipe', 'ignore'],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        NETPOL_BENCH_TURNS_FILE: turnsFile,
        KUBECACHEDIR: cacheDir,
      },
    });
    let written = '';
    let anyFrameMs: number | undefined;
    let namespacesMs: number | undefined;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      written += chunk;
      if (anyFrameMs === undefined && written.includes('kubectl netpol')) {
        anyFrameMs = performance.now() - start;
      }
      if (namespacesMs === undefined && written.includes('Namespaces (')) {
        namespacesMs = performance.now() - start;
        // After the turn that wrote it, so that the preload has written that turn down.
        setTimeout(() => child.stdin.write('\u0003'), 50);
      }
    });
    child.on('error', reject);
    child.on('close', () => {
      const [longest, longestCpu, startUp, startUpCpu] = existsSync(turnsFile)
        ? readFileSync(turnsFile, 'utf8').trim().split(' ').map(Number)
        : [];
      if (
        anyFrameMs === undefined ||
        namespacesMs === undefined ||
        longest === undefined ||
        longestCpu === undefined ||
        startUp === undefined ||
        startUpCpu === undefined
      ) {
        reject(new Error(`kubectl netpol -f ${dir} ended without a frame:\n${written}`));
      } else
        resolve({
          anyFrameMs,
          namespacesMs,
          longestTurnMs: longest,
          longestTurnCpuMs: longestCpu,
          startUpTurnMs: startUp,
          startUpTurnCpuMs: startUpCpu,
        });
    });
  }).finally(() => rmSync(turnsDir, { recursive: true, force: true }));
}

/** The longest turn of the event loop since the histogram was last reset, then resets it. */
function longestTurn(loop: ReturnType<typeof monitorEventLoopDelay>): number {
  const ms = loop.max / 1e6;
  loop.reset();
  return ms;
}

/** How often turnCpuMonitor looks at the UI thread's CPU time: once per turn of the event loop. */
const CPU_TICK_MS = 1;

/** A wake-up this late (in ns) is a pause of the whole machine, not a wait for a core. */
const STALL_NS = 40_000_000n;
/** How many of the latest machine pauses the watcher keeps. */
const STALL_SLOTS = 64;

/**
 * A worker thread that wakes every millisecond and writes down, into shared memory, each time it
 * woke more than STALL_NS late: [count, then (start, end) pairs in hrtime ns, a ring].
 */
const STALL_WATCHER = `
const { workerData } = require('node:worker_threads');
const ring = new BigInt64Array(workerData);
let last = process.hrtime.bigint();
setInterval(() => {
  const now = process.hrtime.bigint();
  if (now - last > ${STALL_NS}n) {
    const slot = Number(Atomics.add(ring, 0, 1n)) % ${STALL_SLOTS};
    Atomics.store(ring, 1 + 2 * slot, last);
    Atomics.store(ring, 2 + 2 * slot, now);
  }
  last = now;
}, 1);
`;

/**
 * The machine's pauses. This machine is a virtual one whose host pauses its CPUs at times, for
 * about 100 ms (a CPU quota's period), and its kernel reports no steal time: the pause counts as
 * CPU time of whichever thread was on a paused CPU, although that thread ran nothing (a V8 CPU
 * profile has no sample in it, and a thread that only reads the clock sees 100 ms go by in one
 * step, charged to it). A sleeping thread that wakes every millisecond sees such a pause as one
 * very late wake-up; a busy core delays it far less. It sees only pauses of the whole machine: a
 * pause of the one virtual CPU the UI's thread was on, while the watcher woke on the other, still
 * counts (seen once in 10 runs). `overlap(from, to)` is how much of that interval (hrtime ns)
 * the machine was paused, in ms.
 */
export function stallWatch() {
  const ring = new BigInt64Array(new SharedArrayBuffer(8 * (1 + 2 * STALL_SLOTS)));
  const watcher = new Worker(STALL_WATCHER, { eval: true, workerData: ring.buffer });
  watcher.unref();
  return {
    overlap(from: bigint, to: bigint): number {
      const count = Math.min(Number(Atomics.load(ring, 0)), STALL_SLOTS);
      let ns = 0n;
      for (let slot = 0; slot < count; slot++) {
        const start = Atomics.load(ring, 1 + 2 * slot);
        const end = Atomics.load(ring, 2 + 2 * slot);
        const overlap = (end < to ? end : to) - (start > from ? start : from);
        if (overlap > 0n) ns += overlap;
      }
      return Number(ns) / 1e6;
    },
    stop: () => void watcher.terminate(),
  };
}

/** Turns of less CPU time than this (ms) are never the longest: they are not kept. */
const SHORT_TURN_MS = 2;

/**
 * The UI thread's CPU time per turn of its event loop: a 1 ms timer fires once in each turn (the
 * timers phase), so the thread's CPU time between two of its calls is what one turn's callbacks
 * took, however long the thread waited for a core meanwhile, less any pause of the whole machine
 * in it (see stallWatch), which is no work of the UI's. The pauses are looked up when asked, not
 * as each turn ends: after a pause the watcher may wake after the UI's thread. `longest()` gives
 * the maximum since it was last asked, then starts again; `longestStall()` the most CPU time a
 * pause added to a turn, over the whole run.
 */
function turnCpuMonitor() {
  const cpuMs = () => {
    const { user, system } = process.threadCpuUsage();
    return (user + system) / 1000;
  };
  const stalls = stallWatch();
  let last = cpuMs();
  let lastAt = process.hrtime.bigint();
  let turns: { from: bigint; to: bigint; cpu: number }[] = [];
  let maxStall = 0;
  const timer = setInterval(() => {
    const now = cpuMs();
    const at = process.hrtime.bigint();
    if (now - last >= SHORT_TURN_MS) turns.push({ from: lastAt, to: at, cpu: now - last });
    last = now;
    lastAt = at;
  }, CPU_TICK_MS);
  return {
    longest(): number {
      let max = 0;
      for (const { from, to, cpu } of turns) {
        const paused = Math.min(cpu, stalls.overlap(from, to));
        max = Math.max(max, cpu - paused);
        maxStall = Math.max(maxStall, paused);
      }
      turns = [];
      return max;
    },
    longestStall: () => maxStall,
    stop: () => {
      clearInterval(timer);
      stalls.stop();
    },
  };
}

/** Drives the App through a fake terminal, timing each key from stdin to the rendered frame. */
class Driver {
  readonly stdout = new FakeStdout();
  readonly stdin = new FakeStdin();
  private waiting: (() => void) | undefined;
  private app: Instance | undefined;
  private analyst: Analyst | undefined;
  /** Whether the audit asked about the snapshot is still being answered. */
  auditing = false;

  /**
   * Renders the App as `kubectl netpol` does (src/ui/run.tsx: same throttle, alternate screen)
   * and resolves with the milliseconds until its first frame was written. ink, React and the UI
   * are imported here, so that bench/run.ts can import this module without loading them.
   */
  async start(source: SnapshotSource): Promise<number> {
    const [{ render }, { createElement }, { App }, { workerAnalyst }, { MAX_FPS }] =
      await Promise.all([
        import('ink'),
        import('react'),
        import('../src/ui/components/App.js'),
        import('../src/ui/analyst/worker-analyst.js'),
        import('../src/ui/frame-rate.js'),
      ]);
    const start = performance.now();
    const analyst = workerAnalyst();
    this.analyst = analyst;
    const watched: Analyst = {
      ...analyst,
      ask: (snapshot, question) => {
        const job = analyst.ask(snapshot, question);
        if (question.kind === 'audit') {
          this.auditing = true;
          const done = () => {
            this.auditing = false;
          };
          job.answer.then(done, done);
        }
        return job;
      },
    };
    const props = { source, color: true, clock: () => new Date(0), analyst: watched };
    this.app = render(createElement(App, props), {
      stdout: this.stdout as unknown as NodeJS.WriteStream,
      stderr: new FakeStdout() as unknown as NodeJS.WriteStream,
      stdin: this.stdin as unknown as NodeJS.ReadStream,
      interactive: true,
      exitOnCtrlC: false,
      patchConsole: false,
      alternateScreen: true,
      maxFps: MAX_FPS,
      onRender: () => {
        const resolve = this.waiting;
        this.waiting = undefined;
        resolve?.();
      },
    });
    if (!this.stdout.written.includes('Namespaces (')) await this.nextFrame('start');
    return performance.now() - start;
  }

  /** Resolves with the milliseconds until a frame shows `text` (at once if the last did). */
  async until(text: string): Promise<number> {
    const start = performance.now();
    while (!this.stdout.written.includes(text)) await this.nextFrame(`waiting for ${text}`);
    return performance.now() - start;
  }

  /** Resolves once a frame has been rendered (and written) after now. */
  private nextFrame(what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no frame within ${FRAME_TIMEOUT_MS} ms after ${what}`)),
        FRAME_TIMEOUT_MS,
      );
      this.waiting = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /**
   * Sends one key and resolves with the milliseconds until the frame it caused was written, or
   * with `expect`, until the first frame showing that (an answer from the analyst's worker):
   * one of several texts when given several.
   */
  async press(key: string, expect?: string | string[], gapMs = KEY_GAP_MS): Promise<number> {
    const shows = () =>
      expect === undefined || [expect].flat().some((text) => this.stdout.written.includes(text));
    await sleep(gapMs);
    this.stdout.written = '';
    const what = `key ${JSON.stringify(key)}`;
    const frame = this.nextFrame(what);
    const start = performance.now();
    this.stdin.write(key);
    await frame;
    while (!shows()) {
      if (performance.now() - start > FRAME_TIMEOUT_MS) break;
      await this.nextFrame(what);
    }
    const ms = performance.now() - start;
    if (!shows()) {
      throw new Error(
        `after key ${JSON.stringify(key)} the frame lacks ${JSON.stringify(expect)}:\n${this.stdout.written}`,
      );
    }
    return ms;
  }

  stop(): void {
    this.app?.unmount();
    this.app?.cleanup();
    this.analyst?.close();
  }
}

/** FIRST_FRAME_RUNS launches from a manifest cache a first launch filled. */
async function launchesFromCache(dir: string): Promise<Launch[]> {
  const cache = emptyCacheDir();
  try {
    await launchFromFiles(dir, cache);
    const launches: Launch[] = [];
    for (let i = 0; i < FIRST_FRAME_RUNS; i++) launches.push(await launchFromFiles(dir, cache));
    return launches;
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}

/** Runs the key sequence on the large cluster and returns the latencies; `dir` holds its manifests. */
export async function measureTuiLatency(dir: string): Promise<TuiLatency> {
  const launches: Launch[] = [];
  for (let i = 0; i < FIRST_FRAME_RUNS; i++) launches.push(await launchFromFiles(dir));
  type Pick = (launch: Launch) => number;
  const figures = (pick: Pick, of = launches) => of.map(pick).map(round).join(', ');
  const median = (pick: Pick, of = launches) => round(percentile(of.map(pick), 50));
  const worst = (pick: Pick, of = launches) => round(Math.max(...of.map(pick)));
  progress(
    `kubectl netpol -f ${dir}: any frame after ${figures((l) => l.anyFrameMs)} ms, the namespaces after ${figures((l) => l.namespacesMs)} ms; ` +
      `longest turn from the terminal going raw until then ${figures((l) => l.longestTurnMs)} ms (CPU ${figures((l) => l.longestTurnCpuMs)} ms); ` +
      `before it went raw (start-up) ${figures((l) => l.startUpTurnMs)} ms (CPU ${figures((l) => l.startUpTurnCpuMs)} ms)`,
  );
  const warmLaunches = await launchesFromCache(dir);
  progress(
    `the same from a filled manifest cache: the namespaces after ${figures((l) => l.namespacesMs, warmLaunches)} ms; ` +
      `longest turn from the terminal going raw until then ${figures((l) => l.longestTurnMs, warmLaunches)} ms (CPU ${figures((l) => l.longestTurnCpuMs, warmLaunches)} ms)`,
  );

  progress('generating and normalising the large cluster');
  const source = await largeSource();
  const pods = source.initial.cluster.pods.length;
  const driver = new Driver();
  const loop = monitorEventLoopDelay({ resolution: 5 });
  let cpu: ReturnType<typeof turnCpuMonitor> | undefined;
  try {
    progress(
      `first frame (the namespaces counted, drawn) after ${round(await driver.start(source))} ms`,
    );
    loop.enable();
    cpu = turnCpuMonitor();

    // "(all namespaces)" is the first row: open the pods of every namespace, at once, while the
    // work that follows a snapshot (the analyst's rows, the audit) is under way. The key's frame
    // comes first; the rows fill in when the analyst has them.
    const openMs = await driver.press(KEYS.enter, 'Pods (', 0);
    const rowsMs = openMs + (await driver.until(`Pods (${pods})`));
    const untilRows = longestTurn(loop);
    const untilRowsCpu = cpu.longest();
    progress(
      `pods list opened in ${round(openMs)} ms (enter sent with the first frame), its ${pods} rows after ${round(rowsMs)} ms; longest turn meanwhile ${round(untilRows)} ms (${round(untilRowsCpu)} ms CPU)`,
    );

    const duringAudit: number[] = [];
    while (driver.auditing)
      duringAudit.push(await driver.press(duringAudit.length % 2 ? 'k' : 'j'));
    const auditTurn = longestTurn(loop);
    const auditTurnCpu = cpu.longest();
    progress(
      `while the audit ran: ${duringAudit.length} moves, slowest ${round(Math.max(0, ...duringAudit))} ms; longest turn ${round(auditTurn)} ms (${round(auditTurnCpu)} ms CPU)`,
    );

    const move: number[] = [];
    for (let i = 0; i < 50; i++) move.push(await driver.press('j'));
    for (let i = 0; i < 50; i++) move.push(await driver.press('k'));

    // Four characters narrow the list step by step, four backspaces widen it back.
    const filter: number[] = [];
    const filterKeys: string[] = [];
    for (const text of ['prod', 'api-', 'db-0', 'kube']) {
      await driver.press('/');
      for (let i = 1; i <= text.length; i++) {
        filter.push(await driver.press(text[i - 1] as string));
        filterKeys.push(`/${text.slice(0, i)}`);
      }
      for (let i = text.length - 1; i >= 0; i--) {
        filter.push(await driver.press(KEYS.backspace));
        filterKeys.push(`/${text.slice(0, i)}`);
      }
      await driver.press(KEYS.esc);
    }
    const slowest = filter
      .map((ms, i) => `${filterKeys[i]} ${round(ms)} ms`)
      .filter((_, i) => (filter[i] as number) >= percentile(filter, 95));
    progress(`filter: slowest keys ${slowest.join(', ')}`);

    const detail: number[] = [];
    const back: number[] = [];
    for (let i = 0; i < 20; i++) {
      await driver.press(KEYS.pageDown);
      // The pod's audit findings, if it has any, come before its labels.
      detail.push(await driver.press(KEYS.enter, ['  labels: ', 'Audit findings (a: ']));
      back.push(await driver.press(KEYS.esc, 'Pods ('));
    }
    progress(
      `detail: first ${round(detail[0] as number)} ms (the analyst's worker answers; it built the peer index when the snapshot came), ` +
        `the other ${detail.length - 1} p50 ${round(percentile(detail.slice(1), 50))} ms ` +
        `max ${round(Math.max(...detail.slice(1)))} ms; ` +
        `esc back p50 ${round(percentile(back, 50))} ms (includes ink's 20 ms wait for a lone ESC)`,
    );

    // The traffic check from the pod under the cursor to a few others, on port 80: the time its
    // keys wait (c, the destination, tab, which completes it, the port, enter) until the verdict.
    const check: number[] = [];
    const checkKeys: number[] = [];
    for (const destination of source.initial.cluster.pods.slice(0, 5)) {
      const keys = [
        await driver.press('c', 'Traffic check'),
        await driver.press(destination.id),
        await driver.press(KEYS.tab),
        await driver.press('80'),
        await driver.press(KEYS.enter, ['ALLOWED', 'DENIED', 'UNKNOWN', 'error:']),
      ];
      checkKeys.push(...keys);
      check.push(keys.reduce((sum, ms) => sum + ms, 0));
      await driver.press(KEYS.esc, 'Pods (');
    }
    progress(
      `check: keys until the verdict ${check.map(round).join(', ')} ms; slowest key ${round(Math.max(...checkKeys))} ms`,
    );

    const restTurn = longestTurn(loop);
    const restTurnCpu = cpu.longest();
    return {
      size: 'tui-large',
      pods,
      anyFrameFromFilesMs: median((l) => l.anyFrameMs),
      firstFrameFromFilesMs: median((l) => l.namespacesMs),
      anyFrameFromFilesWarmMs: median((l) => l.anyFrameMs, warmLaunches),
      firstFrameFromFilesWarmMs: median((l) => l.namespacesMs, warmLaunches),
      longestTurnUntilNamespacesMs: median((l) => l.longestTurnMs),
      longestTurnUntilNamespacesMaxMs: worst((l) => l.longestTurnMs),
      longestTurnCpuUntilNamespacesMs: median((l) => l.longestTurnCpuMs),
      longestTurnCpuUntilNamespacesMaxMs: worst((l) => l.longestTurnCpuMs),
      longestTurnCpuUntilNamespacesWarmMs: median((l) => l.longestTurnCpuMs, warmLaunches),
      longestTurnCpuUntilNamespacesWarmMaxMs: worst((l) => l.longestTurnCpuMs, warmLaunches),
      startUpTurnMs: median((l) => l.startUpTurnMs),
      startUpTurnCpuMs: median((l) => l.startUpTurnCpuMs),
      enterAfterFirstFrameMs: round(openMs),
      rowsAfterFirstFrameMs: round(rowsMs),
      longestTurnUntilRowsMs: round(untilRows),
      moveDuringAuditP50Ms: round(percentile(duringAudit, 50)),
      moveDuringAuditP99Ms: round(percentile(duringAudit, 99)),
      movesDuringAudit: duringAudit.length,
      longestTurnDuringAuditMs: round(auditTurn),
      moveP50Ms: round(percentile(move, 50)),
      moveP99Ms: round(percentile(move, 99)),
      filterP50Ms: round(percentile(filter, 50)),
      filterP99Ms: round(percentile(filter, 99)),
      detailP50Ms: round(percentile(detail, 50)),
      detailP99Ms: round(percentile(detail, 99)),
      checkFirstMs: round(check[0] as number),
      checkP50Ms: round(percentile(check.slice(1), 50)),
      longestTurnMs: round(Math.max(untilRows, auditTurn, restTurn)),
      longestTurnCpuUntilRowsMs: round(untilRowsCpu),
      longestTurnCpuDuringAuditMs: round(auditTurnCpu),
      longestTurnCpuMs: round(Math.max(untilRowsCpu, auditTurnCpu, restTurnCpu)),
      machinePauseInTurnMs: round(cpu.longestStall()),
    };
  } finally {
    cpu?.stop();
    loop.disable();
    driver.stop();
  }
}

const SCRIPT = fileURLToPath(import.meta.url);

/**
 * Runs the measurement in a fresh process (so earlier sizes' heaps do not weigh on it); `dir`
 * holds the large cluster's manifests.
 */
export function measureTuiLatencyInChild(dir: string): Promise<string> {
  // As bin/kubectl-netpol runs it: React's production build. ink's cursor handling writes
  // "show cursor" to the real stderr at exit, though it drew on the fake terminal: drop it.
  return measureInChild(
    'the TUI',
    SCRIPT,
    [dir],
    { ...process.env, NODE_ENV: 'production' },
    (text) => text.replaceAll('\u001b[?25h', ''),
  );
}

if (process.argv[1] === SCRIPT) {
  // Run alone, it writes the large cluster's manifests where `npm run bench` does.
  const dir = process.argv[2] ?? join('bench-out', 'large');
  if (!existsSync(dir)) await writeManifests(generateCluster(CLUSTER_SIZES.large), dir);
  process.stdout.write(`${JSON.stringify(await measureTuiLatency(dir))}\n`);
  process.exit(0);
}
