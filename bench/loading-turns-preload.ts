/**
 * Loaded with `node --import` into `kubectl netpol -f DIR` by tui-latency.ts: it samples the UI
 * thread's event loop from start-up until the frame that lists the namespaces has been written
 * (that frame's own turn included), and writes the longest turn, in ms, and the most CPU time
 * the thread spent in one turn, to the file named by NETPOL_BENCH_TURNS_FILE. The program itself
 * is not changed.
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** How often the loop is sampled: a turn shows as the gap between two samples. */
const SAMPLE_MS = 1;

const file = process.env.NETPOL_BENCH_TURNS_FILE;
if (file) {
  const cpuMs = () => {
    const { user, system } = process.threadCpuUsage();
    return (user + system) / 1000;
  };
  let last = performance.now();
  let lastCpu = cpuMs();
  let longest = 0;
  let longestCpu = 0;
  let framed = false;
  // A timer that runs between turns, as perf_hooks' monitorEventLoopDelay's does: its gaps are
  // the turns (wall time, and the UI thread's CPU time in them); the one after the frame was
  // written holds that frame's turn.
  const sampler = setInterval(() => {
    const now = performance.now();
    const cpu = cpuMs();
    longest = Math.max(longest, now - last - SAMPLE_MS);
    longestCpu = Math.max(longestCpu, cpu - lastCpu);
    last = now;
    lastCpu = cpu;
    if (!framed) return;
    clearInterval(sampler);
    writeFileSync(file, `${longest.toFixed(1)} ${longestCpu.toFixed(1)}\n`);
  }, SAMPLE_MS);
  sampler.unref();
  const write = process.stdout.write.bind(process.stdout) as (...args: unknown[]) => boolean;
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (!framed && String(chunk).includes('Namespaces (')) framed = true;
    return write(chunk, ...rest);
  }) as typeof process.stdout.write;
}
