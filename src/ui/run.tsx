import type { Instance, RenderOptions } from 'ink';
import { UserError } from '../errors.js';
import type { Terminal } from '../io/terminal.js';
import { restoreBeforeReport } from '../process-guard.js';
import { holdEarlyKeys } from './early-keys.js';
import { MAX_FPS } from './frame-rate.js';
import { type LoadingStage, nextEventLoopTurn, pacedLoading } from './loading.js';
import type { AnswerOptions } from './snapshot-analysis.js';
import type { SnapshotSource, SourceOptions } from './sources.js';
import { processJobControl } from './suspend.js';

/** Options of the interactive UI. */
export interface TuiOptions extends SourceOptions, AnswerOptions {
  readonly namespace?: string;
  /** -l as typed: the pods list starts filtered by it. */
  readonly selector?: string;
  readonly readOnly?: boolean;
}

/** Colour unless NO_COLOR is set to something (https://no-color.org). */
export function colorEnabled(env: NodeJS.ProcessEnv): boolean {
  return !env.NO_COLOR;
}

/** Leaves the alternate screen, shows the cursor and turns raw mode off, even if Ink is broken. */
function giveTerminalBack(app: Instance): void {
  try {
    app.unmount();
  } catch {
    // The failure being reported may have broken Ink: undo its terminal modes ourselves.
    process.stdout.write('\x1b[?1049l\x1b[?25h');
  }
  if (process.stdin.isTTY) process.stdin.setRawMode(false);
}

/**
 * How Ink draws: interactive since we checked for a terminal ourselves (ink would otherwise turn
 * itself off whenever CI is set in the environment, even in a real terminal).
 */
const RENDER_OPTIONS: RenderOptions = {
  alternateScreen: true,
  exitOnCtrlC: false,
  interactive: true,
  maxFps: MAX_FPS,
};

/**
 * The modules the loading screen needs (Ink, React, the screen, the sources), loaded once the
 * UI's keys are being held; the API client only for a cluster. Ink, the rest, the API client
 * and string-width each take turns of the event loop of their own, so that none holds keys and
 * ctrl-c long.
 */
async function loadingModules(options: SourceOptions) {
  const { importInk, warmTextWidth } = await import('./start-up.js');
  const { render } = await importInk();
  await nextEventLoopTurn();
  const [{ LoadingScreen }, { openSource, sourceName, loadSourceModules }] = await Promise.all([
    import('./components/LoadingScreen.js'),
    import('./sources.js'),
  ]);
  await nextEventLoopTurn();
  await loadSourceModules(options);
  await nextEventLoopTurn();
  await warmTextWidth(nextEventLoopTurn);
  await nextEventLoopTurn();
  return { render, LoadingScreen, openSource, sourceName };
}

/**
 * The lists' modules (the App, its analyst), loaded while the snapshot loads, each in a turn of
 * its own: together they are 50-60 ms of evaluation.
 */
async function appModules() {
  const { workerAnalyst } = await import('./analyst/worker-analyst.js');
  await nextEventLoopTurn();
  const { App } = await import('./components/App.js');
  return { App, workerAnalyst };
}

/**
 * Opens the interactive UI and resolves when the user quits. Without a terminal on both
 * stdin and stdout it explains itself and points to the scriptable commands instead.
 */
export async function runTui(options: TuiOptions, terminal: Terminal): Promise<number> {
  if (!terminal.interactive) {
    terminal.err(
      'kubectl netpol: the interactive UI needs a terminal on stdin and stdout.\n' +
        'For scripts use: kubectl netpol explain [POD] | check SRC DST --port P | matrix, with -o json or -o yaml.\n',
    );
    return 2;
  }
  if (options.filename?.includes('-'))
    throw new UserError('-f - reads stdin, which the interactive UI needs: pass a file');
  // Keys typed while the UI loads (its modules, then the snapshot) wait for it, unechoed; ctrl-c
  // still stops the load, after the loading screen gives the terminal back.
  let app: Instance | undefined;
  const early = holdEarlyKeys(process.stdin, () => {
    if (app) giveTerminalBack(app);
    process.kill(process.pid, 'SIGINT');
  });
  const color = colorEnabled(terminal.env);
  let source: SnapshotSource;
  let lists: Awaited<ReturnType<typeof appModules>>;
  let release = () => {};
  try {
    const loaded = await loadingModules(options);
    const { LoadingScreen } = loaded;
    const name = loaded.sourceName(options);
    const loadingScreen = (stage?: LoadingStage) => (
      <LoadingScreen source={name} color={color} {...(stage ? { stage } : {})} />
    );
    // The first frame, at once: it says how far the read has come, file by file, the event loop
    // turning between files (and before normalising, and before the lists' first frame) so that
    // it draws and keys are held in order meanwhile.
    const shown = loaded.render(loadingScreen(), RENDER_OPTIONS);
    app = shown;
    release = restoreBeforeReport(() => giveTerminalBack(shown));
    const loading = pacedLoading((stage) => shown.rerender(loadingScreen(stage)));
    await nextEventLoopTurn();
    // The lists' modules are evaluated in turns of their own between the files' turns.
    [source, lists] = await Promise.all([
      loaded
        .openSource(options, terminal.env, terminal.readStdin, loading.listener)
        .finally(loading.stop),
      appModules(),
    ]);
    await nextEventLoopTurn();
  } catch (error) {
    early.abandon();
    release();
    if (app) giveTerminalBack(app);
    throw error;
  }
  early.handOver();
  const { App, workerAnalyst } = lists;
  const analyst = workerAnalyst();
  app.rerender(
    <App
      source={source}
      analyst={analyst}
      color={color}
      readOnly={options.readOnly === true}
      jobControl={processJobControl(process.platform)}
      answer={{
        ...(options.ignoreUnmodelled ? { ignoreUnmodelled: true } : {}),
        ...(options.assumeEnforced ? { assumeEnforced: true } : {}),
        ...(options.podCidr ? { podCidr: options.podCidr } : {}),
      }}
      {...(options.namespace ? { namespace: options.namespace } : {})}
      {...(options.selector ? { podFilter: options.selector } : {})}
    />,
  );
  try {
    await app.waitUntilExit();
  } finally {
    analyst.close();
    release();
  }
  return 0;
}
