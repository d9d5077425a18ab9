import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * How far below the UI's thread a worker thread (an analyst's, the parse worker) runs, as a
 * nice value: at 10, Linux gives a busy worker thread about a tenth of a core it shares with
 * the UI's thread (weights 110 to 1024), so a key is read and drawn at once while an audit runs
 * or a big file is parsed; a core nobody else wants is still all the worker's.
 */
export const WORKER_NICENESS = 10;

/**
 * Lowers the calling thread's scheduling priority by WORKER_NICENESS, on Linux, where each
 * thread has a nice value of its own (its id is /proc/thread-self's last part). Elsewhere a
 * priority is the whole process's, the UI's thread included, so nothing changes; nor does it
 * when /proc cannot be read.
 */
export function yieldToUiThread(): void {
  if (process.platform !== 'linux') return;
  try {
    const thread = Number(readlinkSync('/proc/thread-self').split('/').pop());
    setPriority(thread, Math.min(19, getPriority(thread) + WORKER_NICENESS));
  } catch {
    // No /proc (a sandbox): the thread keeps the UI's priority.
  }
}
