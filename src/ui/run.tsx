import type { Instance, RenderOptions } from 'ink';
import { UserError } from '../errors.js';
import type { Terminal } from '../io/terminal.js';
import { restoreBeforeReport } from '../process-guard.js';
import { holdEarlyKeys } from './early-keys.js';
import { MAX_FPS } from './frame-rate.js';
import { type LoadingStage, nextEventLoopTurn, pacedLoading, turnPacer } from './loading.js';
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
 * The UI's modules: Ink, React, the loading screen, the sources, the lists (the App, its
 * analyst, what their first frame looks up: 40-85 ms of evaluation in one turn), and for a
 * cluster its API client (about 120 ms that cannot be split). Loaded before the terminal goes
 * raw, where keys typed meanwhile wait in the terminal's line editor and ctrl-c is a signal that
 * stops the process at once; once raw, a key waits for the turn it comes in to end.
 */
async function uiModules(options: SourceOptions) {
  const { importInk, warmRendering } = await import('./start-up.js');
  const { render, renderToString } = await importInk();
  const [
    { LoadingScreen },
    { openSource, sourceName, loadSourceModules },
    { App },
    { workerAnalyst },
    { snapshotNames },
    { provisionalView },
  ] = await Promise.all([
    import('./components/LoadingScreen.js'),
    import('./sources.js'),
    import('./components/App.js'),
    import('./analyst/worker-analyst.js'),
    import('./snapshot-names.js'),
    import('./provisional-view.js'),
  ]);
  await loadSourceModules(options);
  return {
    render,
    renderToString,
    warmRendering,
    LoadingScreen,
    openSource,
    sourceName,
    App,
    workerAnalyst,
    snapshotNames,
    provisionalView,
  };
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
  const loaded = await uiModules(options);
  const { LoadingScreen } = loaded;
  const name = loaded.sourceName(options);
  const color = colorEnabled(terminal.env);
  const loadingScreen = (stage?: LoadingStage) => (
    <LoadingScreen source={name} color={color} {...(stage ? { stage } : {})} />
  );
  loaded.warmRendering(loaded.renderToString, loadingScreen(), process.stdout.columns ?? 80);
  // Keys typed from now on (the snapshot loading) wait for the UI, unechoed; ctrl-c still stops
  // the load, after the loading screen gives the terminal back.
  let app: Instance | undefined;
  const early = holdEarlyKeys(process.stdin, () => {
    if (app) giveTerminalBack(app);
    process.kill(process.pid, 'SIGINT');
  });
  let source: SnapshotSource;
  let release = () => {};
  try {
    // The first frame, at once: it says how far the read has come, file by file, the event loop
    // turning between files (and before normalising, and before the lists' first frame) so that
    // it draws and keys are held in order meanwhile.
    const shown = loaded.render(loadingScreen(), RENDER_OPTIONS);
    app = shown;
    release = restoreBeforeReport(() => giveTerminalBack(shown));
    const loading = pacedLoading((stage) => shown.rerender(loadingScreen(stage)));
    await nextEventLoopTurn();
    source = await loaded
      .openSource(options, terminal.env, terminal.readStdin, loading.listener)
      .finally(loading.stop);
    // What the lists' first frame looks up (the names, the namespaces counted) is worked out
    // here in turns that keys are read between, not in that frame's render.
    const pace = turnPacer();
    await loaded.snapshotNames.inTurns(source.initial.cluster, pace);
    await loaded.provisionalView.inTurns(source.initial.cluster, pace);
    await nextEventLoopTurn();
  } catch (error) {
    early.abandon();
    release();
    if (app) giveTerminalBack(app);
    throw error;
  }
  early.handOver();
  const { App, workerAnalyst } = loaded;
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
