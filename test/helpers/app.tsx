import { onTestFinished } from 'vitest';
import { loadDemo } from '../../src/io/load-input.js';
import { App } from '../../src/ui/components/App.js';
import type { SnapshotSource } from '../../src/ui/sources.js';
import { renderSized, type SizedRender, tick } from './ink.js';

/** Noon on 1 January 2024: the header's clock, fixed so that frames compare. */
export const noon = () => new Date(2024, 0, 1, 12, 0, 0);

let demo: SnapshotSource | undefined;

/** The built-in demo cluster as the TUI's source (read once per test file); reload reads it again. */
export function demoSource(): SnapshotSource {
  demo ??= { initial: loadDemo(), name: 'demo cluster', reload: async () => loadDemo() };
  return demo;
}

/** What startApp draws: a source and a terminal size; the demo at 80x24 unless given. */
export interface AppStart {
  readonly source?: SnapshotSource;
  readonly columns?: number;
  readonly rows?: number;
}

/** The App without colour at a terminal size, after its first frames; unmounted when the test ends. */
export async function startApp({
  source = demoSource(),
  columns = 80,
  rows = 24,
}: AppStart = {}): Promise<SizedRender> {
  const ui = renderSized(<App source={source} color={false} clock={noon} />, { columns, rows });
  onTestFinished(() => ui.unmount());
  await tick(20);
  return ui;
}
