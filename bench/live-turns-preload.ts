/**
 * Loaded with `node --import` into the live TUI by live-tui-turns.ts: samples the UI thread's
 * event loop (a 1 ms timer: each gap is a turn) in phases the frames mark, and at exit writes
 * to NETPOL_BENCH_TURNS_FILE, per phase, the longest turn's wall and the UI thread's CPU time in
 * it (the longest of each), and, per phase start, the ms since start-up (wall, process CPU).
 * Phases: start-up until the first frame; the first frame until the lists' frame ("Namespaces ("),
 * that frame's turn included; then until `r` reloads ("reloading"); the reload until "reloaded";
 * then until exit. The program itself is not changed.
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** Each phase, and the text in a frame that starts the next one. */
const PHASES = [
  { name: 'startup', next: 'kubectl netpol' },
  { name: 'load', next: 'Namespaces (' },
  { name: 'lists', next: 'reloading' },
  { name: 'reload', next: 'reloaded' },
  { name: 'settle', next: undefined },
] as const;

const file = process.env.NETPOL_BENCH_TURNS_FILE;
if (file) {
  const threadCpu = () => {
    const { user, system } = process.threadCpuUsage();
    return (user + system) / 1000;
  };
  const processCpu = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  const longest: Record<string, { wall: number; cpu: number }> = {};
  const starts: Record<string, { wall: number; cpu: number }> = {};
  let phase = 0;
  let nextSeen = false;
  let last = performance.now();
  let lastCpu = threadCpu();
  setInterval(() => {
    const now = performance.now();
    const cpu = threadCpu();
    const name = PHASES[phase]?.name ?? 'settle';
    const worst = longest[name] ?? { wall: 0, cpu: 0 };
    longest[name] = {
      wall: Math.max(worst.wall, now - last - 1),
      cpu: Math.max(worst.cpu, cpu - lastCpu),
    };
    last = now;
    lastCpu = cpu;
    // The turn that wrote the next phase's frame counted in the phase before it.
    if (!nextSeen) return;
    nextSeen = false;
    phase++;
    starts[PHASES[phase]?.name ?? 'settle'] = { wall: now, cpu: processCpu() };
  }, 1).unref();
  process.on('exit', () => writeFileSync(file, JSON.stringify({ longest, starts })));
  const write = process.stdout.write.bind(process.stdout) as (...args: unknown[]) => boolean;
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
    const next = PHASES[phase]?.next;
    if (next && String(chunk).includes(next)) nextSeen = true;
    return write(chunk, ...rest);
  }) as typeof process.stdout.write;
}
