/**
 * Loaded with `node --import` into `kubectl netpol -f DIR` by tui-latency.ts: it samples the UI
 * thread's event loop from start-up until the frame that lists the namespaces has been written
 * (that frame's own turn included) and writes to the file named by NETPOL_BENCH_TURNS_FILE, in
 * ms, the longest turn and the most CPU time the thread spent in one turn once the terminal went
 * raw (the turn it went raw in counted from then: keys typed from then on are the UI's to read
 * and wait for these turns), then the same before it went raw (start-up: keys typed then are the
 * terminal's to echo and keep, and ctrl-c is a signal). The program itself is not changed.
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { LongestTurns, type Reading } from './longest-turns.js';
import { whenRaw } from './raw-mode.js';

/** How often the loop is sampled: a turn shows as the gap between two samples. */
const SAMPLE_MS = 1;

const file = process.env.NETPOL_BENCH_TURNS_FILE;
if (file) {
  const reading = (): Reading => {
    const { user, system } = process.threadCpuUsage();
    return { wall: performance.now(), cpu: (user + system) / 1000 };
  };
  const turns = new LongestTurns(reading(), SAMPLE_MS);
  whenRaw(() => turns.mark(reading()));
  let framed = false;
  // A timer that runs between turns, as perf_hooks' monitorEventLoopDelay's does: its gaps are
  // the turns (wall time, and the UI thread's CPU time in them); the one after the frame was
  // written holds that frame's turn.
  const sampler = setInterval(() => {
    turns.turnEnded(reading());
    if (!framed) return;
    clearInterval(sampler);
    const { after, before } = turns;
    const figures = [after.wall, after.cpu, before.wall, before.cpu];
    writeFileSync(file, `${figures.map((ms) => ms.toFixed(1)).join(' ')}\n`);
  }, SAMPLE_MS);
  sampler.unref();
  const write = process.stdout.write.bind(process.stdout) as (...args: unknown[]) => boolean;
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (!framed && String(chunk).includes('Namespaces (')) framed = true;
    return write(chunk, ...rest);
  }) as typeof process.stdout.write;
}
