import type { SuspendTerminal } from 'ink';
import { describe, expect, it } from 'vitest';
import { type JobControl, processJobControl, suspendToShell } from '../../src/ui/suspend.js';

/** ink's suspendTerminal and a job control that record what happens, in order. */
function fakes(stop: () => void = () => {}) {
  const events: string[] = [];
  let continueJob = () => {};
  const suspendTerminal = (async () => {
    events.push('terminal handed to the shell');
    return {
      resume: async () => {
        events.push('terminal taken back and redrawn');
      },
      [Symbol.asyncDispose]: async () => {},
    };
  }) as SuspendTerminal;
  const jobs: JobControl = {
    stop: () => {
      events.push('job stopped');
      stop();
    },
    onceContinued: (resume) => {
      continueJob = resume;
    },
  };
  return { events, suspendTerminal, jobs, continueJob: () => continueJob() };
}

describe('suspendToShell', () => {
  it('hands the terminal over before stopping, and takes it back only once continued', async () => {
    const { events, suspendTerminal, jobs, continueJob } = fakes();
    const done = suspendToShell(suspendTerminal, jobs);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(events).toEqual(['terminal handed to the shell', 'job stopped']);
    continueJob();
    await done;
    expect(events).toEqual([
      'terminal handed to the shell',
      'job stopped',
      'terminal taken back and redrawn',
    ]);
  });

  it('takes the terminal back if the job cannot be stopped', async () => {
    const { events, suspendTerminal, jobs } = fakes(() => {
      throw new Error('EPERM');
    });
    await expect(suspendToShell(suspendTerminal, jobs)).rejects.toThrow('EPERM');
    expect(events.at(-1)).toBe('terminal taken back and redrawn');
  });
});

describe('processJobControl', () => {
  it('exists where there are job-control signals, not on Windows', () => {
    expect(processJobControl('linux')).toBeDefined();
    expect(processJobControl('darwin')).toBeDefined();
    expect(processJobControl('win32')).toBeUndefined();
  });
});
