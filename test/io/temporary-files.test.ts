import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { TemporaryFiles } from '../../src/io/files/temporary-files.js';

/** A process whose exits and signals a test makes happen; it records the signals it is sent. */
class FakeProcess extends EventEmitter {
  readonly pid = 4242;
  readonly killed: string[] = [];
  kill(pid: number, signal: string) {
    expect(pid).toBe(this.pid);
    this.killed.push(signal);
  }
  listening() {
    return ['exit', 'SIGINT', 'SIGTERM', 'SIGHUP'].map((event) => this.listenerCount(event));
  }
}

function registry() {
  const process = new FakeProcess();
  const removed: string[] = [];
  const files = new TemporaryFiles(process, (path) => removed.push(path));
  return { process, removed, files };
}

describe('TemporaryFiles', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'])(
    'on %s removes every tracked file, stops listening, and re-sends the signal',
    (signal) => {
      const { process, removed, files } = registry();
      files.track('/d/.a.tmp');
      files.track('/d/.b.tmp');
      process.emit(signal, signal);
      expect(removed).toEqual(['/d/.a.tmp', '/d/.b.tmp']);
      // Re-sent with no listener of ours left: the process now dies of it, as by default.
      expect(process.killed).toEqual([signal]);
      expect(process.listening()).toEqual([0, 0, 0, 0]);
    },
  );

  it('removes the tracked files when the process exits', () => {
    const { process, removed, files } = registry();
    files.track('/d/.a.tmp');
    process.emit('exit');
    expect(removed).toEqual(['/d/.a.tmp']);
    expect(process.killed).toEqual([]);
  });

  it('forgets a file once released, and listens only while it tracks one', () => {
    const { process, removed, files } = registry();
    expect(process.listening()).toEqual([0, 0, 0, 0]);
    const releaseA = files.track('/d/.a.tmp');
    const releaseB = files.track('/d/.b.tmp');
    expect(process.listening()).toEqual([1, 1, 1, 1]);
    releaseA();
    releaseA();
    expect(process.listening()).toEqual([1, 1, 1, 1]);
    process.emit('exit');
    expect(removed).toEqual(['/d/.b.tmp']);
    releaseB();
    expect(process.listening()).toEqual([0, 0, 0, 0]);
  });

  it('keeps removing the others when one cannot be removed', () => {
    const process = new FakeProcess();
    const removed: string[] = [];
    const files = new TemporaryFiles(process, (path) => {
      if (path.includes('locked')) throw new Error('EACCES');
      removed.push(path);
    });
    files.track('/locked/.a.tmp');
    files.track('/d/.b.tmp');
    process.emit('SIGTERM', 'SIGTERM');
    expect(removed).toEqual(['/d/.b.tmp']);
    expect(process.killed).toEqual(['SIGTERM']);
  });
});
