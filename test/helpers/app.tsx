import type { ReactElement } from 'react';
import { onTestFinished } from 'vitest';
import { loadDemo } from '../../src/io/load-input.js';
import type { Analyst } from '../../src/ui/analyst/analyst.js';
import { inProcessAnalyst } from '../../src/ui/analyst/in-process.js';
import { App, type AppProps } from '../../src/ui/components/App.js';
import type { SnapshotSource } from '../../src/ui/sources.js';
import { renderSized, type SizedRender, tick, untilFrame } from './ink.js';

/**
 * Renders the App an element builds with an in-process analyst, and resolves once the
 * analyst's rows of the lists have been drawn (until then only the namespaces show), so that a
 * test's keys act on every row; the analyst closes when the test ends.
 */
export async function renderAnalysed(
  app: (analyst: Analyst) => ReactElement,
  size: { readonly columns: number; readonly rows: number },
): Promise<SizedRender> {
  const inner = inProcessAnalyst();
  let rowsCame = () => {};
  const rows = new Promise<void>((resolve) => {
    rowsCame = resolve;
  });
  const analyst: Analyst = {
    ...inner,
    ask: (snapshot, question) => {
      const job = inner.ask(snapshot, question);
      if (question.kind === 'cluster-view') job.answer.then(rowsCame, rowsCame);
      return job;
    },
  };
  onTestFinished(() => analyst.close());
  const ui = renderSized(app(analyst), size);
  await rows;
  const drawn = ui.frames.length;
  while (ui.frames.length === drawn) await tick(2);
  return ui;
}

/** Noon on 1 January 2024: the header's clock, fixed so that frames compare. */
export const noon = () => new Date(2024, 0, 1, 12, 0, 0);

let demo: SnapshotSource | undefined;

/** The built-in demo cluster as the TUI's source (read once per test file); reload reads it again. */
export function demoSource(): SnapshotSource {
  demo ??= { initial: loadDemo(), name: 'demo cluster', reload: async () => loadDemo() };
  return demo;
}

/** What startApp draws: a source, a terminal size and other App props; the demo at 80x24 unless given. */
export interface AppStart {
  readonly source?: SnapshotSource;
  readonly columns?: number;
  readonly rows?: number;
  /** More of the App's props (namespace, -l filter, analyst, ...); the clock is noon unless given. */
  readonly props?: Partial<Omit<AppProps, 'source'>>;
}

/** The App without colour at a terminal size, once drawn and audited; unmounted when the test ends. */
export async function startApp({
  source = demoSource(),
  columns = 80,
  rows = 24,
  props = {},
}: AppStart = {}): Promise<SizedRender> {
  const ui = await renderAnalysed(
    (analyst) => <App source={source} color={false} clock={noon} analyst={analyst} {...props} />,
    { columns, rows },
  );
  onTestFinished(() => ui.unmount());
  // Drawn and settled: the audit the App starts with has answered (the flash line shows its
  // findings, the lists their badges).
  await untilFrame(ui, (frame) => frame.includes('kubectl netpol') && !frame.includes('auditing…'));
  return ui;
}

/**
 * Resolves once the traffic check on screen, if any, has its verdict from the analyst, and a
 * verdict that ran has taken the focus (the form's footer is gone): at once on other screens.
 */
export async function untilVerdict(ui: { lastFrame(): string | undefined }): Promise<void> {
  await untilFrame(ui, (frame) => {
    if (!frame.split('\n')[1]?.startsWith('Traffic check')) return true;
    if (frame.includes('checking…')) return false;
    return !/^(ALLOWED|DENIED|UNKNOWN)\b/m.test(frame) || !frame.includes('tab next field');
  });
}
