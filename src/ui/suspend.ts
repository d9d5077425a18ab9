import type { SuspendTerminal } from 'ink';

/** What ctrl-z needs from the process: stopping the job, and hearing when the shell continues it. */
export interface JobControl {
  /** Stops the job, as the terminal's ctrl-z would if the UI were not in raw mode. */
  stop(): void;
  /** Calls `resume` once, when the job is continued (`fg`). */
  onceContinued(resume: () => void): void;
}

/**
 * Job control of this process: SIGTSTP to the whole process group, as a shell's job is a
 * group (`sh -c`, `npm run` and the like would otherwise keep the shell waiting), and SIGCONT.
 * Undefined on Windows, which has neither.
 */
export function processJobControl(platform: NodeJS.Platform): JobControl | undefined {
  if (platform === 'win32') return undefined;
  return {
    stop: () => process.kill(0, 'SIGTSTP'),
    onceContinued: (resume) => {
      // A signal listener does not keep Node running, and ink has let go of stdin: without
      // this timer the process would exit on `fg` before the listener ran.
      const keepAlive = setInterval(() => {}, 60_000);
      process.once('SIGCONT', () => {
        clearInterval(keepAlive);
        resume();
      });
    },
  };
}

/**
 * Hands the terminal back to the shell (ink leaves the alternate screen, turns raw mode off and
 * shows the cursor), stops the job, and once `fg` continues it takes the terminal back and
 * redraws the whole frame.
 */
export async function suspendToShell(
  suspendTerminal: SuspendTerminal,
  jobs: JobControl,
): Promise<void> {
  const suspension = await suspendTerminal();
  try {
    const continued = new Promise<void>((resolve) => jobs.onceContinued(resolve));
    jobs.stop();
    await continued;
  } finally {
    await suspension.resume();
  }
}
