import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** This process's threads that Node runs workers on: id and nice value (/proc, Linux). */
export function workerThreads(): Map<string, number> {
  const threads = new Map<string, number>();
  for (const id of readdirSync('/proc/self/task')) {
    try {
      if (readFileSync(`/proc/self/task/${id}/comm`, 'utf8').trim() !== 'WorkerThread') continue;
      threads.set(id, niceOf(id));
    } catch {
      // The thread ended meanwhile.
    }
  }
  return threads;
}

/** A thread's nice value: field 19 of its stat line, counted after the command's parenthesis. */
export function niceOf(thread: string): number {
  const stat = readFileSync(`/proc/self/task/${thread}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

/** The calling thread's id (its /proc/thread-self). */
export function ownThread(): string {
  return readlinkSync('/proc/thread-self').split('/').pop() as string;
}
